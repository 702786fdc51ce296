package fsm

import "strings"

// complaintNotAfter are what, right after a complaint word, makes it a
// figure of speech rather than a complaint: "최악의 경우", "최악인 경우엔".
var complaintNotAfter = []string{"의경우", "인경우", "의상황"}

// complaint reports whether r holds one of the folded complaint phrases
// (escalation.complaints): a phrase counts at the start of a word, spaces
// inside it ignored, so "진짜 최악이네요" and "몇번을 말해요" hold 최악 and
// "몇 번을 말", but "전화나 문자로" does not hold 화나; nor does a figure of
// speech (complaintNotAfter).
func (r *reading) complaint(phrases []string) bool {
	for _, at := range r.wordAt {
		n := r.norm[at:]
		for _, p := range phrases {
			if rest, ok := strings.CutPrefix(n, p); ok && !hasAnyPrefix(rest, complaintNotAfter) {
				return true
			}
		}
	}
	return false
}

// complaintReply answers a complaint the FAQ has no answer for
// (texts.complaint) with 상담원 연결 first among the quick replies: the
// user still chooses. While escalation.queue is closed it offers what the
// after-hours reply offers instead (complaintAfterHours). It reports false,
// sending nothing, when the turn cannot offer a human (a group chat, no
// escalation queue, waiting on a one_on_one queue), where the plain
// no-match reply fits better.
func (t *turn) complaintReply(cur *menu, score float64) bool {
	if !t.canEscalate() || !t.reading().complaint(t.e.keywords.complaints) {
		return false
	}
	if t.e.openAt(t.e.cfg.Escalation.Queue, t.in.Now) {
		t.c.staticText(msgKey{kind: "text", a: "complaint"}, t.e.texts.Complaint)
		t.menuQuickReplies(cur)
		t.c.agentTop = true
		t.agentOffer = true // its question takes a typed yes or no (agentAnswer)
	} else {
		t.complaintAfterHours()
	}
	// Still an FAQ miss: the unanswered report and the turn metrics count it
	// as one; the node tells the two replies apart.
	t.out.Record = TurnRecord{Kind: "no_match", Node: "complaint", Score: score}
	return true
}

// complaintAfterHours is the complaint reply while escalation.queue is
// closed: 상담원 연결 would only lead to the after-hours reply, so it offers
// 메시지 남기기 (texts.complaint_after_hours), and, as the after-hours
// reply does, 처음으로 and the main menu without its handoff entries. The
// tap leaves a ticket from bot state (eventTap), with reason
// ReasonComplaintTicket. Its text, quick replies and switches differ from
// the in-hours reply's, so the two never share a static cache entry.
func (t *turn) complaintAfterHours() {
	tx := &t.e.texts
	t.c.staticText(msgKey{kind: "text", a: "complaint_after_hours"}, tx.ComplaintAfterHours)
	t.c.fixed(tx.LeaveMessage, "", nodeAfterHours, optLeave+":"+ReasonComplaintTicket)
	t.c.home, t.c.fillMain, t.c.noHandoff = true, true, true
	t.offerLeave(ReasonComplaintTicket, "")
}

// answeredAfterHours offers, under the FAQ answer to a complaint or to a
// question holding a human keyword ("상담원 운영 시간이 언제예요?") while
// escalation.queue is closed, what complaintAfterHours offers: 메시지
// 남기기 first (its tap and its typed words leave a ticket with reason,
// ReasonComplaintTicket or ReasonKeywordTicket), 처음으로 and the main menu
// without its handoff entries, and no 상담원 연결, which would only lead to
// the after-hours reply. The answer itself is unchanged. It reports false,
// changing nothing, in hours or where no human can be offered
// (canEscalate). The added quick reply makes the reply a composed one
// (composedKey, with the noHandoff and agent switches and the tap's reason
// in the key), never the plain answer's nor the in-hours one's.
func (t *turn) answeredAfterHours(reason string) bool {
	if !t.canEscalate() || t.e.openAt(t.e.cfg.Escalation.Queue, t.in.Now) {
		return false
	}
	t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{label: t.e.texts.LeaveMessage, node: nodeAfterHours,
		opt: optLeave + ":" + reason}})
	t.c.agent, t.c.noHandoff = false, true
	t.offerLeave(reason, "")
	return true
}

// ReasonComplaintTicket: a user left a message from the complaint reply
// out of hours (bot → after_hours with the ticket intake open).
const ReasonComplaintTicket = "complaint_ticket"

// ReasonKeywordTicket: a user left a message from the FAQ answer to a
// question that asked for a human, out of hours (answeredAfterHours).
const ReasonKeywordTicket = "keyword_ticket"

// leaveUnderReply offers, under a bot-state reply that offers 상담원
// 연결 (an FAQ answer, the no-match reply, a menu, the welcome, a
// greeting) while escalation.queue — where that tap goes — is closed,
// 메시지 남기기 in its place, and the main menu's extra entries without
// their handoff ones: 상담원 연결 would only lead to the after-hours reply.
// A tap and its typed words leave a ticket from bot state with the reason
// leaveReason names. Called by finish, once the reply's quick replies are
// known; a reply that already dropped 상담원 연결 (answeredAfterHours) or
// never offered it (canEscalate) is left alone, and one that offers 메시지
// 남기기 itself (the wait-timeout apology) or ends the ticket intake (the
// message left, or cancelled) only loses 상담원 연결. The
// messages and the menu shown keep their entries: a menu option the bot
// master wrote that hands off (its tap answers with the after-hours reply,
// which says when the queue opens) stays where it was put. The composer's
// leave and noHandoff switches are in its cache keys, so the reply never
// shares one with the in-hours reply.
func (t *turn) leaveUnderReply() {
	if !t.c.agent || !t.canEscalate() || t.e.openAt(t.e.cfg.Escalation.Queue, t.in.Now) {
		return
	}
	t.c.agent, t.c.agentTop, t.c.noHandoff = false, false, true
	if t.leaveOffer != "" || t.out.Record.Kind == "ticket" || t.out.Record.Kind == "ticket_cancelled" {
		// It offers 메시지 남기기 itself, or the user just left the
		// message, or turned it down.
		return
	}
	reason := t.leaveReason()
	t.c.leave = reason
	t.offerLeave(reason, "")
}

// leaveReason is the reason of a ticket left from this turn's reply by
// leaveUnderReply: ReasonFAQTicket under an answer (the FAQ's or 지식+'s),
// ReasonNoMatchTicket under the no-match reply, ReasonMenuTicket under any
// other (a menu, the welcome, a greeting, thanks).
func (t *turn) leaveReason() string {
	switch {
	case t.faqAnswered || t.out.Record.Kind == "knowledge":
		return ReasonFAQTicket
	case t.out.Record.Kind == "no_match":
		return ReasonNoMatchTicket
	}
	return ReasonMenuTicket
}

// ReasonFAQTicket: a user left a message from an FAQ answer given out of
// hours (leaveUnderReply).
const ReasonFAQTicket = "faq_ticket"

// ReasonNoMatchTicket: a user left a message from the reply to a question
// the bot did not understand (texts.no_match), out of hours
// (leaveUnderReply).
const ReasonNoMatchTicket = "no_match_ticket"

// ReasonMenuTicket: a user left a message from another bot reply out of
// hours — a menu, the welcome, a greeting (leaveUnderReply).
const ReasonMenuTicket = "menu_ticket"

// complaintOffer is held in Intake.Reason, with no Step, for one turn
// after the complaint reply in hours asked texts.complaint's question
// ("상담원과 바로 이야기하시겠어요?"), as offerLeave holds a reason: the
// user may answer it in words (agentAnswer). It names no escalation or
// ticket reason.
const complaintOffer = "~complaint_offer"

// keepAgentOffer stores the offer of this turn's reply, if it made one,
// once the turn ends in bot state with no intake (as keepLeaveOffer).
func (t *turn) keepAgentOffer() {
	if t.agentOffer && t.conv.State == StateBot && t.conv.Intake == (Intake{}) {
		t.conv.Intake = Intake{Reason: complaintOffer}
	}
}

// takeAgentOffer reports whether the previous reply asked the complaint's
// question (complaintOffer). Called by prepare before it drops the intake:
// the offer lasts one turn, and not past session_idle.
func (t *turn) takeAgentOffer(idle bool) bool {
	in := t.conv.Intake
	return !idle && t.conv.State == StateBot && in.Step == "" && in.Reason == complaintOffer
}

// agentAnswer answers a typed yes or no to the complaint's question on
// the turn after it (agentOffered). A no ("아니요", "괜찮아요", "아니요
// 괜찮아요": confirmAnswer, or texts.confirm_no) declines the human as the
// confirm question's no does: the current menu, no FAQ miss, and the
// misses start over, so the next miss does not escalate the user who just
// said no. A yes ("네", "네 연결해 주세요") asks for a human as the
// question's 상담원 연결 quick reply does (ReasonMenu; through
// escalation.confirm and the hours as any escalation). Anything else is
// left to the turn (it reports false).
func (t *turn) agentAnswer(u string) bool {
	n := t.normUtterance()
	yes, no := t.e.yesWords[n], t.e.noWords[n]
	if !yes && !no {
		yes, no = confirmAnswer(u)
	}
	switch {
	case yes && t.canEscalate():
		t.escalate("", ReasonMenu)
	case no:
		t.conv.FAQMisses = 0
		t.showMenu(t.current(), 0)
	default:
		return false
	}
	return true
}
