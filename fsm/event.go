package fsm

import (
	"strconv"
	"strings"
	"time"
)

// Notice kinds: what an Event API message is about (store.Notify*).
const (
	NoticeReopen      = "reopen"
	NoticeTicketReply = "ticket_reply"
	NoticeWaitTimeout = "wait_timeout"
	NoticeCSAT        = "csat"
)

// CSAT sources carried in a CSAT tap: where the question was asked.
const (
	CSATFromReply = "reply" // the reply of the turn back from a human
	CSATFromEvent = "event" // an Event API message
)

// nodeCSAT is the pseudo node of CSAT quick replies; O is
// "<source>:<score>:<handoff id>" (csatOption).
const nodeCSAT = "@csat"

// csatScores is the CSAT scale, 1 (아쉬워요) to 5 (좋았어요).
const csatScores = 5

// Notice is the content of an Event API message, loaded by the caller when
// Kakao runs the event block: the kind and, for a ticket reply, the answer.
type Notice struct {
	Kind   string
	Answer string // ticket_reply: the agent's answer
	// Queue is, for wait_timeout, the queue of the handoff whose wait ran
	// out: the apology's {hours} are that queue's ("" or a queue the config
	// no longer has: escalation.queue's). For reopen it is the queue that
	// opened, the one the user asked to be told about (the notification's
	// ref): the message's 상담원 연결 hands off there (a queue the config
	// no longer has: escalation.queue; "" names none: reopenReply).
	Queue string
	// Handoff is the handoff a csat notice asks about (its notification's
	// ref): the score quick replies carry it.
	Handoff string
}

// CSATAnswer is a CSAT score a turn recorded (Outcome.CSAT): where the
// question was asked, the handoff whose session it rated, as the question
// named it ("" when it named none: a quick reply or a pending question from
// before questions named their handoff), and the score, 1 to 5.
type CSATAnswer struct {
	Source  string
	Handoff string
	Score   int
}

// Event answers the turn of an Event API event block for notice n: its
// content, or nothing at all (a Silent reply, rendered as Suppress) when n is
// nil because the message no longer applies. It never moves the
// conversation (state, menus, handoff): an event block is not the user
// speaking. Only the wait-timeout apology notes in it that its reply offers
// 메시지 남기기, so that the words typed next do what the tap does
// (leave_typed.go), and the CSAT question notes it asked it, so that a
// score typed next answers it (csat_typed.go). Record.Kind is
// "event" (Node: the notice kind) or "event_stale"; Input is InputEvent.
func (e *Engine) Event(c Conversation, in Input, n *Notice) Outcome {
	t := newTurn(e, in, c)
	defer t.release()
	t.conv.MenuPath = append([]string(nil), c.MenuPath...)
	t.conv.Clarify = append([]string(nil), c.Clarify...)
	if !isState(t.conv.State) {
		t.conv.State = StateBot
	}
	t.start = t.conv.State
	if n == nil || in.Group {
		return Outcome{Conversation: t.conv, Reply: Reply{Silent: true}, Record: TurnRecord{Kind: "event_stale"}, Input: InputEvent}
	}
	t.out.Input = InputEvent
	t.out.Record = TurnRecord{Kind: "event", Node: n.Kind}
	tx := &e.texts
	switch n.Kind {
	case NoticeReopen:
		t.reopenReply(n.Queue)
	case NoticeTicketReply:
		t.c.text(e.ticketReplyText(n.Answer))
		t.menuQuickReplies(e.home)
	case NoticeWaitTimeout:
		// {hours} and the ticket of 메시지 남기기: the queue waited for.
		queue := e.waitedQueue(n.Queue)
		t.c.text(e.textsFor(n.Queue).EventWaitTimeout)
		t.c.fixed(tx.LeaveMessage, "", nodeAfterHours, leaveOption(ReasonWaitTimeoutTicket, queue))
		t.menuQuickReplies(e.home)
		t.offerLeave(ReasonWaitTimeoutTicket, queue)
	case NoticeCSAT:
		t.c.text(tx.CSATQuestion)
		t.csatQuickReplies(CSATFromEvent, n.Handoff)
		// A score typed to it ("5점", "5") answers it as its quick reply
		// does, as one typed to the reply-asked question (csat_typed.go).
		t.markCSATPending(CSATFromEvent, n.Handoff, false)
	default:
		return Outcome{Conversation: t.conv, Reply: Reply{Silent: true}, Record: TurnRecord{Kind: "event_stale"}, Input: InputEvent}
	}
	return t.finish()
}

// reopenReply answers the reopen notice of queue asked, the queue the user
// asked to be told about (escalation.queue when a reload removed it). While that queue is open: texts.event_reopen with
// 상담원 연결 first — the navigation one for escalation.queue; for another
// queue one that names it (reopenAgentOption), which hands off there, as
// the menu option or block that led to its after-hours reply did — and the
// main menu. Closed again by the time Kakao runs the event block (an admin
// override, a message delivered late), a 상담원 연결 would only lead to the
// after-hours reply, under a text saying the hours began: the reply is what
// the after-hours reply says and offers in bot state instead — the queue's
// texts.after_hours with its next opening (after_hours_unknown without
// one), 메시지 남기기 (the ticket on that queue, ReasonMenuTicket as under
// the other bot replies out of hours, also typed on the next turn),
// 처음으로 and the main menu without its handoff entries. Where no human
// can be offered (canEscalate) it is the text and the main menu. A notice
// that names no queue (its timer carried none: one scheduled before reopen
// timers kept their queue) cannot tell which queue opened, nor that it
// closed again: it is answered as before, the text with the navigation
// 상담원 연결, which gives way to 메시지 남기기 while escalation.queue is
// closed, as under any bot reply (leaveUnderReply).
func (t *turn) reopenReply(asked string) {
	e, tx := t.e, &t.e.texts
	queue := asked
	if e.queues[queue] == nil {
		queue = e.cfg.Escalation.Queue
	}
	if asked == "" || !t.canEscalate() || e.queues[queue] == nil {
		t.c.text(tx.EventReopen)
		t.c.agent, t.c.agentTop = t.canEscalate(), true
		t.menuQuickReplies(e.home)
		return
	}
	if e.hours != nil {
		if open, next := e.hours.Open(queue, t.in.Now); !open {
			t.reopenClosed(queue, next)
			return
		}
	}
	t.c.text(tx.EventReopen)
	if queue == e.cfg.Escalation.Queue {
		t.c.agent, t.c.agentTop = true, true
		t.menuQuickReplies(e.home)
		return
	}
	t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{label: tx.Agent, node: nodeNav, opt: reopenAgentOption(queue)}})
	t.menuQuickReplies(e.home)
	// The navigation 상담원 연결 goes to escalation.queue: it would stand
	// beside the queue's own under the same label (or, while
	// escalation.queue is closed, give way to a 메시지 남기기 on it).
	t.c.agent = false
}

// reopenClosed is the reopen reply while queue is closed again (reopenReply).
func (t *turn) reopenClosed(queue string, next time.Time) {
	e := t.e
	tx := e.textsFor(queue) // {hours}: the queue's
	if next.IsZero() {
		t.c.text(tx.AfterHoursUnknown)
	} else {
		t.c.text(fill(tx.AfterHours, "next", e.nextText(queue, t.in.Now, next)))
	}
	ticket := queue
	if ticket == e.cfg.Escalation.Queue {
		ticket = ""
	}
	t.c.fixed(e.texts.LeaveMessage, "", nodeAfterHours, leaveOption(ReasonMenuTicket, ticket))
	t.c.home, t.c.fillMain, t.c.noHandoff = true, true, true
	t.offerLeave(ReasonMenuTicket, ticket)
}

// reopenAgentOption is the option of the 상담원 연결 under the reopen
// message of queue, a queue other than escalation.queue: optAgent:<queue>
// (tapEscalation reads it).
func reopenAgentOption(queue string) string {
	return optAgent + ":" + queue
}

// askCSAT adds the CSAT question about handoff to the reply of a turn that
// came back from a human, when the reply has room for one more message and
// the turn left the user with the bot (not asking for a human again). Test
// traffic and group chats are never asked.
func (t *turn) askCSAT(handoff string) {
	if t.in.Group || t.in.Test || t.conv.State != StateBot {
		return
	}
	room := maxMessages
	if t.c.notice != "" {
		room--
	}
	if len(t.c.msgs) >= room {
		return
	}
	t.c.text(t.e.texts.CSATQuestion)
	t.csatQuickReplies(CSATFromReply, handoff)
	t.markCSATPending(CSATFromReply, handoff, false)
}

// csatQuickReplies puts the scores first among the quick replies: each
// names the question's source and the handoff it is about (csatOption).
func (t *turn) csatQuickReplies(source, handoff string) {
	for s := csatScores; s >= 1; s-- {
		t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{
			label: fill(t.e.texts.CSATScore, "score", strconv.Itoa(s)), node: nodeCSAT, opt: csatOption(source, s, handoff)}})
	}
}

// csatOption is the option of a CSAT quick reply: "<source>:<score>", then
// ":<handoff id>" when the question names its handoff. A ULID handoff id
// adds 27 bytes to each tap's extra; Kakao documents no limit on extra
// below the 30 KB of a whole response.
func csatOption(source string, score int, handoff string) string {
	o := source + ":" + strconv.Itoa(score)
	if handoff != "" {
		o += ":" + handoff
	}
	return o
}

// eventTap handles the taps on controls of Event API messages and the CSAT
// question, which stay valid across config versions. It reports whether the
// tap was one of them.
func (t *turn) eventTap() bool {
	tp := t.in.Tap
	if tp == nil {
		return false
	}
	switch {
	case tp.N == nodeCSAT:
		source, score, handoff, ok := ParseCSAT(tp.O)
		if !ok {
			return false
		}
		t.recordCSAT(source, handoff, score)
		return true
	case tp.N == nodeNav && strings.HasPrefix(tp.O, optAgent+":") && (tp.V == t.e.version || tp.S == t.start):
		// 상담원 연결 under the reopen message of a queue other than
		// escalation.queue (reopenReply): a request for a human on that
		// queue, through escalation.confirm, its hours and its intake as
		// any. Like the navigation 상담원 연결 it stays valid across config
		// versions (keptTap); a queue a reload removed gives
		// escalation.queue (tapEscalation).
		queue, _ := t.tapEscalation(tp)
		t.escalate(queue, ReasonMenu)
		return true
	case tp.N == nodeAfterHours && isLeave(tp.O) && tp.S == StateBot && t.conv.State == StateBot && !t.stale(tp):
		// 메시지 남기기 under the wait-timeout apology (the user asked for a
		// human and nobody came), or under the complaint reply or an FAQ
		// answer out of hours (optLeave:ReasonComplaintTicket,
		// optLeave:ReasonKeywordTicket, optLeave:ReasonFAQTicket): the
		// after-hours ticket path —
		// into after_hours with the intake open, whose next text becomes
		// the ticket (ticket_left then returns to bot).
		// The ticket goes to the queue the tap names (leaveOption).
		// One made in after_hours (its stay has ended since) names no
		// reason of these: tap answers it (leftStateTap).
		return t.leaveFromBot(parseLeaveOption(tp.O))
	}
	return false
}

// isLeave reports whether o is the option of a 메시지 남기기 tap: optLeave,
// or optLeave with the reason of the reply that offered it.
func isLeave(o string) bool {
	return o == optLeave || strings.HasPrefix(o, optLeave+":")
}

// ReasonWaitTimeoutTicket: a user left a message from the wait-timeout
// apology (bot → after_hours with the ticket intake open).
const ReasonWaitTimeoutTicket = "wait_timeout_ticket"

// waitedQueue is the queue a wait-timeout apology's 메시지 남기기 files its
// ticket on: the queue the user waited for (Notice.Queue), "" for
// escalation.queue when that is it, or when the config no longer has it.
func (e *Engine) waitedQueue(q string) string {
	if q == e.cfg.Escalation.Queue || e.queues[q] == nil {
		return ""
	}
	return q
}

// maxHandoffID bounds the handoff id a CSAT tap may name (a ULID has 26
// characters).
const maxHandoffID = 64

// ParseCSAT reads a CSAT tap option ("reply:5:<handoff id>", csatOption) or
// TurnRecord.Node ("reply:5"): the source, a score from 1 to 5 and the
// handoff the question named ("" when it names none: a quick reply from
// before questions named their handoff).
func ParseCSAT(o string) (source string, score int, handoff string, ok bool) {
	source, rest, found := strings.Cut(o, ":")
	if !found || (source != CSATFromReply && source != CSATFromEvent) {
		return "", 0, "", false
	}
	s, handoff, named := strings.Cut(rest, ":")
	if named && (handoff == "" || len(handoff) > maxHandoffID || strings.Contains(handoff, ":")) {
		return "", 0, "", false
	}
	score, err := strconv.Atoi(s)
	if err != nil || score < 1 || score > csatScores {
		return "", 0, "", false
	}
	return source, score, handoff, true
}
