package store

import (
	"context"
	"database/sql"
	"testing"
)

func TestConnectionMemorySettings(t *testing.T) {
	db, _ := openTestDB(t, Options{})
	tests := []struct {
		name, pragma string
		conn         *sql.DB
		want         int64
	}{
		{"writer cache", "cache_size", db.w, -writerCacheKiB},
		{"reader cache", "cache_size", db.r, -readerCacheKiB},
		{"checkpointer cache", "cache_size", db.ckpt, -readerCacheKiB},
		{"no soft heap limit", "soft_heap_limit", db.r, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got int64
			if err := tt.conn.QueryRowContext(context.Background(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", tt.pragma, err)
			}
			if got != tt.want {
				t.Errorf("got PRAGMA %s = %d, want %d", tt.pragma, got, tt.want)
			}
		})
	}
}

func TestReadSQLiteMemory(t *testing.T) {
	before := ReadSQLiteMemory()
	db, _ := openTestDB(t, Options{})
	// A query on every pool: each connection has parsed the schema.
	var n int
	if err := db.r.QueryRowContext(context.Background(), "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		t.Fatal(err)
	}
	got := ReadSQLiteMemory()
	if got.Used <= 0 || got.Highwater < got.Used {
		t.Errorf("got %+v, want a positive Used and Highwater ≥ Used", got)
	}
	if got.Highwater < before.Highwater {
		t.Errorf("got high-water mark %d after opening a store, want ≥ %d (before)", got.Highwater, before.Highwater)
	}
}
