package fsm

import (
	"strconv"
	"time"
)

// State is a conversation lifecycle state. The names are stable (DESIGN §5).
type State string

// The lifecycle states.
const (
	StateBot        State = "bot"         // menus and FAQ; Baton answers
	StateConfirm    State = "confirm"     // "상담원을 연결할까요?" asked
	StateWaiting    State = "waiting"     // handoff open, no human yet
	StateHuman      State = "human"       // a human holds the chat; Baton is silent
	StateAfterHours State = "after_hours" // queue closed: next opening, ticket, notify-on-open
)

// Conversation is the persisted per-user state the engine steps. The store
// saves it whole; Version is the optimistic-concurrency counter the store
// checks and increments.
type Conversation struct {
	UserKey   string // botUserKey (userRequest.user.id)
	State     State
	MenuPath  []string // stack of menu ids, main menu first; empty = at the main menu
	FAQMisses int      // consecutive no-matches (DESIGN §4)
	// Clarify holds the FAQ ids offered by the last clarify; a next turn that
	// picks none of them counts as a miss.
	Clarify []string
	// CSATPending is the CSAT question the last reply asked, "" when it
	// asked none: its source (CSATFromReply, or CSATFromEvent for the
	// Event API's question) and the handoff it is about,
	// "reply:<handoff id>" (ParseCSATPending). The next turn may type its
	// score instead of tapping it, and the score goes to that handoff.
	// CSATAskedAgain follows when the reply asked it again after an unclear
	// score. It lasts one turn and is independent of Clarify, so a clarify
	// list in the same reply leaves it in place.
	CSATPending string
	HandoffID   string // open handoff, if any
	Queue       string // queue of the open handoff or pending confirm
	// StateSince is when State was entered (return_gap, wait timeouts).
	StateSince time.Time
	// LastTurnAt is the previous user turn (session_idle).
	LastTurnAt time.Time
	// WelcomedAt is when the user last saw the full welcome (zero = never).
	WelcomedAt    time.Time
	ConfigVersion string
	Version       int64
	// Intake is a ticket intake in progress (after_hours only; zero = none).
	Intake Intake
}

// InputKind is how a turn was classified.
type InputKind int

// Turn kinds, decided by Classify from the block and the tap's extra.
const (
	InputText      InputKind = iota // free text (fallback block or unmapped block)
	InputWelcome                    // the welcome block
	InputTap                        // a button/quick-reply tap carrying Baton's extra
	InputReturned                   // blocks.returned: a dealer ended with the bot
	InputMapped                     // a custom block from blocks.map
	InputKnowledge                  // 지식+ with matchedKnowledges
	InputEvent                      // an Event API event block (handled by handoff)
)

// String names k as the turns table records it (store.Turn.Source): "text",
// "welcome", "tap", "returned", "mapped", "knowledge" or "event".
func (k InputKind) String() string {
	switch k {
	case InputText:
		return "text"
	case InputWelcome:
		return "welcome"
	case InputTap:
		return "tap"
	case InputReturned:
		return "returned"
	case InputMapped:
		return "mapped"
	case InputKnowledge:
		return "knowledge"
	case InputEvent:
		return "event"
	}
	return "input(" + strconv.Itoa(int(k)) + ")"
}

// Tap is Baton's versioned extra on every button and quick reply:
// {"baton":{"v":cfg-version,"n":node,"o":option,"s":state}}.
type Tap struct {
	V string `json:"v"`           // config version the bubble was built from
	N string `json:"n"`           // menu (or pseudo-node: "faq", "confirm", "waiting", ...)
	O string `json:"o"`           // option id within N
	S State  `json:"s,omitempty"` // state the bubble was built in
	// H fingerprints a menu option (menu, option id, label, action) so a tap
	// from an older config version stays valid while the option it picks
	// still means the same (tap_kept.go); a menu's paging taps carry its
	// option ids in order the same way. Empty on other taps.
	H string `json:"h,omitempty"`
}

// Knowledge is one 지식+ matched answer.
type Knowledge struct {
	Question, Answer, LandingURL, ImageURL string
}

// Minter makes a handoff's id and code for a turn that opens a handoff,
// leaves a ticket or starts a handoff intake, and a ticket's id for a turn
// that leaves one (Input.Minter). The engine asks at most once a turn for
// each, and only on such a turn.
type Minter interface {
	// NewHandoffID returns a new handoff id made at now (the turn's time).
	NewHandoffID(now time.Time) string
	// NewHandoffCode returns a new handoff code shown to the user.
	NewHandoffCode() string
	// NewTicketID returns a new ticket id made at now, for the turn that
	// leaves a ticket.
	NewTicketID(now time.Time) string
}

// Input is everything the engine needs to know about one user turn. The skill
// pipeline fills it from the payload; the engine never sees the wire format.
type Input struct {
	Now       time.Time
	BlockID   string
	BlockName string
	Utterance string
	// Tap is Baton's extra when the turn came from one of its buttons.
	Tap *Tap
	// Trigger is flow.trigger.type when present (a second tap signal).
	Trigger   string
	Knowledge []Knowledge
	IsFriend  bool
	Group     bool // group-bot chat: no quick replies, never escalate
	Test      bool // bot-test or development-channel traffic
	// NewHandoffID and NewHandoffCode are used if this turn opens a handoff
	// (pre-generated so the engine stays deterministic). When they are
	// empty and Minter is set, the engine asks Minter for them, only on a
	// turn that uses them (most turns open no handoff).
	NewHandoffID   string
	NewHandoffCode string
	Minter         Minter
	// QueueWaiting is the number of open handoffs ahead of this user in the
	// queue of Conversation.HandoffID (0 when unknown); PositionKnown says it is set.
	QueueWaiting  int
	PositionKnown bool
	// DealerFailed says the dealer of Conversation.HandoffID failed for good
	// and the request went to the agents as an inquiry: while waiting, the
	// status says so instead of a queue position; once an agent accepted
	// it (human), the user's turns do not end it (inHuman).
	DealerFailed bool
	// HandoffCode is the code of the open handoff (Conversation.HandoffID),
	// for the waiting texts' {code}; empty drops the "(상담번호 {code})" part.
	HandoffCode string
	// Masked is Utterance with personal data masked (skill.Mask). A ticket
	// message is taken from Masked only, never from Utterance.
	Masked string
	// NewTicketID is used if this turn leaves a ticket (pre-generated like
	// NewHandoffID; when empty, Minter makes one on that turn only);
	// NewHandoffCode doubles as the ticket's 접수번호.
	NewTicketID string
	// WaitEnded says the handoff the user was waiting for was ended by an
	// agent or an operator since their last turn, with nothing sent to tell
	// them: a turn in bot opens with texts.handoff_ended_waiting.
	WaitEnded bool
	// WaitTimedOut says the wait WaitEnded reports ran out (a dealer
	// queue's wait timeout) and no Event API apology could reach the user
	// (not a friend, the Event API off, test traffic): the turn opens with
	// that apology instead (texts.event_wait_timeout of WaitQueue, the
	// queue waited for) and offers 메시지 남기기 on it, as the Event API
	// message does.
	WaitTimedOut bool
	WaitQueue    string
	// ETA is the estimated wait in a dealer queue; ETAKnown says it is set
	// (otherwise the status says texts.ETAUnknown).
	ETA      time.Duration
	ETAKnown bool
}

// Reply is what Baton says, in domain terms. The skill package renders it with
// the validated builders; the engine keeps it within Kakao's limits by
// construction (≤ 3 messages, ≤ 10 quick replies, labels ≤ 14 runes).
type Reply struct {
	Messages     []Message
	QuickReplies []QuickReply
	// Silent: say nothing (reserved for event blocks; a user turn always
	// gets at least one message).
	Silent bool
	// CacheKey, when set, names a static reply (a menu at a config version)
	// the renderer may marshal once and reuse.
	CacheKey string
}

// Message is one bubble: plain text, or a card with a title/description and buttons.
type Message struct {
	Text string // simpleText when Card is nil
	Card *Card
}

// Card is a textCard.
type Card struct {
	Title       string
	Description string
	Buttons     []Button
}

// ButtonKind is what a button does.
type ButtonKind string

// Button kinds (Kakao actions).
const (
	ButtonMessage  ButtonKind = "message"  // sends Text as the utterance, with Tap as extra
	ButtonLink     ButtonKind = "webLink"  // opens URL
	ButtonOperator ButtonKind = "operator" // 상담 연결 plugin
	ButtonPhone    ButtonKind = "phone"
)

// Button is a card button.
type Button struct {
	Kind  ButtonKind
	Label string
	Text  string // messageText for ButtonMessage
	URL   string // for ButtonLink
	Phone string // for ButtonPhone
	Tap   *Tap
}

// QuickReply is a message quick reply carrying Baton's extra.
type QuickReply struct {
	Label string
	Text  string // messageText; Label when empty
	Tap   *Tap
}

// Transition is one lifecycle move, recorded with its reason.
type Transition struct {
	From, To State
	Event    string
	Reason   string
}

// HandoffOpen asks the caller to create a handoff row and an outbox "req" row
// in the same transaction as the turn.
type HandoffOpen struct {
	ID, Code, Queue, Target, Reason string
	MenuPath                        []string
	FAQMisses                       int
	// ContactPref is how the user asked, during the queue's intake, to be
	// answered instead of a call: ContactPrefSMS, ContactPrefChat or "".
	ContactPref string
}

// HandoffClose asks the caller to close an open handoff.
type HandoffClose struct {
	ID, Reason string
	// NotifyDealer: the dealer must be sent "cancel" (user cancel, timeout).
	NotifyDealer bool
}

// Outcome is the result of one engine step: the new conversation, the reply
// and the effects the caller commits atomically with the turn.
type Outcome struct {
	Conversation Conversation
	Reply        Reply
	Transitions  []Transition
	Open         *HandoffOpen
	Close        *HandoffClose
	// Ticket asks the caller to record a user-left ticket (and its contact)
	// in the same transaction as the turn.
	Ticket *TicketOpen
	// IntakeAnswer asks the caller to store a handoff intake answer,
	// encrypted, in the same transaction as the turn.
	IntakeAnswer *IntakeAnswer
	// IntakeDiscard names a reserved handoff id whose stored intake answers
	// the caller deletes: the intake ended without that handoff.
	IntakeDiscard string
	// Private: the user's text answered a handoff intake field or a
	// ticket's contact prompt — stored encrypted through IntakeAnswer or
	// Ticket.Contact, or not at all (an answer that did not fit, one to a
	// field a reload removed); the turns row keeps none of it.
	Private bool
	// Welcomed: set users.welcomed_at to Input.Now.
	Welcomed bool
	// EmptyText: the turn was free text with no utterance, from a block
	// that is none of blocks.welcome, blocks.fallback, blocks.returned,
	// blocks.map or an event block — most likely a welcome block the config does not name
	// (it was answered with the menu, without the welcome text).
	EmptyText bool
	// CSAT is the CSAT score the turn recorded, tapped or typed (Record.Kind
	// "csat"), and the handoff the question named; nil when none.
	CSAT *CSATAnswer
	// Record describes the bot side of the turn for the turns table:
	// node or FAQ id and the FAQ verdict, never the rendered text.
	Record TurnRecord
	// Input is how the user's side of the turn was classified (Classify;
	// InputEvent for Event): the turns table keeps it as the turn's source,
	// so that reports can tell a user's typed or tapped turn from a welcome,
	// return or event block.
	Input InputKind
}

// TurnRecord is the bot's side of a turn, stored as ids.
type TurnRecord struct {
	Kind     string  // "welcome", "menu", "faq", "clarify", "no_match", "handoff", "status", "silent", ...
	Node     string  // menu id or FAQ id
	Score    float64 // FAQ score when relevant
	Escalate string  // escalation reason when the turn escalated
}
