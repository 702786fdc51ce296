package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// runDeliverer runs d every few milliseconds until the test ends.
func runDeliverer(t *testing.T, d *EventDeliverer) {
	t.Helper()
	d.Interval = 5 * time.Millisecond
	runUntilCleanup(t, d.Run)
}

// TestEventDelivererPanicIsLeftToTheNextRound: a round that panics (here
// the clock, on its first call) does not stop the deliverer: the panic is
// logged once at ERROR with its stack and the next round sends the
// notification.
func TestEventDelivererPanicIsLeftToTheNextRound(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	eventUser(t, db, "friend-panic", "bot1", true, false)
	id := notify(t, db, "friend-panic", store.NotifyReopen, "")
	var logs testlog.Buffer
	d := newTestDeliverer(t, db, rec, testEventConfig())
	d.log = slog.New(slog.NewTextHandler(&logs, nil))
	var calls atomic.Int32
	d.Now = func() time.Time {
		if calls.Add(1) == 1 {
			var m map[string]int
			m["now"]++ // panics: assignment to entry in nil map
		}
		return time.Now()
	}
	runDeliverer(t, d)
	checkForT(t, 5*time.Second, func() error {
		if st, _ := notificationStatus(t, db, id); st != store.NotificationSent {
			return fmt.Errorf("notification is %s, want sent", st)
		}
		if len(rec.gotTalks()) == 0 {
			return fmt.Errorf("no call yet")
		}
		return nil
	})
	if got := len(rec.gotTalks()); got != 1 {
		t.Errorf("got %d calls, want 1", got)
	}
	out := logs.String()
	if got := strings.Count(out, "level=ERROR"); got != 1 {
		t.Errorf("got %d ERROR lines, want 1 (the panic):\n%s", got, out)
	}
	for _, want := range []string{"assignment to entry in nil map", "stack=", "eventapi_panic_test.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "friend-panic") {
		t.Errorf("log names the user key:\n%s", out)
	}
}

// TestEventDelivererPanicAfterTheCallIsNotResent: a panic after Kakao
// accepted a call but before its answer was recorded leaves the send as a
// restart would: Recover marks it unknown, so no later round resends it
// and none is left open; the log line names the panic, not a restart.
func TestEventDelivererPanicAfterTheCallIsNotResent(t *testing.T) {
	t.Parallel()
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	eventUser(t, db, "friend-panic-late", "bot1", true, false)
	notify(t, db, "friend-panic-late", store.NotifyReopen, "")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	var logs testlog.Buffer
	d.log = slog.New(slog.NewTextHandler(&logs, nil))
	var panicked atomic.Bool
	var reads atomic.Int64 // clock readings: each round reads it at least once
	d.Now = func() time.Time {
		reads.Add(1)
		// The first reading of the clock after Kakao got the call is the
		// one its answer is recorded with.
		if len(rec.gotTalks()) == 1 && panicked.CompareAndSwap(false, true) {
			var m map[string]int
			m["now"]++ // panics: assignment to entry in nil map
		}
		return time.Now()
	}
	runDeliverer(t, d)
	checkForT(t, 5*time.Second, func() error {
		if !panicked.Load() {
			return fmt.Errorf("no panic yet")
		}
		open, err := db.OpenEventSends(context.Background())
		if err != nil {
			return err
		}
		if len(open) != 0 {
			return fmt.Errorf("got %d open sends (first %s), want none", len(open), open[0].Status)
		}
		// The send is abandoned before its line is logged.
		if !strings.Contains(logs.String(), "not resent") {
			return fmt.Errorf("no log line about the interrupted call yet")
		}
		return nil
	})
	// The line says what interrupted the call: a panic, not a restart.
	out := logs.String()
	if !strings.Contains(out, `"eventapi: a call interrupted by a panic in this process is not resent"`) || strings.Contains(out, "restart") {
		t.Errorf("got log %q, want the interrupted call blamed on a panic in this process, not a restart", out)
	}
	// A few more rounds send nothing again.
	n := reads.Load()
	checkForT(t, 5*time.Second, func() error {
		if reads.Load() < n+3 {
			return fmt.Errorf("waiting for more rounds")
		}
		return nil
	})
	if got := len(rec.gotTalks()); got != 1 {
		t.Errorf("got %d calls, want 1: the interrupted call is never resent", got)
	}
}
