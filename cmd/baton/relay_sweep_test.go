package main

import "time"

// fastRelaySweep is a startBatonLogging option for scenarios that wait for
// messages written outside a user's turn. Their writers wake the relay
// (the router, the timers, dealer events, the admin API:
// TestAdminMovesLeaveAtOnce), so this is a belt and braces: any row nothing
// woke the relay for is published on its sweep (handoff.DefaultRelaySweep,
// 2 s), which this shortens.
func fastRelaySweep(m *Main) { m.RelaySweep = 100 * time.Millisecond }
