package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// flakySink is a notify receiver that answers 503 while down and records
// the bodies it accepted otherwise.
type flakySink struct {
	srv      *httptest.Server
	down     atomic.Bool
	attempts atomic.Int64 // requests received, accepted or not
	mu       sync.Mutex
	got      []string
}

func newFlakySink(t *testing.T) *flakySink {
	t.Helper()
	s := &flakySink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.attempts.Add(1)
		if s.down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		s.mu.Lock()
		s.got = append(s.got, string(body))
		s.mu.Unlock()
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// has reports whether an accepted body contains id.
func (s *flakySink) has(id string) bool {
	for _, b := range s.bodies() {
		if strings.Contains(b, id) {
			return true
		}
	}
	return false
}

func (s *flakySink) bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// TestDiskFullWhileServing fills the database for real (SQLite's
// max_page_count on the writer: every write that needs a new page fails with
// SQLITE_FULL) while a confirmed handoff still waits for its notify sink:
// turns answer 200 and the fallback and none of them is stored, /readyz says
// the store cannot write because the disk is full, the store logs the cause
// once rather than once per turn, the handoff reaches the sink, and once
// space is back turns commit again without a restart.
func TestDiskFullWhileServing(t *testing.T) {
	hook := newFlakySink(t)
	hook.down.Store(true)
	t.Setenv("BATON_NOTIFY_URL", hook.srv.URL+"/hook")
	t.Setenv("BATON_NOTIFY_SECRET", e2eNotifySecret)
	t.Setenv("BATON_SLACK_URL", "")
	clock := &testClock{t: mondayMorning}
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.NewTextHandler(&logs, nil)),
		func(m *Main) { m.RouterRetryDelay = 200 * time.Millisecond }) // 10 deliveries span 2 s: past the filling
	ctx := context.Background()

	// A handoff confirmed (committed, acknowledged) while the sink is down.
	s := newSession(t, m, clock, "u-full-handoff")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)
	handoffID, _, _, _ := s.handoff()

	if _, err := m.DB.SetPageLimit(ctx, 1); err != nil { // the file may not grow any more
		t.Fatal(err)
	}
	answered := map[string]bool{} // user → got a real answer (not the fallback)
	run, i := 0, 0
	for ; run < 10 && i < 400; i++ { // until 10 turns in a row fail
		user := fmt.Sprintf("u-full-%d", i)
		code, body := postSkill(t, m, turn{User: user, Utterance: "배송비 얼마예요"}.payload(), nil)
		if code != 200 {
			t.Fatalf("turn %d on a full disk: got status %d, want 200", i, code)
		}
		answered[user] = !isFallback(t, body)
		if answered[user] {
			run = 0
		} else {
			run++
		}
	}
	if run < 10 {
		t.Fatalf("after %d turns with the page limit set, got %d fallbacks in a row, want 10", i, run)
	}
	code, body := getAdmin(t, m, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "disk full") {
		t.Errorf("/readyz on a full disk: got %d %s, want 503 naming the disk full", code, body)
	}

	// More failing turns add no store error line: the cause was logged once.
	before := len(logs.String())
	for j := range 10 {
		user := fmt.Sprintf("u-full-more-%d", j)
		_, body := postSkill(t, m, turn{User: user, Utterance: "배송비 얼마예요"}.payload(), nil)
		answered[user] = !isFallback(t, body)
	}
	if n := strings.Count(logs.String()[before:], "group commit failed"); n != 0 {
		t.Errorf("store error lines for 10 more failing turns: got %d, want 0 (logged once per run of failures)", n)
	}
	if !strings.Contains(logs.String(), `cause="disk full"`) {
		t.Errorf("logs do not name the cause (disk full):\n%s", logs.String())
	}

	// The sink comes back while the disk is still full: the handoff confirmed
	// before still reaches it.
	hook.down.Store(false)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		for _, b := range hook.bodies() {
			if strings.Contains(b, handoffID) {
				return nil
			}
		}
		return fmt.Errorf("sink got %d notifications, none for handoff %s; logs:\n%s", len(hook.bodies()), handoffID, logs.String())
	})

	// Space is freed: turns commit again, without a restart.
	if _, err := m.DB.SetPageLimit(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	code, body2 := postSkill(t, m, turn{User: "u-full-after", Utterance: "배송비 얼마예요"}.payload(), nil)
	if code != 200 || isFallback(t, body2) {
		t.Fatalf("turn after space was freed: got %d %s, want a real answer", code, body2)
	}
	answered["u-full-after"] = true
	if code, body := getAdmin(t, m, "/readyz"); code != 200 || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/readyz after space was freed: got %d %s, want 200 and store ok", code, body)
	}
	if !strings.Contains(logs.String(), "store: writes recovered") {
		t.Errorf("logs do not say the writes recovered:\n%s", logs.String())
	}

	// A reply went out only for a committed turn.
	if err := m.DB.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for user, ok := range answered {
		var n int
		if err := m.DB.ReadDB().QueryRowContext(ctx, "SELECT count(*) FROM turns WHERE user_key = ?", user).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if ok != (n > 0) {
			t.Errorf("%s: answered %v, stored turns %d: a reply must go out exactly for a committed turn", user, ok, n)
		}
	}
}
