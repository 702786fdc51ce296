package configs

import (
	"strings"
	"time"
)

// DefaultDealerFailover is handoff.dealer_failover_after: how long the
// router keeps retrying a dealer that is down (5xx, unreachable) before it
// falls back to the notify sinks and a dealer_failed ticket. It must stay
// below handoff.wait_timeout.dealer, or the wait timeout closes the handoff
// first and the agents learn of the outage only then; when the bot master
// leaves dealer_failover_after unset and wait_timeout.dealer is not longer
// than this default, the default is half the wait timeout instead.
const DefaultDealerFailover = 2 * time.Minute

// defaultDealerFailover returns the dealer_failover_after used when the bot
// master did not set it: DefaultDealerFailover, or half of
// wait_timeout.dealer when that default would not be shorter than the wait.
func defaultDealerFailover(wait time.Duration) time.Duration {
	if DefaultDealerFailover < wait {
		return DefaultDealerFailover
	}
	return wait / 2
}

// validateDealerFailover checks a dealer_failover_after the bot master set
// against handoff.wait_timeout.dealer (defaults applied), and only when a
// queue targets a dealer: without one the setting is never used.
func (t *tree) validateDealerFailover(c *Config) {
	h := c.Handoff
	if !t.has(path{"handoff", "dealer_failover_after"}) || !hasDealerQueue(h) {
		return
	}
	if f, wait := h.DealerFailoverAfter.D(), h.WaitTimeout.Dealer.D(); f >= wait {
		t.errAt(path{"handoff", "dealer_failover_after"},
			"dealer_failover_after (%v) must be shorter than wait_timeout.dealer (%v): a dealer that is down must fail over while the user still waits",
			f, wait)
	}
}

// hasDealerQueue reports whether a queue of h targets a dealer.
func hasDealerQueue(h Handoff) bool {
	for _, q := range h.Queues {
		if strings.HasPrefix(q.Target, "dealer:") {
			return true
		}
	}
	return false
}
