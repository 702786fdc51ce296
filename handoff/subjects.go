package handoff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// Subjects (stable, DESIGN §6). Payloads are ids only; consumers re-read the
// store before any side effect.

// SubjectRequest is where a new handoff for queue is announced.
func SubjectRequest(queue string) string { return "baton.handoff.req." + queue }

// SubjectEvent is where a lifecycle event of handoff id is announced
// (cancel, accepted, ended, ...).
func SubjectEvent(id, event string) string { return "baton.handoff.evt." + id + "." + event }

// Handoff lifecycle events carried on SubjectEvent (stable; docs/nats.md).
// Each change of a handoff's accepted_at or ended_at publishes exactly one of
// them, through the outbox, in the transaction that makes the change; a
// handoff's end publishes one of cancel, timeout, returned, ended or
// superseded. The payload is the handoff id; the end reason is the
// handoff's end_reason in the store.
const (
	// EventCancel: the user cancelled while waiting, or as an agent took it
	// (their 상담 취소 reached the bot just after the accept; end_reason
	// user_cancel).
	EventCancel = "cancel"
	// EventAccepted: a human took the handoff (accept link, admin API, dealer
	// session.started).
	EventAccepted = "accepted"
	// EventEnded: the human side ended it (end link, admin API, dealer
	// session.ended, the return block, the dealer idle timer).
	EventEnded = "ended"
	// EventReturned: the user spoke while with a human, so Kakao had let go
	// and the turn came back to the bot (end_reason returned_via_kakao).
	EventReturned = "returned"
	// EventTimeout: nobody took it while it waited (end_reason
	// wait_timeout, or not_connected when a one_on_one user came back
	// after the return gap).
	EventTimeout = "timeout"
	// EventSuperseded: an open external handoff was ended because the user
	// asked Baton for a human (end_reason superseded).
	EventSuperseded = "superseded"
	// EventExternal: a dealer reported a session Baton did not open; the
	// handoff (reason external) exists from now on. It stands in for the
	// request that Baton's own handoffs publish on SubjectRequest.
	EventExternal = "external"
)

// codeAlphabet leaves out look-alikes (0/O, 1/I/L) so agents can read a code
// aloud or type it from a notification.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// Effects turns the handoff effects of an engine step into the turn's outbox
// messages and further writes (timers, tickets, notifications), and mints
// handoff codes. The skill pipeline calls it inside the turn, so everything
// commits with the turn. The zero Effects writes outbox messages only.
type Effects struct {
	// Contacts encrypts the contact a user leaves with a ticket and the
	// handoff intake answers; nil drops both (they are never stored in the
	// clear).
	Contacts *store.ContactBox
	// Timers holds the timer policy (config and hours); nil schedules no
	// durable timers.
	Timers *TimerConfig
	// NoCSATEvent says the Event API cannot send the csat message (no
	// event_api.rest_api_key, no events.csat, or daily_budget_won 0): a
	// human session that ended by an event then records no csat
	// notification, which could never be sent. The turn back from a human
	// still asks in its reply.
	NoCSATEvent bool
	// NoWaitTimeoutEvent says the Event API cannot send the wait_timeout
	// message (no event_api.rest_api_key, no events.wait_timeout, or
	// daily_budget_won 0): a dealer wait that timed out is then told on
	// the user's next turn (EndedWhileWaiting), as it is to a user who is
	// not a friend.
	NoWaitTimeoutEvent bool
}

// NewCode returns a 4-character handoff code ("A7K2") shown to the user and
// the agent. Codes are for humans matching a notification to a chat room;
// the handoff id stays the key.
//
// Codes are not secrets (the user and the agent both see them), so they come
// from math/rand/v2 and stay cheap (minted by each turn that opens a handoff,
// starts a handoff intake or leaves a ticket: fsm.Minter).
func (Effects) NewCode() string {
	var b [4]byte
	for i := range b {
		b[i] = codeAlphabet[rand.IntN(len(codeAlphabet))]
	}
	return string(b[:])
}

// EndedWhileWaiting reports whether h, the handoff of user u, ended before
// anyone took it with nothing sent to tell u, so that skill says it on
// their next turn:
//   - by the human side: an admin end (AdminReason), an agent's end link
//     (LinkReason), the close of its dealer_failed ticket
//     (ReasonTicketClosed), or a dealer's session.ended other than the
//     user's own ("ended", "ended:agent", "ended:system");
//   - by the wait timeout of a dealer queue, whose apology goes by the
//     Event API (NotifyWaitTimeout), when no Event API message can reach
//     u: not a friend of the channel, test traffic (the deliverer skips
//     both), or the Event API sends no wait_timeout message
//     (NoWaitTimeoutEvent). A friend it can reach is told by it, not twice.
//
// A cancel was the user's; a one_on_one wait timeout closes silently.
// These are the flags alone; EndedUntold, which the turn asks, also reads
// what became of the apology.
func (e Effects) EndedWhileWaiting(h store.Handoff, u store.User) bool {
	if h.EndedAt.IsZero() || !h.AcceptedAt.IsZero() {
		return false
	}
	switch h.EndReason {
	case AdminReason, LinkReason, ReasonTicketClosed, fsm.EventEnded, fsm.EventEnded + ":agent", fsm.EventEnded + ":system":
		return true
	case fsm.EventWaitTimeout:
		return isDealerTarget(h.Target) && (e.NoWaitTimeoutEvent || !u.IsFriend || u.Test || h.Test)
	}
	return false
}

// SkipToldInChat is the detail of a wait_timeout apology withdrawn because
// the user's turn told it (EndedUntold).
const SkipToldInChat = "told on the user's next turn instead"

// EndedUntold is EndedWhileWaiting for the turn of u that may tell it:
// it also reports a dealer wait timeout whose apology EndedWhileWaiting
// leaves to the Event API when that apology did not reach u — the
// deliverer skipped it (over the day's budget, not a friend by then, too
// old), Kakao refused or failed it for good, its block found it stale, or
// none was recorded (the queue had left the config; counted only when
// Timers is set, since the timer policy is what records it). latest reads
// the apology (store.LatestNotification); nil, or a sent apology, leaves
// the flags' answer: a friend whose message went out is not told twice. An
// apology still pending (due, or waiting for a retry) is told by this turn
// instead: ops withdraw it in the turn's commit (store.WithdrawNotificationOp,
// SkipToldInChat); when the deliverer took it first, the commit conflicts
// and the turn, run again, finds it sent. The read is one query, made only
// for a dealer wait timeout the flags call reached.
func (e Effects) EndedUntold(ctx context.Context, h store.Handoff, u store.User,
	latest func(ctx context.Context, userKey, kind, ref string) (store.Notification, bool, error),
	now time.Time) (bool, []store.Op, error) {
	if e.EndedWhileWaiting(h, u) {
		return true, nil, nil
	}
	if latest == nil || h.EndedAt.IsZero() || !h.AcceptedAt.IsZero() || h.EndReason != fsm.EventWaitTimeout ||
		!isDealerTarget(h.Target) {
		return false, nil, nil
	}
	n, found, err := latest(ctx, h.UserKey, store.NotifyWaitTimeout, h.ID)
	if err != nil {
		return false, nil, fmt.Errorf("handoff: wait_timeout apology of %s: %w", h.ID, err)
	}
	switch {
	case !found:
		return e.Timers != nil, nil, nil
	case n.Status == store.NotificationSent:
		return false, nil, nil
	case n.Status == store.NotificationPending:
		return true, []store.Op{store.WithdrawNotificationOp(n.ID, SkipToldInChat, now)}, nil
	}
	return true, nil, nil // skipped, failed, stale
}

// AddTo adds the effects of o to w, the write of the turn (or event) that
// produced o: outbox messages, then timers, tickets, intake answers and CSAT.
func (e Effects) AddTo(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	w.Outbox = append(w.Outbox, e.Outbox(o, w.User.Key, now)...)
	if w.OpenHandoff != nil {
		w.Superseded = supersededMsg
	}
	e.addTimers(o, w, now)
	e.addTickets(o, w, now)
	e.addIntake(o, w, now)
	e.addCSAT(o, w, now)
}

// Outbox returns the messages to publish for o, in order: the lifecycle
// event of a handoff o accepts (accepted) or closes (closeEvent), then a
// request when a handoff opens.
func (Effects) Outbox(o *fsm.Outcome, userKey string, now time.Time) []store.OutboxMsg {
	var msgs []store.OutboxMsg
	if id := acceptedHandoff(o); id != "" {
		msgs = append(msgs, EventMsg(id, EventAccepted, now))
	}
	if c := o.Close; c != nil && c.ID != "" {
		msgs = append(msgs, EventMsg(c.ID, closeEvent(o), now))
	}
	if op := o.Open; op != nil {
		msgs = append(msgs, store.OutboxMsg{
			ID: store.NewID(now), Subject: SubjectRequest(op.Queue), Payload: []byte(op.ID), CreatedAt: now,
		})
	}
	return msgs
}
