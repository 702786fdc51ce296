package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRefusesASchemaNewerThanTheBinary records a newer release's
// migration in goose_db_version, as goose would, and checks Open refuses the
// database with ErrSchemaTooNew naming its version, then that a database at
// this binary's own version still opens.
func TestOpenRefusesASchemaNewerThanTheBinary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, Options{}) // reopening at the binary's own version
	if err != nil {
		t.Fatalf("reopen at the current schema: got %v, want nil", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db2, err := Open(ctx, path, Options{})
	if err == nil {
		_ = db2.Close()
		t.Fatal("Open of a database at schema version 9999 (newer than this binary) succeeded; want an error")
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("got error %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "9999") {
		t.Errorf("Open's error %q does not name the database's schema version 9999", err)
	}
}
