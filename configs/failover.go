package configs

import "time"

// DefaultDealerFailover is handoff.dealer_failover_after: how long the
// router keeps retrying a dealer that is down (5xx, unreachable) before it
// falls back to the notify sinks and a dealer_failed ticket. It must stay
// below handoff.wait_timeout.dealer, or the wait timeout closes the handoff
// first and the agents learn of the outage only then.
const DefaultDealerFailover = 2 * time.Minute

// validateDealerFailover checks handoff.dealer_failover_after (defaults
// applied) against handoff.wait_timeout.dealer.
func (t *tree) validateDealerFailover(c *Config) {
	h := c.Handoff
	if f, wait := h.DealerFailoverAfter.D(), h.WaitTimeout.Dealer.D(); f >= wait {
		t.errAt(path{"handoff", "dealer_failover_after"},
			"dealer_failover_after (%v) must be shorter than wait_timeout.dealer (%v): a dealer that is down must fail over while the user still waits",
			f, wait)
	}
}
