package store

import (
	"context"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"
)

// TestGoMigrationsUpgradeAnOlderGooseDatabase: a database an older baton
// migrated with goose's SQL parser, up to 00018, with a pending reopen timer
// in it, is upgraded by the Go migrations: 00019 and the later ones run, the
// schema and versions end as on a database migrated in one go, and the
// timer row reads with the empty queue the sweep falls back from.
func TestGoMigrationsUpgradeAnOlderGooseDatabase(t *testing.T) {
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
	var queue string
	if err := old.QueryRow(`SELECT queue FROM timers WHERE kind = 'reopen' AND id = 't-1'`).Scan(&queue); err != nil || queue != "" {
		t.Errorf("upgraded timer row: got queue %q, err %v; want \"\"", queue, err)
	}
}
