package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// runWithAdminAddr runs serve with the example config, --admin-addr addr,
// --admin-url adminURL and env over dataDir, and returns Main and Run's
// error; Main is closed when the test ends.
func runWithAdminAddr(t *testing.T, dataDir, addr, adminURL string, env testEnv) (*Main, error) {
	t.Helper()
	m := NewMain()
	m.ConfigPath = exampleConfig
	m.Addr, m.AdminAddr, m.AdminURL = "127.0.0.1:0", addr, adminURL
	m.DataDir = dataDir
	m.Logger = discardLogger()
	m.Env = env.lookup
	err := m.Run(context.Background())
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		_ = m.Close()
	})
	return m, err
}

// TestUnspecifiedAdminAddrNeedsAdminURL: with --admin-addr 0.0.0.0:8081 or
// [::]:8081 (bound on every interface so that agents can reach the links)
// and no --admin-url, every accept/end link would be
// http://0.0.0.0:8081/a/… or http://[::]:8081/a/… — not an address an
// agent's browser can reach. Before, serve started without a word and sent
// such links to the sinks and the admin API. Now it refuses to start,
// naming --admin-url, whenever anything mints links (a notify sink, the
// admin API with BATON_ADMIN_TOKEN or a stored token), and starts when
// nothing does or --admin-url is set.
func TestUnspecifiedAdminAddrNeedsAdminURL(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	noMinter := testEnv{"BATON_ADMIN_TOKEN": "", "BATON_NOTIFY_URL": "", "BATON_SLACK_URL": ""}
	adminOnly := testEnv{"BATON_ADMIN_TOKEN": e2eAdminToken, "BATON_NOTIFY_URL": "", "BATON_SLACK_URL": ""}
	sinksOnly := testEnv{"BATON_ADMIN_TOKEN": ""}
	sinksOnly.notify(hook, slack)
	for _, tc := range []struct {
		name, addr string
		env        testEnv
		minter     string // "" when serve starts
	}{
		{"0.0.0.0, admin token", "0.0.0.0:0", adminOnly, "the admin API (BATON_ADMIN_TOKEN)"},
		{"[::], admin token", "[::]:0", adminOnly, "the admin API (BATON_ADMIN_TOKEN)"},
		{"no host, admin token", ":0", adminOnly, "the admin API (BATON_ADMIN_TOKEN)"},
		{"0.0.0.0, notify sinks", "0.0.0.0:0", sinksOnly, "the notify sinks"},
		{"0.0.0.0, nothing mints links", "0.0.0.0:0", noMinter, ""},
		{"loopback, admin token", "127.0.0.1:0", adminOnly, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := runWithAdminAddr(t, t.TempDir(), tc.addr, "", tc.env)
			switch {
			case tc.minter == "" && err != nil:
				t.Errorf("--admin-addr %s: got %v, want serve to start (nothing sends links to a bad address)", tc.addr, err)
			case tc.minter != "" && (err == nil || !strings.Contains(err.Error(), "--admin-url") ||
				!strings.Contains(err.Error(), "--admin-addr "+tc.addr) || !strings.Contains(err.Error(), tc.minter)):
				t.Errorf("--admin-addr %s and no --admin-url: got %v; want serve to refuse, naming --admin-url, the address "+
					"and %s (links would be http://%s/a/…, which no browser opens)", tc.addr, err, tc.minter, tc.addr)
			case tc.minter != "" && !errors.As(err, new(usageError)):
				t.Errorf("--admin-addr %s and no --admin-url: got %T, want a usageError (baton serve exits 2, as for a bad flag)", tc.addr, err)
			}
		})
	}

	t.Run("a stored token", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		m, err := runWithAdminAddr(t, dir, "0.0.0.0:0", "", noMinter)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		if err := m.DB.AddAdminToken(context.Background(), store.AdminToken{ID: store.NewID(now), Name: "ops", Role: "master",
			Hash: strings.Repeat("ab", 32), CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := runWithAdminAddr(t, dir, "0.0.0.0:0", "", noMinter); err == nil || !strings.Contains(err.Error(), "--admin-url") ||
			!strings.Contains(err.Error(), "the admin API (stored tokens)") {
			t.Errorf("--admin-addr 0.0.0.0 with a stored admin token: got %v, want serve to refuse, naming --admin-url", err)
		}
	})

	t.Run("with --admin-url", func(t *testing.T) {
		t.Parallel()
		clock := &testClock{t: mondayMorning}
		m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, discardLogger(), adminOnly.configure,
			func(m *Main) { m.AdminAddr, m.AdminURL = "0.0.0.0:0", "http://agents.example.com" })
		s := newSession(t, m, clock, "u-link-base")
		s.welcome()
		toWaiting(s)
		id, _, _, _ := s.handoff()
		// The admin API on the bound address (0.0.0.0: this host).
		code, raw := adminRaw(t, m, e2eAdminToken, http.MethodPost, "/admin/handoffs/"+id+"/links", "")
		if code != http.StatusOK {
			t.Fatalf("links: got %d %s", code, raw)
		}
		if strings.Contains(string(raw), "http://0.0.0.0:") || strings.Contains(string(raw), "http://[::]:") ||
			!strings.Contains(string(raw), `"accept":"http://agents.example.com/a/`) {
			t.Errorf("links minted with --admin-addr 0.0.0.0 and --admin-url http://agents.example.com: %s; want links on the URL", raw)
		}
	})
}
