package handoff

import (
	"context"
	"fmt"
	"time"

	"github.com/baton-chat/baton/store"
)

// firstFailureMark is the delivery mark of a dealer handoff recording when
// the first failed attempt to hand it to dealer name started. It survives
// restarts with the other marks, so the failover clock does not reset.
func firstFailureMark(name string) string { return "dealer:" + name + ":first_failure" }

// failoverDue handles a transient failure (5xx, unreachable) of dealer
// name on handoff id in an attempt started at tried: the first one is
// recorded, and a later one is final once RouterOptions.DealerFailoverAfter
// has passed since the first failed attempt. A final failure comes back
// wrapped with how long the dealer has been failing (the ticket's detail).
// It returns the failure unchanged and false while the dealer is still
// retried, or the store's error.
func (r *Router) failoverDue(ctx context.Context, id, name string, done map[string]time.Time, tried time.Time, failure error) (bool, error) {
	if r.opts.DealerFailoverAfter == nil {
		return false, failure
	}
	first, seen := done[firstFailureMark(name)]
	if !seen {
		if err := r.markAt(ctx, id, firstFailureMark(name), tried); err != nil {
			return false, fmt.Errorf("%w; %w", failure, err)
		}
		first = tried
	}
	after := r.opts.DealerFailoverAfter()
	failing := r.now().Sub(first)
	if after <= 0 || failing < after {
		return false, failure
	}
	return true, fmt.Errorf("%w; failing for %s since the first failed attempt (dealer_failover_after %s)",
		failure, failing.Round(time.Second), after)
}

// now reads the router's clock.
func (r *Router) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// failDealerOver records the final failure of dealer name on h: its
// ":failed" mark and dealer_failed ticket, in one transaction and only
// while h is unaccepted (a dealer may have started its session while the
// last attempt failed; that handoff stays the dealer's). failed is false
// when h was accepted or is gone meanwhile: nothing is written and nothing
// is to be sent. The write outlives a cancelled ctx, like mark.
func (r *Router) failDealerOver(ctx context.Context, h store.Handoff, name string, failure error) (failed bool, err error) {
	detail := fmt.Sprintf("dealer %s: %v", name, failure)
	if len(r.sinks) == 0 {
		// One ticket says it all: toSinks opens no no_sink one.
		detail += "; no notify sink is configured"
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	failed, err = r.db.FailDealerOver(mctx, store.Ticket{HandoffID: h.ID, Reason: ticketDealerFailed, Detail: detail},
		"dealer:"+name+":failed", r.now())
	if err != nil {
		return false, fmt.Errorf("handoff: router: %w", err)
	}
	if failed {
		r.wakeOutbox()
	}
	return failed, nil
}
