// Package bench is Baton's load benchmark: a load generator that drives
// POST /skill over loopback with payloads shaped like Open Builder's, from
// many distinct users in realistic sessions, and a bare Echo v5 handler
// (BareHandler) that decodes the same payload and returns a fixed answer,
// so that `baton bench` can report Baton's throughput as a ratio of the
// bare handler's in one run on one machine.
//
// Two phases run per target: saturation (closed loop, C connections) and a
// fixed rate (open loop, latency measured from the scheduled send time, so
// a stalled server cannot hide its queueing delay). The client classifies
// every answer (ok, fallback, rate-limited, non-200, transport error,
// unparseable) and keeps each user's quick replies for the next tap.
//
// bench depends only on the wire format and on skill.Decode; it must not
// import store, fsm, faq, handoff or cmd.
package bench
