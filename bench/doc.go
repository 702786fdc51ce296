// Package bench is Baton's load benchmark: a load generator that drives
// POST /skill over loopback with payloads shaped like Open Builder's, from
// many distinct users in realistic sessions, and a bare Echo v5 handler
// (BareHandler) that decodes the same payload and returns a fixed answer,
// so that `baton bench` can report Baton's throughput as a ratio of the
// bare handler's in one run on one machine.
//
// Two phases run per target: saturation (closed loop, C connections; its
// window starts once the target has finished the work its warm-up left
// behind, Target.Quiet) and a fixed rate (open loop, latency measured from
// the scheduled send time, so a stalled server cannot hide its queueing
// delay). The client classifies
// every answer (ok, fallback, rate-limited, non-200, transport error,
// unparseable) and keeps each user's quick replies for the next tap (one
// read-only copy per distinct array, shared by every user it was sent to).
//
// Reference handlers (Reference, OpenUpsertHandler) are the bare handler
// plus one SQLite upsert per turn committed before the answer, the issue's
// calibration point, measured with the same saturation phase when asked.
//
// bench depends only on the wire format, on skill.Decode and (for the
// reference handlers) on the SQLite driver; it must not import store,
// fsm, faq, handoff or cmd.
package bench
