package main

import "time"

// fastRelaySweep is a startBatonLogging option for scenarios that wait for
// messages written outside a user's turn (admin ticket moves, erasures'
// owed cancels, tickets the router opens): nothing wakes the relay for
// those, it publishes them on its sweep (handoff.DefaultRelaySweep, 2 s),
// which this shortens.
func fastRelaySweep(m *Main) { m.RelaySweep = 100 * time.Millisecond }
