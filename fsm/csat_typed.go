package fsm

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/baton-chat/baton/configs"
)

// CSATAskedAgain ends Conversation.CSATPending when the reply asked the
// CSAT question again after a score that could mean two (askCSATAgain):
// "reply:<handoff id>/again". The next unclear score then closes the
// question instead of asking a third time.
const CSATAskedAgain = "/again"

// ParseCSATPending reads Conversation.CSATPending: the source of the CSAT
// question the previous reply asked ("" when it asked none), the handoff
// the question is about, and whether the reply asked it again
// (CSATAskedAgain). A question pending from before questions named their
// handoff ("reply", "reply/again") names none: its score is rated against
// no handoff.
func ParseCSATPending(p string) (source, handoff string, again bool) {
	p, again = strings.CutSuffix(p, CSATAskedAgain)
	source, handoff, _ = strings.Cut(p, ":")
	return source, handoff, again
}

// takeCSATPending clears Conversation.CSATPending and returns what it held
// (ParseCSATPending). The question is open for one turn only.
func (t *turn) takeCSATPending() (source, handoff string, again bool) {
	source, handoff, again = ParseCSATPending(t.conv.CSATPending)
	t.conv.CSATPending = ""
	return source, handoff, again
}

// markCSATPending notes that this turn's reply asks the CSAT question from
// source about handoff ("reply:<handoff id>" for the reply of a turn back
// from a human, "event:<handoff id>" for the Event API's question; followed
// by CSATAskedAgain when again), so that the next turn may type its score. A clarify list in
// the same reply stays pending beside it: its numbers are tried first
// (text).
func (t *turn) markCSATPending(source, handoff string, again bool) {
	p := source
	if handoff != "" {
		p += ":" + handoff
	}
	if again {
		p += CSATAskedAgain
	}
	t.conv.CSATPending = p
}

// scoreEndings may follow a typed score: "5점 드려요", "4점 줄게요",
// "3점이요". The longer of two endings that share a tail comes first.
var scoreEndings = []string{"드릴게요", "드릴께요", "드릴래요", "드립니다", "드려요", "드릴게", "드림",
	"줄게요", "줄께요", "줄래요", "줍니다", "줄게", "줘요", "이에요", "입니다", "이요", "예요", "요"}

// wordScores are scores written in native Korean numerals, and 만점 (full
// marks). Each is read only before 점 ("다섯 점", "네 점"): a bare "네" is
// "yes", not 4. Sino-Korean syllables are left out: 이점, 오점 and 사점 are
// words of their own.
var wordScores = map[string]int{"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4,
	"다섯": 5, "만": 5}

// fullMarks give full marks naming their scale: "5점 만점" (out of 5),
// "백점", "100점" and "백점 만점" (full marks out of 100). No other number
// out of 100 is a score: "90점" is not read.
var fullMarks = map[string]bool{"5점만점": true, "백점": true, "100점": true, "백점만점": true}

// starCount reads stars counted in words or digits: "별 다섯개", "별 5개",
// "별점 4개", 1 to 5 of them. "별점 4점" is read as "4점"; anything else
// starting with 별 ("별로요") is left to the caller unchanged.
func starCount(n string) (int, bool) {
	r, ok := strings.CutPrefix(n, "별")
	if !ok {
		return 0, false
	}
	r = strings.TrimPrefix(r, "점")
	c, ok := strings.CutSuffix(r, "개")
	if !ok {
		return 0, false
	}
	if s, ok := wordScores[c]; ok && c != "만" {
		return s, true
	}
	if s, ok := typedNumber(c); ok && s >= 1 && s <= csatScores {
		return s, true
	}
	return 0, false
}

// typedScore reads a typed CSAT score: "5", "5점", "５점", "4점이요",
// "5점 드려요", "다섯 점", "만점이요", "별 다섯개", "5점 만점에 5점",
// "백점", with scoreFillers around it ("5점이요~",
// "5점 ㅋㅋ", "5점 드려요 😊") and thanks before or after it ("5점이요
// 감사합니다", "감사합니다 5점이요": scoreCourtesy). A number with 번 ("4번",
// "4번이요") is read as a score of that number too; readScore says it
// named a button.
func typedScore(u string) (int, bool) {
	s, _, ok := readScore(u)
	return s, ok
}

// readScore is typedScore, and it also reports whether the score was
// written as a position, with 번 ("4번", "4번이요"): that names the N-th
// quick reply, which is not N점 (they run 5점 down to 1점).
func readScore(u string) (score int, byPosition, ok bool) {
	f := trimCourtesy(configs.Fold(u))
	if s := starScore(f); s > 0 {
		return s, false, true
	}
	n := strings.TrimFunc(f, scoreFiller)
	for _, e := range scoreEndings {
		if r, ok := strings.CutSuffix(n, e); ok && r != "" {
			n = r
			break
		}
	}
	if fullMarks[n] {
		return csatScores, false, true
	}
	if s, ok := starCount(n); ok {
		return s, false, true
	}
	// "5점 만점에 4점": the scale named before the score; "별점 4점".
	n = strings.TrimPrefix(n, "5점만점에")
	n = strings.TrimPrefix(n, "별점")
	if w, ok := strings.CutSuffix(n, "점"); ok {
		if s, ok := wordScores[w]; ok {
			return s, false, true
		}
		n = w
	}
	s, ok := typedNumber(n)
	if !ok || s < 1 || s > csatScores {
		return 0, false, false
	}
	return s, strings.HasSuffix(n, "번"), true
}

// scoreCourtesy are thanks and courtesies a score is often typed with,
// before or after it ("5점이요 감사합니다", "감사합니다 5점이요", "5점 드릴게요
// 수고하셨어요"), folded (no spaces). A word that ends another comes after
// it ("네감사합니다" before "감사합니다"): trimCourtesy cuts the first that
// fits.
var scoreCourtesy = []string{"네감사합니다", "넵감사합니다", "감사합니다요", "감사합니다", "감사드립니다",
	"감사드려요", "감사해요", "고맙습니다", "고마워요", "수고많으셨습니다", "수고많으셨어요", "수고하셨습니다",
	"수고하셨어요", "수고하세요", "ㄱㅅㄱㅅ", "ㄱㅅ", "ㄳ", "땡큐", "thankyou", "thanks"}

// trimCourtesy cuts the thanks and courtesies (scoreCourtesy) around the
// folded utterance f, with the fillers beside them ("감사합니다~ 5점",
// scoreFiller, but stars: "⭐⭐⭐⭐⭐ 감사합니다" keeps its stars):
// "5점이요감사합니다" → "5점이요". It returns f unchanged when it cuts none.
// What is left is still read as a score or not at all; thanks alone are
// left as they are, no score.
func trimCourtesy(f string) string {
	n, trimmed := f, false
	for cut := true; cut; {
		cut = false
		n = strings.TrimFunc(n, courtesyFiller)
		for _, w := range scoreCourtesy {
			if r, ok := strings.CutSuffix(n, w); ok && r != "" {
				n, cut = strings.TrimFunc(r, courtesyFiller), true
			}
			if r, ok := strings.CutPrefix(n, w); ok && r != "" {
				n, cut = strings.TrimFunc(r, courtesyFiller), true
			}
		}
		trimmed = trimmed || cut
	}
	if !trimmed {
		return f
	}
	return n
}

// courtesyFiller is scoreFiller but for the stars starScore reads.
func courtesyFiller(r rune) bool {
	return scoreFiller(r) && !strings.ContainsRune("⭐★🌟☆\uFE0F", r)
}

// buttonScore is the score of the n-th CSAT quick reply (csatQuickReplies
// lists them from 5점 down to 1점): 1번 is 5점, 3번 is 3점, 4번 is 2점.
func buttonScore(n int) int {
	return csatScores + 1 - n
}

// starScore reads a score given in stars, "⭐⭐⭐⭐⭐" or "★★★": 1 to 5 of
// them and nothing else but the variation selector emoji carry, or a row
// of five filled and empty stars ("★★★☆☆": 3). It returns 0 for anything
// else.
func starScore(f string) int {
	n, empty := 0, 0
	for _, r := range f {
		switch r {
		case '⭐', '★', '🌟':
			n++
		case '☆':
			empty++
		case '\uFE0F':
		default:
			return 0
		}
	}
	if n > csatScores || empty > 0 && n+empty != csatScores {
		return 0
	}
	return n
}

// scoreFiller reports whether r may stand around a typed score without
// changing it: a laugh or a cry in jamo ("ㅋㅋ", "ㅎㅎ", "ㅠㅠ"), a tilde,
// an emoji or another symbol, and the marks and joiners that build emoji.
func scoreFiller(r rune) bool {
	return strings.ContainsRune("ㅋㅎㅠㅜㅡ", r) || unicode.IsSymbol(r) || unicode.Is(unicode.Mn, r) ||
		unicode.Is(unicode.Cf, r)
}

// listPick reports whether u, typed on the turn after a reply that asked
// the CSAT question beside a clarify list, picks from that list rather
// than scoring, so it is no score:
//
//   - a number of a list a reload dropped this turn ("2", "2번"): the user
//     meant the list, even though it can no longer answer them;
//   - any number written as a pick, with 번 ("4번", "4번이요", "네 번째")
//     beside a list, pending or dropped, whatever its length. The reply
//     shows one numbered list, the clarify's ("번호로 답하셔도 돼요", then
//     "1. …" to "3. …"); the CSAT question asks for 점 ("1점(아쉬워요)부터
//     5점(좋았어요)까지") and its quick replies run 5점 to 1점, so "4번"
//     beside a list of three is a pick past its end — as a score it could
//     as well be the fourth button, 2점, and a score is kept once (the
//     first answer wins), so none is guessed. It is then read as any pick
//     past a clarify list is (text): the list is closed and the number
//     goes to the current menu.
//
// A bare number past the list ("4", "5") names nothing else on the screen
// but the CSAT scale and stays a score, as do "4점" and the other forms
// typedScore reads.
func (t *turn) listPick(u string) bool {
	n, ok := pickNumber(u)
	switch {
	case !ok:
		return false
	case n >= 1 && n <= t.clarifyDropped:
		return true
	}
	listed := len(t.conv.Clarify) > 0 || t.clarifyDropped > 0
	return listed && strings.Contains(configs.Fold(u), "번")
}

// typedCSAT records a score typed on the turn after the CSAT question, as
// a tap on its quick reply would (eventTap). It reports whether u was a
// score.
//
// A number written as a position ("4번", "4번이요") may mean the score N
// or the N-th quick reply, and those differ but for 3번 (3점 both ways):
// the first answer is kept for good, so none is guessed. texts.csat_unclear
// asks for the score in 점 with the score buttons again, and the question
// stays open for one more turn (askCSATAgain). It is asked again once: a
// second such answer in a row records nothing and closes the question, and
// u is then no score (it goes on as any text: "4번" picks the menu's 4th
// option), as when the user types anything else instead of a score. "3번"
// is 3점.
func (t *turn) typedCSAT(u string) bool {
	score, byPosition, ok := readScore(u)
	if !ok {
		return false
	}
	if byPosition && buttonScore(score) != score {
		if t.csatAgain {
			return false
		}
		t.askCSATAgain(t.csatSource, t.csatHandoff)
		return true
	}
	t.recordCSAT(t.csatSource, t.csatHandoff, score)
	return true
}

// askCSATAgain answers a score that could name either of two scores: the
// short texts.csat_unclear line, the score quick replies before the
// current menu's, and the question open for the next turn, marked as asked
// again (CSATAskedAgain). Nothing is recorded in the csat table; the turn's
// record is csat_unclear.
func (t *turn) askCSATAgain(source, handoff string) {
	t.c.text(t.e.texts.CSATUnclear)
	t.csatQuickReplies(source, handoff)
	t.menuQuickReplies(t.current())
	t.markCSATPending(source, handoff, true)
	t.out.Record = TurnRecord{Kind: "csat_unclear", Node: source}
}

// recordCSAT answers a CSAT score, tapped or typed, for the question about
// handoff: the thanks, the home menu, the csat turn record and the answer
// (Outcome.CSAT) the caller stores against that handoff.
func (t *turn) recordCSAT(source, handoff string, score int) {
	t.c.text(t.e.texts.CSATThanks)
	t.menuQuickReplies(t.e.home)
	t.out.Record = TurnRecord{Kind: "csat", Node: source + ":" + strconv.Itoa(score)}
	t.out.CSAT = &CSATAnswer{Source: source, Handoff: handoff, Score: score}
}
