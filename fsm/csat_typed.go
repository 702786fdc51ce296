package fsm

import (
	"strconv"
	"strings"

	"github.com/baton-chat/baton/configs"
)

// takeCSATPending clears Conversation.CSATPending and returns it: the
// source of the CSAT question the previous reply asked (CSATFromReply), or
// "" when it asked none. The question is open for one turn only.
func (t *turn) takeCSATPending() string {
	source := t.conv.CSATPending
	t.conv.CSATPending = ""
	return source
}

// markCSATPending notes that this turn's reply asks the CSAT question, so
// that the next turn may type its score. A clarify list in the same reply
// stays pending beside it: its numbers are tried first (text).
func (t *turn) markCSATPending(source string) {
	t.conv.CSATPending = source
}

// typedScore reads a typed CSAT score: "5", "5점", "５점", "4점이요".
func typedScore(u string) (int, bool) {
	n := trimPolite(configs.Fold(u))
	n = strings.TrimSuffix(n, "점")
	s, ok := typedNumber(n)
	if !ok || s < 1 || s > csatScores {
		return 0, false
	}
	return s, true
}

// droppedPick reports whether u picks a number of the clarify list a reload
// dropped this turn ("2", "2번"): the user meant the list, not a score, even
// though the list can no longer answer it.
func (t *turn) droppedPick(u string) bool {
	n, ok := pickNumber(u)
	return ok && n >= 1 && n <= t.clarifyDropped
}

// typedCSAT records a score typed on the turn after the CSAT question, as
// a tap on its quick reply would (eventTap). It reports whether u was a
// score.
func (t *turn) typedCSAT(source, u string) bool {
	score, ok := typedScore(u)
	if !ok {
		return false
	}
	t.recordCSAT(source, score)
	return true
}

// recordCSAT answers a CSAT score, tapped or typed: the thanks, the home
// menu, and the csat turn record the store counts.
func (t *turn) recordCSAT(source string, score int) {
	t.c.text(t.e.texts.CSATThanks)
	t.menuQuickReplies(t.e.home)
	t.out.Record = TurnRecord{Kind: "csat", Node: source + ":" + strconv.Itoa(score)}
}
