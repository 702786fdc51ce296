package fsm

import (
	"strconv"
	"strings"

	"github.com/baton-chat/baton/configs"
)

// csatPendingPrefix marks, as the only entry of Conversation.Clarify, that
// the previous reply asked the CSAT question ("csat:reply"): the next turn
// may type its score instead of tapping it. The marker rides in Clarify
// because that is the persisted "what the last reply offered to pick"; it
// is never an FAQ id, lasts one turn and is dropped by anything that drops
// a clarify (session_idle, a reload, the welcome).
const csatPendingPrefix = "csat:"

// takeCSATPending removes the CSAT marker from the conversation and returns
// its source (CSATFromReply), or "" when the previous reply asked no score.
func (t *turn) takeCSATPending() string {
	c := t.conv.Clarify
	if len(c) != 1 {
		return ""
	}
	source, ok := strings.CutPrefix(c[0], csatPendingPrefix)
	if !ok {
		return ""
	}
	t.conv.Clarify = nil
	return source
}

// markCSATPending notes that this turn's reply asks the CSAT question,
// unless it also offers a clarify list, whose numbers win.
func (t *turn) markCSATPending(source string) {
	if len(t.conv.Clarify) == 0 {
		t.conv.Clarify = []string{csatPendingPrefix + source}
	}
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
