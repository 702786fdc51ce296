package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestReloadWithoutACalendarFileTheConfigDropped: a company calendar the
// config stops naming may lose its file, and the config still reloads —
// whether the file goes after the reload that dropped it or with it, in
// one step. `baton validate` accepts the config either way, and the
// config in force after the reload does not need the calendar.
func TestReloadWithoutACalendarFileTheConfigDropped(t *testing.T) {
	for _, oneStep := range []bool{false, true} {
		name := "file deleted after the reload that dropped it"
		if oneStep {
			name = "file deleted with the config's edit"
		}
		t.Run(name, func(t *testing.T) {
			env := testEnv{"BATON_ADMIN_TOKEN": e2eAdminToken}
			dir := t.TempDir()
			path := filepath.Join(dir, "baton.yaml")
			if err := os.MkdirAll(filepath.Join(dir, "holidays"), 0o755); err != nil {
				t.Fatal(err)
			}
			acme := filepath.Join(dir, "holidays", "acme.yaml")
			if err := os.WriteFile(acme, []byte("years: [2026, 2027]\nholidays:\n  - {date: \"2026-05-01\", name: 창립기념일}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			writeConfig(t, path, func(s string) string { return replaceOnce(t, s, "holidays: [kr]", "holidays: [kr, acme]") })
			m := startBatonEnv(t, path, t.TempDir(), nil, env)

			writeConfig(t, path, func(s string) string { return s }) // names kr only
			if !oneStep {
				reloadOK(t, m)
			}
			if err := os.Remove(acme); err != nil {
				t.Fatal(err)
			}
			if code := runValidate([]string{"--config", path}, io.Discard, io.Discard); code != 0 {
				t.Fatalf("baton validate: exit %d, want 0", code)
			}
			if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
				t.Fatalf("reload: got %d %v, want 200", code, body)
			}
			// And the next reload, with nothing changed, too.
			if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
				t.Fatalf("second reload: got %d %v, want 200", code, body)
			}
		})
	}
}
