package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestHoursOverrideErrorNamesTheVariable: a start refused because of an
// environment variable says which one, as for BATON_CONTACT_KEY. A
// mistyped BATON_HOURS_OVERRIDE (docs/hours.md §3) stops serve with an
// error naming BATON_HOURS_OVERRIDE and the value, not only "hours
// override", which would send the operator to the config or the admin
// API's overrides instead of the environment file.
func TestHoursOverrideErrorNamesTheVariable(t *testing.T) {
	env := testEnv{}
	env["BATON_HOURS_OVERRIDE"] = "opne"
	m := NewMain()
	m.ConfigPath = exampleConfig
	m.Addr, m.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
	m.DataDir = t.TempDir()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Env = env.lookup
	err := m.Run(context.Background())
	_ = m.Close()
	if err == nil {
		t.Fatal("start with BATON_HOURS_OVERRIDE=opne: got no error, want one")
	}
	if !strings.Contains(err.Error(), "BATON_HOURS_OVERRIDE") || !strings.Contains(err.Error(), `"opne"`) {
		t.Errorf("start with BATON_HOURS_OVERRIDE=opne: got %q; want it to name BATON_HOURS_OVERRIDE and the value", err)
	}
}
