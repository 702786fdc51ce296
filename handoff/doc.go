// Package handoff owns everything between a committed escalation and a human:
// queues, hours, the outbox relay, the JetStream stream and its subjects, the
// router, timers, dealers, notify sinks and the Event API and callback clients.
// It is the only package that spells a NATS subject or stream name.
package handoff
