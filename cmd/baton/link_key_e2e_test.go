package main

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
)

// TestLinksSignedWithDataDirKey: accept/end links are signed with the
// random key in <data>/link.key, never with a key derived from
// BATON_ADMIN_TOKEN (a link in Slack would let anyone test guesses of the
// master token offline); they verify after a restart on the same data
// directory, and links signed before the upgrade (with the token-derived
// key) keep working until they expire. The restart is also an upgrade's
// first start for the notify sinks: a delivery recorded by the sink's
// place in the list is renamed to the sink's id (docs/notify-webhook.md §5).
func TestLinksSignedWithDataDirKey(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dir := t.TempDir()
	m := startBaton(t, exampleConfig, dir, nil)
	link := m.Links.URL("01JLINKKEYTESTHANDOFF0001", handoff.LinkAccept)
	_, token, ok := strings.Cut(link, "/a/")
	if !ok {
		t.Fatalf("link %q: want a /a/ path", link)
	}
	derived, err := handoff.LinkKey(dir, e2eAdminToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := handoff.NewLinks(derived, "").Parse(token); !errors.Is(err, handoff.ErrBadLink) {
		t.Errorf("new link checked with the admin-token-derived key: got %v, want ErrBadLink (not signed with it)", err)
	}
	fileKey, err := os.ReadFile(filepath.Join(dir, "link.key"))
	if err != nil {
		t.Fatalf("link.key: %v", err)
	}
	if id, action, err := handoff.NewLinks(fileKey, "").Parse(token); err != nil || id != "01JLINKKEYTESTHANDOFF0001" || action != handoff.LinkAccept {
		t.Errorf("new link checked with <data>/link.key: got %q %q %v, want the handoff and accept", id, action, err)
	}
	old := handoff.NewLinks(derived, "").Token("01JLINKKEYTESTHANDOFF0002", handoff.LinkEnd, time.Now().Add(time.Hour))

	http.DefaultClient.CloseIdleConnections()
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	seedLegacySinkRecord(t, dir)
	t.Setenv("BATON_NOTIFY_URL", "http://127.0.0.1:9/hook") // the example's first sink, a webhook
	m2 := startBaton(t, exampleConfig, dir, nil)
	hook := handoff.SinkName(m2.Config.Notify[0])
	if d, err := m2.DB.Deliveries(context.Background(), "01JLEGACYSINKHANDOFF00001"); err != nil || len(d) != 1 || d[hook].IsZero() {
		t.Errorf("a delivery recorded before sink ids as notify:0:webhook, after the restart: got %v %v, want it as %s", d, err, hook)
	}
	if id, _, err := m2.Links.Parse(token); err != nil || id != "01JLINKKEYTESTHANDOFF0001" {
		t.Errorf("link after a restart on the same data dir: got %q %v, want it valid", id, err)
	}
	if id, action, err := m2.Links.Parse(old); err != nil || id != "01JLINKKEYTESTHANDOFF0002" || action != handoff.LinkEnd {
		t.Errorf("link signed before the upgrade: got %q %q %v, want it valid until it expires", id, action, err)
	}
	forged := handoff.NewLinks([]byte("some-other-key-0123456789abcdef!"), "").Token("01JLINKKEYTESTHANDOFF0003", handoff.LinkAccept, time.Now().Add(time.Hour))
	if _, _, err := m2.Links.Parse(forged); !errors.Is(err, handoff.ErrBadLink) {
		t.Errorf("link signed with another key: got %v, want ErrBadLink", err)
	}
}

// seedLegacySinkRecord writes into the store of dir, as a baton before sink
// ids left it (migration 00023 marks such a store), an ended handoff whose
// request reached the first notify sink, recorded by its place in the list.
func seedLegacySinkRecord(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (key, first_seen, last_seen) VALUES ('u-legacy-sink', 1, 1);
			INSERT INTO handoffs (id, code, user_key, target, created_at, ended_at, end_reason)
				VALUES ('01JLEGACYSINKHANDOFF00001', 'A7K2', 'u-legacy-sink', 'notify', 1, 2, 'user_cancel');
			INSERT INTO handoff_deliveries (handoff_id, target, delivered_at) VALUES ('01JLEGACYSINKHANDOFF00001', 'notify:0:webhook', 1);
			INSERT INTO legacy_sink_names (pending) VALUES (1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWeakAdminTokenWarned: a short BATON_ADMIN_TOKEN is logged as weak at
// start (length only, never the token); a long one is not.
func TestWeakAdminTokenWarned(t *testing.T) {
	for _, tc := range []struct {
		name, token string
		warned      bool
	}{
		{"short", "short-admin-7q", true},
		{"long", "k3Jd9vQm2Lx8pZr5Tw1Ny6Hb4Fc0Gs7E", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("BATON_ADMIN_TOKEN", tc.token)
			var logs testlog.Buffer
			startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.NewTextHandler(&logs, nil)))
			got := logs.String()
			if warned := strings.Contains(got, "BATON_ADMIN_TOKEN is short"); warned != tc.warned {
				t.Errorf("weak-token warning: got %v, want %v (logs %q)", warned, tc.warned, got)
			}
			if strings.Contains(got, tc.token) {
				t.Errorf("logs: got the admin token in %q, want it never logged", got)
			}
		})
	}
}
