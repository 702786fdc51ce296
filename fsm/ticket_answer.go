package fsm

import (
	"strings"
	"unicode"
)

// TicketReply renders the ticket_reply Event API message for answer exactly
// as Event renders it when Kakao runs the event block for a user with the
// bot (the conversation's state changes only the quick replies), and
// reports whether the whole answer survived: the reply's bubbles are all
// text and, joined, they are texts.event_ticket_reply filled with the
// answer, missing only the whitespace consumed where a long text is split
// over the reply's spare bubbles. An answer that is not whole would reach
// the user cut short, ending with an ellipsis. A blank answer is never
// whole; with a template that does not show {answer}, any answer is.
func (e *Engine) TicketReply(answer string) (r Reply, whole bool) {
	o := e.Event(Conversation{State: StateBot}, Input{}, &Notice{Kind: NoticeTicketReply, Answer: answer})
	if strings.TrimSpace(answer) == "" {
		return o.Reply, false
	}
	return o.Reply, splitWhole(e.ticketReplyText(answer), o.Reply.Messages)
}

// ticketReplyText is the text of the ticket_reply message for answer.
func (e *Engine) ticketReplyText(answer string) string {
	return fill(e.texts.EventTicketReply, "answer", strings.TrimSpace(answer))
}

// splitWhole reports whether msgs are text bubbles that, in order, spell
// text with nothing but whitespace before, between and after them.
func splitWhole(text string, msgs []Message) bool {
	if len(msgs) == 0 {
		return false
	}
	rest := text
	for _, m := range msgs {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if m.Card != nil || m.Text == "" || !strings.HasPrefix(rest, m.Text) {
			return false
		}
		rest = rest[len(m.Text):]
	}
	return strings.TrimSpace(rest) == ""
}
