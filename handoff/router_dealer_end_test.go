package handoff

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// hookDealer is a DealerTarget whose Request runs hook, and Cancel
// cancelHook when set.
type hookDealer struct {
	calls, cancels atomic.Int32
	hook           func(ctx context.Context, h store.Handoff) error
	cancelHook     func(ctx context.Context, h store.Handoff) error
}

func (d *hookDealer) Request(ctx context.Context, h store.Handoff, _ Context) error {
	d.calls.Add(1)
	return d.hook(ctx, h)
}

func (d *hookDealer) Cancel(ctx context.Context, h store.Handoff) error {
	d.cancels.Add(1)
	if d.cancelHook == nil {
		return nil
	}
	return d.cancelHook(ctx, h)
}

// TestDealerFailoverOfCancelledHandoff: the user cancels (상담 취소) while
// the router's call to a failing dealer is under way, and the dealer's
// final refusal comes back after. The handoff is over by the user's own
// choice: no dealer_failed ticket (a cancel opens none), and the handoff is
// not marked failed over.
func TestDealerFailoverOfCancelledHandoff(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	dealer := &hookDealer{}
	dealer.hook = func(_ context.Context, h store.Handoff) error {
		if err := f.endAs(h, "user_cancel", time.Now().UTC()); err != nil {
			return err
		}
		return fmt.Errorf("status 400: %w", ErrDealerFailed)
	}
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{
		Dealers: map[string]DealerTarget{"acme": dealer}, RetryDelay: 20 * time.Millisecond,
	})
	h := f.escalate(t, "u-cancel-mid-call", "dealer:acme", time.Now().UTC())
	waitHandled(t, rt, 1)
	if n := dealer.calls.Load(); n != 1 {
		t.Errorf("dealer called %d times, want 1", n)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Errorf("tickets %v for a handoff the user cancelled during the dealer call, want none", got)
	}
	if failed, err := f.db.DealerFailed(context.Background(), h.ID); err != nil || failed {
		t.Errorf("DealerFailed of the cancelled handoff: %v, %v; want false", failed, err)
	}
}

// TestShutdownDuringLastDealerCallFailsNothingOver: the router stops (a
// deploy) while its last delivery (MaxDeliver) of a dealer request waits
// for the dealer. That attempt neither succeeded nor failed: no failover,
// no ticket, and the next router hands the handoff to the dealer.
func TestShutdownDuringLastDealerCallFailsNothingOver(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	inCall := make(chan struct{}, 1)
	hanging := &hookDealer{hook: func(ctx context.Context, _ store.Handoff) error {
		inCall <- struct{}{}
		<-ctx.Done() // a slow dealer: the call ends with the router's context
		return fmt.Errorf("dealer acme request: %w (%w)", ctx.Err(), ErrDealerUnavailable)
	}}
	opts := RouterOptions{
		Dealers: map[string]DealerTarget{"acme": hanging}, MaxDeliver: 1,
		RetryDelay: 20 * time.Millisecond, AckWait: 200 * time.Millisecond,
		DealerFailoverAfter: func() time.Duration { return time.Hour },
	}
	h := f.escalate(t, "u-stop-mid-call", "dealer:acme", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)
	stop := startRouter(t, NewRouter(f.db, f.js, nil, nil, opts))
	select {
	case <-inCall:
	case <-time.After(10 * time.Second):
		t.Fatal("the dealer was never called")
	}
	stop()
	if failed, err := f.db.DealerFailed(context.Background(), h.ID); err != nil || failed {
		t.Errorf("after a shutdown mid-call: DealerFailed %v, %v; want false (Baton stopped, the dealer did not fail)", failed, err)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Errorf("after a shutdown mid-call: tickets %v, want none", got)
	}
	done, err := f.db.Deliveries(context.Background(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := done["dealer:acme:first_failure"]; ok {
		t.Errorf("deliveries %v: the shutdown started the dealer's failover clock", done)
	}

	good := &hookDealer{hook: func(context.Context, store.Handoff) error { return nil }}
	opts.Dealers = map[string]DealerTarget{"acme": good}
	startRouter(t, NewRouter(f.db, f.js, nil, nil, opts))
	checkForT(t, 10*time.Second, func() error {
		done, err := f.db.Deliveries(context.Background(), h.ID)
		if err != nil {
			return err
		}
		if _, ok := done["dealer:acme"]; !ok {
			return errors.New("the restarted router has not handed the handoff to the dealer")
		}
		return nil
	})
	if failed, err := f.db.DealerFailed(context.Background(), h.ID); err != nil || failed {
		t.Errorf("after the restart: DealerFailed %v, %v; want false", failed, err)
	}
}

// TestDealerRefusedCancelIsFinal: a cancel the dealer refuses for good (a
// 4xx, ErrDealerFailed) is not sent again, and does not end as a
// router_poison ticket after MaxDeliver deliveries: the handoff is over on
// Baton's side whatever the dealer answers (dealer contract §2.3).
func TestDealerRefusedCancelIsFinal(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	dealer := &hookDealer{
		hook:       func(context.Context, store.Handoff) error { return nil },
		cancelHook: func(context.Context, store.Handoff) error { return fmt.Errorf("status 404: %w", ErrDealerFailed) },
	}
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	rt := startRouting(t, f, hook, slack, RouterOptions{
		Dealers: map[string]DealerTarget{"acme": dealer}, MaxDeliver: 2, RetryDelay: 20 * time.Millisecond,
	})
	at := time.Now().UTC()
	h := f.escalate(t, "u-cancel-refused", "dealer:acme", at)
	waitHandled(t, rt, 1)
	f.end(t, h, at.Add(time.Second))
	republish(t, f, SubjectEvent(h.ID, EventCancel), h.ID)
	waitHandled(t, rt, 2)
	time.Sleep(200 * time.Millisecond) // ten retry delays: a Nak'd cancel would be back by now
	if n := dealer.cancels.Load(); n != 1 {
		t.Errorf("dealer cancels: %d, want 1 (a refusal is final)", n)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 0 {
		t.Errorf("tickets %v after a refused cancel, want none", got)
	}
}
