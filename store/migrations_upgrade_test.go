package store

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"
)

// TestGoMigrationsUpgradeAnOlderGooseDatabase: a database an older baton
// migrated with goose's SQL parser, up to 00018, with a pending reopen timer
// in it, is upgraded by the Go migrations: 00019 and the later ones run, the
// schema and versions end as on a database migrated in one go, the
// timer row reads with the empty queue the sweep falls back from, and a
// notify sink's delivery record keyed by its place in the list marks the
// database for store.AdoptSinkNames (00023).
func TestGoMigrationsUpgradeAnOlderGooseDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	old := openRaw(t)
	p, err := goose.NewProvider(goose.DialectSQLite3, old, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 18); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO users (key, first_seen, last_seen) VALUES ('u-1', 1, 1)`); err != nil {
		t.Fatalf("user row in a 00018 database: %v", err)
	}
	if _, err := old.Exec(`INSERT INTO timers (kind, id, user_key, handoff_id, due_at, status, created_at)
		VALUES ('reopen', 't-1', 'u-1', '', 1, 'pending', 1)`); err != nil {
		t.Fatalf("timer row in a 00018 database: %v", err)
	}
	// A delivery record keyed by a sink's place in the notify list, as
	// every baton before 00023 wrote them: 00023 marks the database for
	// store.AdoptSinkNames (and leaves a fresh one unmarked).
	if _, err := old.Exec(`INSERT INTO handoffs (id, code, user_key, created_at) VALUES ('h-1', 'A7K2', 'u-1', 1);
		INSERT INTO handoff_deliveries (handoff_id, target, delivered_at) VALUES ('h-1', 'notify:0:webhook', 1)`); err != nil {
		t.Fatalf("delivery row in a 00018 database: %v", err)
	}
	if err := migrate(ctx, old); err != nil {
		t.Fatalf("Go migrations on a 00018 database: %v", err)
	}

	fresh := openRaw(t)
	if err := migrate(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	wantObjects, wantVersions := schemaOf(t, fresh)
	gotObjects, gotVersions := schemaOf(t, old)
	if d := cmp.Diff(wantObjects, gotObjects); d != "" {
		t.Errorf("schema (-fresh +upgraded):\n%s", d)
	}
	if d := cmp.Diff(wantVersions, gotVersions); d != "" {
		t.Errorf("versions (-fresh +upgraded):\n%s", d)
	}
	for name, c := range map[string]struct {
		db   interface{ QueryRow(string, ...any) *sql.Row }
		want int
	}{"upgraded": {old, 1}, "fresh": {fresh, 0}} {
		var n int
		if err := c.db.QueryRow(`SELECT COUNT(*) FROM legacy_sink_names`).Scan(&n); err != nil || n != c.want {
			t.Errorf("%s database: legacy_sink_names has %d rows (err %v), want %d", name, n, err, c.want)
		}
	}
	var queue string
	if err := old.QueryRow(`SELECT queue FROM timers WHERE kind = 'reopen' AND id = 't-1'`).Scan(&queue); err != nil || queue != "" {
		t.Errorf("upgraded timer row: got queue %q, err %v; want \"\"", queue, err)
	}
}
