package fsm

import (
	"strconv"
	"strings"
	"time"

	"github.com/baton-chat/baton/pii"
)

// Intake steps (Intake.Step).
const (
	IntakeMessage = "message" // "메시지 남기기" tapped: the next text is the message
	IntakeContact = "contact" // message taken: the next text is the contact number
)

// Intake is a ticket intake in progress. It is persisted with the
// conversation so the user's next turn continues it.
type Intake struct {
	Step string // IntakeMessage, IntakeContact or IntakeField; "" = no intake
	// Message is the masked message held while the contact is asked.
	Message string
	// The handoff intake (Step IntakeField, state confirm). Answers are
	// never held here: each is stored encrypted as it is given
	// (Outcome.IntakeAnswer), under the handoff id reserved at the start.
	HandoffID string // the id the handoff opens with
	Field     string // name of the field being asked
	// Retried: the field was asked again after an answer that did not fit
	// (at IntakeContact also: after a wish for the answer in the chat that
	// cannot be kept, contact_chat.go).
	Retried bool
	// Reason is the escalation reason the handoff records; also held, with
	// no Step, while the confirm question waits (pending_reason.go), and in
	// bot state for one turn after a reply that offered 메시지 남기기
	// (ReasonWaitTimeoutTicket, ReasonComplaintTicket, ReasonKeywordTicket,
	// ReasonFAQTicket, ReasonNoMatchTicket, ReasonMenuTicket, then
	// ":<queue>" when the ticket goes to another queue than
	// escalation.queue; leave_typed.go), or after the complaint reply that
	// asked whether to talk to an agent (complaintOffer, complaint.go),
	// and in after_hours, through the ticket intake, the reason the stay
	// began with, which names the ticket's origin (ticket_origin.go).
	Reason string
	// Passed names the fields already answered, skipped or left out,
	// space-separated (field names are [a-z0-9_]+): after a reload that
	// changes the queue's intake the next question is the first field of
	// the new intake not named here. A string keeps Intake comparable.
	Passed string
	// Pref is the contact preference the user stated during the intake
	// (ContactPrefSMS, ContactPrefChat; intake_pref.go), held until the
	// handoff or ticket records it.
	Pref string
}

// TicketOpen asks the caller to record a ticket the user left out of hours
// (or while the queue was full), in the same transaction as the turn.
type TicketOpen struct {
	ID    string // Input.NewTicketID, else minted (Minter.NewTicketID)
	Code  string // the 접수번호 shown to the user (Input.NewHandoffCode)
	Queue string
	// Message is the user's message, masked (from Input.Masked).
	Message string
	// Contact is the phone number the user left (digits only), or empty.
	// It is personal data: the caller stores it encrypted.
	Contact string
	// ContactPref is how the user asked to be answered instead of a call:
	// ContactPrefSMS, ContactPrefChat or "" (intake_pref.go).
	ContactPref string
	// Test marks bot-test or development-channel traffic (Input.Test).
	Test bool
	// Origin is where the user was when they chose to leave it
	// (TicketOrigin*; "" when unknown).
	Origin string
}

// Reasons recorded for the ticket path.
const (
	// ReasonMaxWaiting: the queue had max_waiting handoffs waiting.
	ReasonMaxWaiting = "max_waiting"
	// ReasonTicketCancelled: the user cancelled a ticket intake.
	ReasonTicketCancelled = "ticket_cancelled"
	// TicketReasonUserMessage is the reason of a ticket the user left.
	TicketReasonUserMessage = "user_message"
)

// Options on the after-hours pseudo node for the intake.
const (
	optIntakeCancel = "~ticket_cancel"
	optContactSkip  = "~contact_skip"
)

// Capacity tells how many handoffs are waiting for a human in a queue, for
// max_waiting. The handoff package implements it from the store; the engine
// asks only for queues with a max_waiting.
type Capacity interface {
	// Waiting returns the number of open handoffs in queue not yet taken by
	// a human. On failure it returns 0 (the queue is treated as not full).
	Waiting(queue string) int
}

// full reports whether queue has reached its max_waiting.
func (e *Engine) full(queue string) bool {
	if e.capacity == nil {
		return false
	}
	q, ok := e.cfg.Handoff.Queues[queue]
	if !ok || q.MaxWaiting <= 0 {
		return false
	}
	return e.capacity.Waiting(queue) >= q.MaxWaiting
}

// busyReply offers the ticket path when the queue is full.
func (t *turn) busyReply() {
	e := t.e
	t.c.text(e.texts.Busy)
	t.c.fixed(e.texts.LeaveMessage, "", nodeAfterHours, optLeave)
	t.c.home, t.c.fillMain = true, true
}

// startIntake asks for the ticket message; the conversation stays in
// after_hours with a pending intake.
func (t *turn) startIntake() {
	e := t.e
	t.conv.Intake = Intake{Step: IntakeMessage, Reason: t.conv.Intake.Reason}
	t.c.text(e.textsFor(t.conv.Queue).TicketPrompt)
	t.c.fixed(e.texts.TicketCancel, "", nodeAfterHours, optIntakeCancel)
	t.c.home = true
	t.out.Record = TurnRecord{Kind: "ticket_prompt", Node: t.conv.Queue}
}

// inIntake continues a pending intake. It returns false when the turn is not
// part of the intake (a menu tap, the welcome block, 처음으로, "0" or a
// home word: homeTyped): the intake is dropped and the caller handles the
// turn as after_hours would.
// 메시지 남기기 tapped again asks the intake's question again, and a stale
// tap on another of its buttons gets the stale-tap text and the question
// again: neither drops the message held or the reason the stay began with.
func (t *turn) inIntake(kind InputKind) bool {
	e := t.e
	switch kind {
	case InputTap:
		tp := t.in.Tap
		if tp.N != nodeAfterHours {
			break
		}
		switch {
		case isLeave(tp.O):
			// 메시지 남기기 again (a double tap, or an older bubble's):
			// the intake goes on, with the reason it began with, and its
			// question is asked again, as for the words typed below.
			t.reprompt()
			return true
		case t.stale(tp):
			// A button of the intake's bubbles from before a reload: the
			// stale-tap text and the question again, the message held
			// (as the handoff intake's staleField).
			t.c.staticText(msgKey{kind: "text", a: "stale_tap"}, e.texts.StaleTap)
			t.reprompt()
			t.out.Record.Kind = "stale"
			return true
		}
		switch tp.O {
		case optIntakeCancel:
			t.cancelIntake()
			return true
		case optContactSkip:
			if t.conv.Intake.Step == IntakeContact {
				t.leaveTicket(t.conv.Intake.Message, "")
				return true
			}
		}
	case InputText:
		u := strings.TrimSpace(t.in.Utterance)
		n := t.normUtterance()
		switch {
		case u == "" || e.leaveTyped(n): // a repeated 메시지 남기기 ("메시지 남길게요") is no message
			t.reprompt()
			return true
		case e.pardon(u): // "네?" is no message and no number (pardon.go)
			t.reprompt()
			return true
		case e.cancelAsked(u, n) || isQuestion(u) && n == e.norm.ticketCancel:
			// "취소?" asks back: neither the message nor a cancel (cancel_question.go)
			t.reprompt()
			return true
		case n == e.norm.ticketCancel || e.intakeCancel(u, n, t.conv.Intake.Step == IntakeContact):
			// "취소", "취소요", "취소할게요", "취소해 주세요"; at the
			// call-back number "됐어요" declines the number (below)
			t.cancelIntake()
			return true
		case e.homeTyped(u, n):
			// leave the intake; the bot answers 처음으로 ("0", "처음으로요",
			// "메뉴" are 처음으로 too)
		case t.conv.Intake.Step == IntakeContact && (n == e.norm.contactSkip ||
			declineAnswer(u) && !textIsFine(t.reading().toks) && contactWishOf(u) == wishNone):
			// 건너뛰기 typed rather than tapped (or a tap without its extra), or
			// a decline in words: "없어요", "안 남길게요" (intake_decline.go),
			// but not "문자로도 괜찮아요", a text wished for (contact_text_fine.go),
			// nor "전화는 싫어요", the chat wished for (contactByWish)
			t.leaveTicket(t.conv.Intake.Message, "")
			return true
		case t.conv.Intake.Step == IntakeContact && t.contactByWish(u):
			// "카톡으로 답해 주세요": the answer in the chat, no number;
			// "문자로 주세요": a text, so the number (contact_chat.go)
			return true
		case t.conv.Intake.Step == IntakeMessage:
			t.takeMessage(strings.TrimSpace(t.in.Masked))
			return true
		case t.conv.Intake.Step == IntakeContact:
			t.takeContact(u)
			return true
		}
	}
	t.conv.Intake = Intake{}
	return false
}

// isZero reports whether u is the number 0 typed as a pick ("0", "０",
// "0번"), which is 처음으로 (DESIGN §3).
func isZero(u string) bool {
	n, ok := pickNumber(u)
	return ok && n == 0
}

func (t *turn) reprompt() {
	if t.conv.Intake.Step == IntakeContact {
		t.contactReply(t.e.texts.ContactPrompt)
		return
	}
	t.startIntake()
}

// takeMessage records the message, then asks for a contact when configured.
func (t *turn) takeMessage(msg string) {
	if msg == "" { // nothing left after masking whitespace: ask again
		t.startIntake()
		return
	}
	if !t.e.cfg.Tickets.AskContact {
		t.leaveTicket(msg, "")
		return
	}
	t.conv.Intake = Intake{Step: IntakeContact, Message: msg, Reason: t.conv.Intake.Reason}
	t.contactReply(t.e.texts.ContactPrompt)
}

// takeContact takes u as the number to call back, typed alone or as the
// one number of a sentence (contactInSentence), with the contact preference
// said beside it ("010-1234-5678로 문자 주세요"). Valid or not, u answered
// the contact prompt: the turn is private, so the number is kept only in
// contacts (encrypted), never as turn text.
func (t *turn) takeContact(u string) {
	t.out.Private = true
	phone, ok := phoneDigits(u)
	if !ok {
		phone, ok = contactInSentence(u) // "010-1234-5678로 연락 주세요"
	}
	if !ok {
		t.contactReply(t.e.texts.ContactInvalid)
		return
	}
	switch w, _ := contactPrefOf(u); w { // "010-1234-5678로 문자 주세요" (intake_pref.go)
	case wishText, wishEither:
		t.conv.Intake.Pref = ContactPrefSMS // a number came with it: the text goes there
	case wishChat:
		t.conv.Intake.Pref = ContactPrefChat
	}
	t.leaveTicket(t.conv.Intake.Message, phone)
}

func (t *turn) contactReply(text string) {
	e := t.e
	t.c.text(text)
	t.c.fixed(e.texts.ContactSkip, "", nodeAfterHours, optContactSkip)
	t.c.fixed(e.texts.TicketCancel, "", nodeAfterHours, optIntakeCancel)
	t.out.Record = TurnRecord{Kind: "ticket_contact", Node: t.conv.Queue}
}

// leaveTicket ends the intake with a ticket: after_hours → bot (ticket_left).
func (t *turn) leaveTicket(msg, contact string) {
	e := t.e
	if t.in.NewTicketID == "" && t.in.Minter == nil {
		t.c.card(e.texts.Fallback, Button{Kind: ButtonOperator, Label: e.texts.FallbackButton})
		t.out.Record = TurnRecord{Kind: "ticket_unavailable"}
		return
	}
	queue := t.conv.Queue
	if !t.fire(rowTicketLeft, EventTicketLeft) {
		return
	}
	code := t.handoffCode()
	t.out.Ticket = &TicketOpen{ID: t.ticketID(), Code: code, Queue: queue, Message: msg, Contact: contact,
		ContactPref: t.conv.Intake.Pref, Test: t.in.Test, Origin: ticketOrigin(t.conv.Intake.Reason)}
	t.conv.Intake, t.conv.Queue = Intake{}, ""
	t.c.text(fill(e.ticketCreated(contact, queue, t.in.Now), "code", code))
	if !t.in.IsFriend && !e.noReply {
		// The answer comes back through the Event API, which reaches
		// friends only.
		t.c.text(e.texts.AddChannelHint)
	}
	t.menuQuickReplies(e.home)
	t.out.Record = TurnRecord{Kind: "ticket", Node: queue}
}

// cancelIntake drops the intake and leaves after_hours.
func (t *turn) cancelIntake() {
	t.fire(rowLeaveAfter, ReasonTicketCancelled)
	t.conv.Intake, t.conv.Queue = Intake{}, ""
	t.c.text(t.e.texts.TicketCancelled)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "ticket_cancelled"}
}

// phoneDigits returns the digits of a Korean phone number typed in any usual
// form ("010-1234-5678", "+82 10 1234 5678", "0082 10-1234-5678", full-width
// "０１０－１２３４－５６７８", en or em dashes), as ASCII digits in the
// national form; ok is false for anything else. It is pii.PhoneDigits, so the
// step accepts exactly the numbers pii.Mask masks.
func phoneDigits(s string) (string, bool) {
	return pii.PhoneDigits(s)
}

// etaCap is the longest wait the status tells as a figure. An ETA is the
// queue's median wait times the rounds of places ahead (skill.EstimateWait):
// hours out it is no figure to promise, so past etaCap the status says
// texts.eta_long ("3시간 이상") instead.
const etaCap = 3 * time.Hour

// etaText is the {eta} of the waiting status: texts.eta ("약 N분", the
// minutes rounded up) under an hour; from an hour, the hours to the nearest
// half hour ("약 1시간", "약 1시간 30분": eta_hours, eta_hours_half); past
// etaCap, eta_long.
func (t *turn) etaText() string {
	tx := &t.e.texts
	if !t.in.ETAKnown || t.in.ETA <= 0 {
		return tx.ETAUnknown
	}
	if t.in.ETA > etaCap {
		return fill(tx.ETALong, "h", strconv.Itoa(int(etaCap/time.Hour)))
	}
	minutes := int((t.in.ETA + time.Minute - 1) / time.Minute)
	if minutes < 60 {
		return fill(tx.ETA, "minutes", strconv.Itoa(minutes))
	}
	halves := (minutes + 15) / 30 // half hours, to the nearest (60 → 2, 75 → 3)
	h := strconv.Itoa(halves / 2)
	if halves%2 == 1 {
		return fill(tx.ETAHoursHalf, "h", h)
	}
	return fill(tx.ETAHours, "h", h)
}
