//go:build audit

package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditOpenRefusesASchemaNewerThanTheBinary shows that an older binary
// opens a database a newer release has migrated, silently: migrate (db.go)
// runs goose's Provider.Up, which applies nothing when the database's version
// is above every embedded migration and reports no error, so a rolled-back
// binary serves on a schema it does not know (a newer release's rebuilt table
// or NOT NULL column makes its writes fail turn after turn, as fallbacks,
// instead of one clear error at start). docs/ops.md "Upgrades" step 5 asks
// operators to restore the pre-upgrade backup when rolling back; nothing
// tells one who did not. Want: Open fails, naming the database's version and
// the newest this binary knows.
func TestAuditOpenRefusesASchemaNewerThanTheBinary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A newer release's migration, as goose records it.
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
	if !strings.Contains(err.Error(), "9999") {
		t.Errorf("Open's error %q does not name the database's schema version 9999", err)
	}
}
