package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestErrorsNameNoUser: the reads that take a user key fail without naming
// it (callers log store errors, and logs carry no user keys).
func TestErrorsNameNoUser(t *testing.T) {
	t.Parallel()
	const key = "u-secret-store-9Xq2"
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	if err := db.Commit(ctx, testTurn(key, 0, time.Now())); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	reads := []struct {
		name string
		call func() error
	}{
		{"Load", func() error { _, _, _, err := db.Load(ctx, key); return err }},
		{"CountTurns", func() error { _, err := db.CountTurns(ctx, key); return err }},
		{"OpenHandoff", func() error { _, _, err := db.OpenHandoff(ctx, key); return err }},
		{"RecentTurns", func() error { _, err := db.RecentTurns(ctx, key, time.Now(), 10); return err }},
		{"Commit", func() error { return db.Commit(ctx, testTurn(key, 1, time.Now())) }},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			err := r.call()
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("got %v, want ErrClosed", err)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("got %q, want an error without the user key", err)
			}
		})
	}
}
