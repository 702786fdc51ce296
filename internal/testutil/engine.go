package testutil

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Engine loads the config at path and builds the real FAQ index and
// conversation engine from it (always open: no hours).
func Engine(t testing.TB, path string) (*configs.Config, *fsm.Engine) {
	t.Helper()
	cfg, err := configs.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, EngineFor(t, cfg)
}

// EngineFor builds the real FAQ index and conversation engine for cfg.
func EngineFor(t testing.TB, cfg *configs.Config) *fsm.Engine {
	t.Helper()
	return EngineWith(t, cfg, fsm.Options{})
}

// EngineWith is EngineFor with the engine's options (its hours, the queues'
// capacity).
func EngineWith(t testing.TB, cfg *configs.Config, opts fsm.Options) *fsm.Engine {
	t.Helper()
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := fsm.New(cfg, idx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Store opens a real SQLite store in a temp dir, closed when the test ends.
func Store(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
