package fsm

import (
	"strings"
	"unicode"

	"github.com/baton-chat/baton/configs"
)

// complaintNotAfter are what, right after a complaint word, makes it a
// figure of speech rather than a complaint: "최악의 경우", "최악인 경우엔".
var complaintNotAfter = []string{"의경우", "인경우", "의상황"}

// complaintIn reports whether utterance u holds one of the folded complaint
// phrases (escalation.complaints): a phrase counts at the start of a word
// of u, spaces inside it ignored, so "진짜 최악이네요" and "몇번을 말해요"
// hold 최악 and "몇 번을 말", but "전화나 문자로" does not hold 화나. u is
// folded once, word by word, noting where each word starts in the result,
// so a long utterance costs one pass, not one fold of the rest per word.
func complaintIn(u string, complaints []string) bool {
	if len(complaints) == 0 {
		return false
	}
	words := strings.FieldsFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	var folded strings.Builder
	folded.Grow(len(u))
	starts := make([]int, 0, len(words))
	for _, w := range words {
		starts = append(starts, folded.Len())
		folded.WriteString(configs.Fold(w))
	}
	n := folded.String()
	for _, i := range starts {
		if complaintAt(n[i:], complaints) {
			return true
		}
	}
	return false
}

// complaintAt reports whether the folded text n starts with a complaint
// phrase that is not a figure of speech (complaintNotAfter).
func complaintAt(n string, complaints []string) bool {
	for _, k := range complaints {
		rest, ok := strings.CutPrefix(n, k)
		if !ok {
			continue
		}
		figure := false
		for _, w := range complaintNotAfter {
			if strings.HasPrefix(rest, w) {
				figure = true
				break
			}
		}
		if !figure {
			return true
		}
	}
	return false
}

// foldComplaints folds the configured complaint phrases, dropping empty ones.
func foldComplaints(phrases []string) []string {
	var out []string
	for _, p := range phrases {
		if n := configs.Fold(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// complaintReply answers a complaint the FAQ has no answer for
// (texts.complaint) with 상담원 연결 first among the quick replies: the
// user still chooses. It reports false, sending nothing, when the turn
// cannot offer a human (a group chat, no escalation queue, waiting on a
// one_on_one queue), where the plain no-match reply fits better.
func (t *turn) complaintReply(cur *menu, score float64) bool {
	if !t.canEscalate() || !complaintIn(t.in.Utterance, t.e.complaints) {
		return false
	}
	t.c.staticText(msgKey{kind: "text", a: "complaint"}, t.e.texts.Complaint)
	t.menuQuickReplies(cur)
	t.c.agentTop = true
	// Still an FAQ miss: the unanswered report and the turn metrics count it
	// as one; the node tells the two replies apart.
	t.out.Record = TurnRecord{Kind: "no_match", Node: "complaint", Score: score}
	return true
}
