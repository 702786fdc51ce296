package configs

import (
	"strings"
	"time"
)

// DefaultDealerFailover is handoff.dealer_failover_after: how long the
// router keeps retrying a dealer that is down (5xx, unreachable) before it
// falls back to the notify sinks and a dealer_failed ticket. It must stay
// below the effective wait timeout of every queue that targets a dealer (the
// queue's own wait_timeout, else handoff.wait_timeout.dealer), or the wait
// timeout closes the handoff first and the agents learn of the outage only
// then; when the bot master leaves dealer_failover_after unset and the
// shortest such wait is not longer than this default, the default is half
// that wait instead.
const DefaultDealerFailover = 2 * time.Minute

// defaultDealerFailover returns the dealer_failover_after used when the bot
// master did not set it: DefaultDealerFailover, or half of wait (the
// shortest effective dealer wait) when that default would not be shorter.
func defaultDealerFailover(wait time.Duration) time.Duration {
	if DefaultDealerFailover < wait {
		return DefaultDealerFailover
	}
	return wait / 2
}

// shortestDealerWait returns the shortest effective wait timeout of the
// queues of h that target a dealer (a queue's own wait_timeout, else
// handoff.wait_timeout.dealer), or wait_timeout.dealer without such a queue.
// It expects wait_timeout.dealer to be defaulted already.
func shortestDealerWait(h Handoff) time.Duration {
	shortest := time.Duration(0)
	for _, q := range h.Queues {
		if !strings.HasPrefix(q.Target, "dealer:") {
			continue
		}
		if w := queueWait(h, q); shortest == 0 || w < shortest {
			shortest = w
		}
	}
	if shortest == 0 {
		return h.WaitTimeout.Dealer.D()
	}
	return shortest
}

// queueWait is the effective wait timeout of q, a queue targeting a dealer.
func queueWait(h Handoff, q Queue) time.Duration {
	if w := q.WaitTimeout.D(); w > 0 {
		return w
	}
	return h.WaitTimeout.Dealer.D()
}

// validateDealerFailover checks a dealer_failover_after the bot master set
// against the effective wait timeout of each queue that targets a dealer
// (defaults applied): without such a queue the setting is never used.
func (t *tree) validateDealerFailover(c *Config) {
	h := c.Handoff
	fp := path{"handoff", "dealer_failover_after"}
	if !t.has(fp) {
		return
	}
	f := h.DealerFailoverAfter.D()
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := h.Queues[name]
		if !ok || !strings.HasPrefix(q.Target, "dealer:") {
			continue
		}
		wait := queueWait(h, q)
		if f < wait {
			continue
		}
		if q.WaitTimeout.D() > 0 {
			t.errAt(fp, "dealer_failover_after (%v) must be shorter than the wait_timeout (%v) of dealer queue %q: a dealer that is down must fail over while the user still waits",
				f, wait, name)
		} else {
			t.errAt(fp, "dealer_failover_after (%v) must be shorter than wait_timeout.dealer (%v), which dealer queue %q uses: a dealer that is down must fail over while the user still waits",
				f, wait, name)
		}
	}
}
