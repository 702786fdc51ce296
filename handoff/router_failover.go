package handoff

import (
	"context"
	"fmt"
	"time"
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
