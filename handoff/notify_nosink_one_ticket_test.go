package handoff_test

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestNotifyWaitTimeoutWithoutSinksOpensOneTicket checks that a notify
// handoff with no notify sink configured gets one ticket: the router's
// no_sink ticket, and no notify_failed one from the wait timer's
// notifyUnanswered (store.OpenNotifyUnansweredTicket skips a handoff that
// has a no_sink ticket).
func TestNotifyWaitTimeoutWithoutSinksOpensOneTicket(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	cfg := timerConfig(t, d, time.Second)
	cfg.Notify = nil
	e := startTimerEnv(t, t.TempDir(), cfg, nil, nil)

	e.turn("u-nosink", "상담원 블록", "상담원")
	id := e.conv("u-nosink").HandoffID
	if id == "" {
		t.Fatal("no handoff opened")
	}
	h, ok, err := e.db.Handoff(context.Background(), id)
	if err != nil || !ok || h.Target != "notify" {
		t.Fatalf("got handoff %+v (found %v, err %v), want a notify handoff", h, ok, err)
	}
	e.waitState("u-nosink", fsm.StateBot)
	// The router's no_sink ticket, then the wait timer's firing handled.
	testutil.CheckFor(t, 5*time.Second, 50*time.Millisecond, func() error {
		var n int
		if err := e.db.ReadDB().QueryRowContext(context.Background(),
			`SELECT COUNT(*) FROM tickets WHERE handoff_id = ? AND reason = 'no_sink'`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 || e.timers.Handled() == 0 {
			return errRedeliveryNotYet
		}
		return nil
	})
	rows, err := e.db.ReadDB().QueryContext(context.Background(), `SELECT reason FROM tickets WHERE handoff_id = ? ORDER BY reason`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 1 {
		t.Errorf("handoff %s: got tickets %v, want exactly one", id, got)
	}
}
