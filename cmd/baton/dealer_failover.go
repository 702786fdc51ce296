package main

import "time"

// dealerFailoverAfter is handoff.dealer_failover_after of the config in
// force, read by the router on each dealer failure (a reload changes it).
func (m *Main) dealerFailoverAfter() time.Duration {
	return m.CurrentConfig().Handoff.DealerFailoverAfter.D()
}
