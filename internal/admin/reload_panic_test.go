package admin

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestReloadLoaderPanicRefusesFile: a loader that panics on some file
// refuses that reload, as an invalid config, and records it; the config
// in force stays (Apply is never called) and the process goes on.
func TestReloadLoaderPanicRefusesFile(t *testing.T) {
	db := testutil.Store(t)
	applied := false
	r := &ConfigReloader{
		Path:    "/etc/baton/baton.yaml",
		DB:      db,
		Current: func() *configs.Config { return &configs.Config{} },
		Apply:   func(*configs.Config) (string, error) { applied = true; return "", nil },
		Load:    func(string) (*configs.Config, error) { panic("slice bounds out of range [22:20]") },
	}
	_, err := r.Reload(context.Background(), "SIGHUP")
	var inv *InvalidConfigError
	if !errors.As(err, &inv) {
		t.Fatalf("Reload = %v, want an *InvalidConfigError", err)
	}
	if !strings.Contains(err.Error(), "/etc/baton/baton.yaml") || !strings.Contains(err.Error(), "the config in force stays") {
		t.Errorf("error %q: want the file named and the config in force kept", err)
	}
	if applied {
		t.Error("Apply ran after the loader panicked")
	}
	got, err := db.Reloads(context.Background(), store.ReloadFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Result != store.ReloadInvalid || got[0].By != "SIGHUP" {
		t.Errorf("reload history %+v, want one invalid reload by SIGHUP", got)
	}
}
