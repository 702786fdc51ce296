package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestDealerFailedHandoffLeavesTheQueue: once the router gives up on a
// dealer (a final 4xx) and falls back to the sinks and a dealer_failed
// ticket, the handoff no longer counts as waiting: its user is told the
// request went to the agents as an inquiry (texts.waiting_dealer_failure)
// instead of "대기 순서 1번", and a user escalating after it is first in
// line.
func TestDealerFailedHandoffLeavesTheQueue(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadRequest) // the first handoff fails for good
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(dealer.Close)
	env := testEnv{}
	env["BATON_DEALER_URL"] = dealer.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)

	failed := newSession(t, m, clock, "u-failed-first")
	failed.welcome()
	toDealerWaiting(failed)
	id, _, _, _ := failed.handoff()
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		var n int
		if err := m.DB.ReadDB().QueryRowContext(context.Background(),
			`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'dealer_failed'`, id).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("handoff %s: %d dealer_failed tickets, want 1 (dealer called %d times)", id, n, calls.Load())
		}
		return nil
	})

	var code string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&code); err != nil {
		t.Fatal(err)
	}
	// The example's Event API is off: no answer can come back in the chat.
	want := strings.ReplaceAll(configs.DefaultTexts().WaitingDealerFailureNoReply, "{code}", code)
	// The waiting view re-reads the failure at most once per second.
	testutil.CheckFor(t, 5*time.Second, 100*time.Millisecond, func() error {
		failed.say("언제 연결돼요?")
		if got := failed.last.text(); !strings.Contains(got, want) {
			return fmt.Errorf("got answer %q, want it to contain %q", got, want)
		}
		return nil
	})
	failed.wantState(fsm.StateWaiting)
	if strings.Contains(failed.last.text(), "대기 순서") {
		t.Errorf("got %q, want no queue position for a failed-over handoff", failed.last.text())
	}
	if !failed.hasQuickReply("상담 취소") {
		t.Errorf("got no 상담 취소 quick reply: %s", failed.raw)
	}

	next := newSession(t, m, clock, "u-after-failed")
	next.welcome()
	toDealerWaiting(next)
	next.say("언제 연결돼요?")
	next.wantText("대기 순서 1번")
}
