package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"
)

// schemaOf returns every schema object of the database and the goose
// versions recorded as applied.
func schemaOf(t *testing.T, db *sql.DB) (objects []string, versions []int64) {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ' ' || tbl_name || ': ' || coalesce(sql, '')
		FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	vrows, err := db.Query(`SELECT version_id FROM goose_db_version WHERE is_applied ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var v int64
		if err := vrows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	return objects, versions
}

func openRaw(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "raw.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestGoMigrationsMatchGooseSQL migrates one database with goose's own SQL
// parser, as every baton before this reader did, and one with the Go
// migrations: the schemas and recorded versions are the same, and the Go
// migrations accept the database goose made without running anything.
func TestGoMigrationsMatchGooseSQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}

	byGoose := openRaw(t)
	p, err := goose.NewProvider(goose.DialectSQLite3, byGoose, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	byUs := openRaw(t)
	if err := migrate(ctx, byUs); err != nil {
		t.Fatal(err)
	}

	wantObjects, wantVersions := schemaOf(t, byGoose)
	gotObjects, gotVersions := schemaOf(t, byUs)
	if len(wantVersions) < 17 {
		t.Fatalf("goose applied %d migrations, want every embedded one", len(wantVersions))
	}
	if d := cmp.Diff(wantObjects, gotObjects); d != "" {
		t.Errorf("schema (-goose SQL +Go migrations):\n%s", d)
	}
	if d := cmp.Diff(wantVersions, gotVersions); d != "" {
		t.Errorf("versions (-goose SQL +Go migrations):\n%s", d)
	}

	if err := migrate(ctx, byGoose); err != nil {
		t.Fatalf("Go migrations on a database goose migrated: %v", err)
	}
	if objects, versions := schemaOf(t, byGoose); !cmp.Equal(objects, wantObjects) || !cmp.Equal(versions, wantVersions) {
		t.Errorf("Go migrations changed a database goose had migrated")
	}
}

func TestSplitMigration(t *testing.T) {
	t.Parallel()
	up, down, err := splitMigration("x.sql", "-- header comment\n\n-- +goose Up\nCREATE TABLE a (x);\n-- a comment; with a semicolon\nCREATE TABLE b (y);\n--  +goose   Down\nDROP TABLE b;\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "CREATE TABLE a (x);\n-- a comment; with a semicolon\nCREATE TABLE b (y);\n"; up != want {
		t.Errorf("up = %q, want %q", up, want)
	}
	if want := "DROP TABLE b;\n"; down != want {
		t.Errorf("down = %q, want %q", down, want)
	}

	for _, tc := range []struct{ body, want string }{
		{"CREATE TABLE a (x);\n-- +goose Up\n", "x.sql:1: SQL before"},
		{"-- +goose Up\n-- +goose StatementBegin\nCREATE TRIGGER …;\n-- +goose StatementEnd\n", "x.sql:2: unsupported annotation"},
		{"-- +goose NO TRANSACTION\n-- +goose Up\n", "x.sql:1: unsupported annotation"},
		{"-- +goose Down\nDROP TABLE a;\n", "x.sql:1: '-- +goose Down' before"},
		{"-- +goose Up\n-- +goose Down\n-- +goose Up\n", "x.sql:3: a second or late"},
		{"-- nothing here\n", "x.sql: no '-- +goose Up'"},
	} {
		if _, _, err := splitMigration("x.sql", tc.body); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("splitMigration(%q) = %v, want an error containing %q", tc.body, err, tc.want)
		}
	}
}

func TestGoMigrationsRefuseBadNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		files fstest.MapFS
		want  string
	}{
		{fstest.MapFS{"init.sql": {Data: []byte("-- +goose Up\n")}}, "init.sql: the name must start"},
		{fstest.MapFS{"0_init.sql": {Data: []byte("-- +goose Up\n")}}, "0_init.sql: the name must start"},
		{fstest.MapFS{
			"00001_a.sql": {Data: []byte("-- +goose Up\n")},
			"1_b.sql":     {Data: []byte("-- +goose Up\n")},
		}, "share version 1"},
	} {
		if _, err := goMigrations(tc.files); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("goMigrations = %v, want an error containing %q", err, tc.want)
		}
	}
}

// TestGoMigrationsRunInOneTransaction checks that a file whose second
// statement fails leaves nothing of its first, as goose's SQL migrations in a
// transaction did.
func TestGoMigrationsRunInOneTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openRaw(t)
	ms, err := goMigrations(fstest.MapFS{
		"00001_ok.sql":  {Data: []byte("-- +goose Up\nCREATE TABLE a (x);\n-- +goose Down\nDROP TABLE a;\n")},
		"00002_bad.sql": {Data: []byte("-- +goose Up\nCREATE TABLE b (y);\nINSERT INTO nowhere VALUES (1);\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, nil, goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(ms...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("Up = %v, want the failing INSERT's error", err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table b of the failed migration: count %d, err %v; want rolled back", n, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'a'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("table a of the migration before: count %d, err %v; want kept", n, err)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != 1 {
		t.Errorf("version after the failure = %d, %v; want 1", v, err)
	}
}

// TestMigration25DropsTheTurnsTimeIndex: after the migrations turns has no
// index by time (each commit of a turn wrote a page of it; retention and the
// report read turns by rowid and id ranges instead), and 00025's Down
// restores it.
func TestMigration25DropsTheTurnsTimeIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openRaw(t)
	if err := migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	turnsIndexes := func() []string {
		t.Helper()
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'turns' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got, want := turnsIndexes(), []string{"sqlite_autoindex_turns_1"}; !slices.Equal(got, want) {
		t.Errorf("indexes of turns after the migrations: %q, want %q (the id primary key only)", got, want)
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := goMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, nil, goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(ms...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 24); err != nil {
		t.Fatalf("down to 00024: %v", err)
	}
	if got, want := turnsIndexes(), []string{"sqlite_autoindex_turns_1", "turns_at"}; !slices.Equal(got, want) {
		t.Errorf("indexes of turns after 00025's Down: %q, want %q", got, want)
	}
}
