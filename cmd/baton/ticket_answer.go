package main

import (
	"strings"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/skill"
)

// checkTicketAnswer refuses, with *admin.AnswerTooLongError, an answer the
// user would not get whole: e renders the ticket_reply message for it (the
// answer in texts.event_ticket_reply, split over the reply's spare bubbles)
// and the skill renderer must accept that reply as it would when Kakao runs
// the event block. The rule is the renderers' own, not a count of
// characters, because where a long text is split depends on where its
// spaces and line breaks fall.
func checkTicketAnswer(e *fsm.Engine, answer string) error {
	r, ok := ticketAnswerFits(e, answer)
	if ok {
		return nil
	}
	runes := []rune(strings.TrimSpace(answer))
	// The longest leading part that fits, for the error. A longer part
	// fits less often than a shorter one (bar a split moving to another
	// space), so this finds a part that fits next to one that does not.
	lo, hi := 0, len(runes)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if _, ok := ticketAnswerFits(e, string(runes[:mid])); ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return &admin.AnswerTooLongError{Runes: len(runes), Fit: lo, Bubbles: len(r.Messages)}
}

// ticketAnswerFits renders the ticket_reply message for answer and reports
// whether it carries the whole answer and renders as a valid response.
func ticketAnswerFits(e *fsm.Engine, answer string) (fsm.Reply, bool) {
	r, whole := e.TicketReply(answer)
	if !whole {
		return r, false
	}
	if _, err := skill.Render(r, false); err != nil {
		return r, false
	}
	return r, true
}
