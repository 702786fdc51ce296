package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// ErrConflict is returned by Commit when the conversation's stored version is
// not the one the turn read, or when the turn would open a second handoff for
// a user who already has one open. Only that turn is rolled back.
var ErrConflict = errors.New("store: conflict")

// ErrFailedOver is returned by Commit for a dealer's accept (HandoffAccept
// ByDealer) of a handoff the router has failed over from that dealer. It
// wraps ErrConflict: the turn wrote nothing.
var ErrFailedOver = fmt.Errorf("store: handoff failed over from its dealer: %w", ErrConflict)

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("store: closed")

// User is a KakaoTalk user as the bot sees them.
type User struct {
	Key           string // botUserKey (userRequest.user.id)
	BotID         string // bot.id as sent (a trailing "!" = development channel)
	PlusfriendKey string
	AppUserID     string
	IsFriend      bool
	Test          bool
	FirstSeen     time.Time
	LastSeen      time.Time
	WelcomedAt    time.Time
}

// Turn is one user turn and Baton's answer, stored as ids and masked text.
type Turn struct {
	ID        string // ULID
	UserKey   string
	At        time.Time
	Block     string // the Open Builder block's name, as the payload carried it
	Utterance string // masked
	Kind      string // fsm.TurnRecord.Kind
	Node      string // fsm.TurnRecord.Node
	Score     float64
	State     fsm.State // state after the turn
	Test      bool
	// Source is how the user's side came in (fsm.InputKind.String): "text",
	// "tap", "knowledge" and "mapped" are a user's turns; "welcome",
	// "returned" and "event" are not. "" for turns written before
	// migration 00022.
	Source string
}

// Handoff is one escalation to a human.
type Handoff struct {
	ID            string // ULID
	Code          string // short code shown to user and agent
	UserKey       string
	BotID         string
	PlusfriendKey string
	Queue         string
	Target        string // "notify" or "dealer:<name>"
	Reason        string
	MenuPath      []string
	FAQMisses     int
	Test          bool
	CreatedAt     time.Time
	AcceptedAt    time.Time // zero until a human takes it
	EndedAt       time.Time // zero while open
	EndReason     string
	// ContactPref is how the user asked, during the intake, to be answered
	// instead of a call: fsm.ContactPrefSMS ("sms"), fsm.ContactPrefChat
	// ("chat") or "".
	ContactPref string
}

// HandoffEnd closes an open handoff.
type HandoffEnd struct {
	ID     string
	Reason string
	At     time.Time
	// FailedOver: the router had failed the handoff over from its dealer
	// (DealerFailed) and an agent worked it outside the chat. The store
	// writes nothing for it; no CSAT question is queued for its end.
	FailedOver bool
	// ByDealer: the dealer's own session.ended ends it. The turn is refused
	// with ErrFailedOver, writing nothing, if the router has failed the
	// handoff over from its dealer meanwhile (as HandoffAccept.ByDealer).
	ByDealer bool
}

// HandoffAccept records that a human took an open handoff.
type HandoffAccept struct {
	ID string
	At time.Time
	// FailedOver: the router had failed the handoff over from its dealer
	// (DealerFailed) before this accept. The store writes nothing for it;
	// the timer policy gives such a handoff the 1:1 idle rule.
	FailedOver bool
	// ByDealer: the dealer's own session.started accepts. The turn is
	// refused with ErrFailedOver, writing nothing, if the router has failed
	// the handoff over from its dealer meanwhile (DealerFailed, checked in
	// the turn's transaction: the router's FailDealerOver in turn writes
	// only while the handoff is unaccepted, so one of the two wins).
	ByDealer bool
}

// OutboxMsg is a message to publish to JetStream after commit. ID is a ULID
// used as the JetStream Msg-Id.
type OutboxMsg struct {
	ID        string
	Subject   string
	Payload   []byte
	CreatedAt time.Time
	// Headers are NATS headers to publish with (a JetStream message
	// schedule's Nats-Schedule and Nats-Schedule-Target); nil for none.
	Headers map[string]string
	// Seq is the row's place among the outbox rows this process's turns
	// inserted (1, 2, ...), set by Commit; 0 for a row read from the outbox
	// or queued another way. PendingOutboxCovering compares it with a read.
	Seq uint64
}

// Op is one more statement a turn commits atomically with its conversation:
// a timer, a ticket, a pending notification. Packages that own a table build
// Ops with constructors (ScheduleTimerOp, AddNotificationOp, ...), so the
// writer need not know every table. An Op runs after the turn's own writes,
// in the turn's savepoint.
type Op struct {
	Name string // for errors: "schedule timer wait_timeout"
	SQL  string // one statement; prepared once per writer and reused
	Args []any
	// MustAffect makes an Op that changes no row fail the turn with
	// ErrConflict (only this turn is rolled back).
	MustAffect bool
}

// TurnWrite is everything one turn commits atomically.
type TurnWrite struct {
	User User
	// Conv is the new conversation; Conv.Version must be the version the turn
	// read (0 for a new user). The store writes Version+1 and, on success,
	// sets w.Conv.Version to it.
	Conv          fsm.Conversation
	Turn          Turn
	OpenHandoff   *Handoff
	EndHandoff    *HandoffEnd
	AcceptHandoff *HandoffAccept
	Outbox        []OutboxMsg
	// Ops are further statements of the turn (timers, tickets, notifications).
	Ops []Op
	// Superseded, when set, returns the message announcing that opening
	// OpenHandoff ended the user's open external handoff id (end reason
	// superseded); it is queued in the outbox with the turn.
	Superseded func(id string, at time.Time) OutboxMsg
	// SupersededOutbox is set by Commit: the messages Superseded returned,
	// as inserted (OutboxMsg.Seq set); nil when the turn ended no external
	// handoff or Commit failed. CommittedOutbox hands them over with
	// Outbox.
	SupersededOutbox []OutboxMsg
}

// CommittedOutbox returns the outbox rows a successful Commit of w
// inserted, in the order it inserted them: SupersededOutbox, then Outbox.
// They are what the turn hands the outbox relay once Commit returned nil.
func (w *TurnWrite) CommittedOutbox() []OutboxMsg {
	if len(w.SupersededOutbox) == 0 {
		return w.Outbox
	}
	return append(slices.Clip(w.SupersededOutbox), w.Outbox...)
}
