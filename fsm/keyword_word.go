package fsm

import (
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// shortKeywordRunes is the length, in Hangul syllables, up to which an
// escalation keyword is a word rather than a substring: "사람" lies inside
// "받는사람" and "사람마다", so a short keyword counts only as the first
// word of the utterance (shortKeywordAt).
const shortKeywordRunes = 2

// keywordEndings may follow a short keyword inside its word: "사람이요",
// "사람이랑", "사람한테", "사람좀". Endings that make a different word
// ("사람마다", "사람들") or a subject ("사람이 많아요") are not here.
var keywordEndings = tokenSet("요", "이요", "이에요", "예요", "이랑", "랑", "이랑요", "랑요", "하고",
	"과", "와", "한테", "한테요", "에게", "을", "를", "좀", "으로", "로")

// keywordLeads may precede a short keyword without changing the request:
// "그냥 사람 불러줘", "빨리 사람이요".
var keywordLeads = tokenSet("그냥", "빨리", "좀", "지금", "바로", "진짜", "제발", "저", "저는", "나",
	"난", "아니", "그럼", "혹시", "일단", "네", "예", "아", "아니요", "아뇨")

// isShortKeyword reports whether the folded keyword k is short: one or two
// Hangul syllables.
func isShortKeyword(k string) bool {
	if k == "" || utf8.RuneCountInString(k) > shortKeywordRunes {
		return false
	}
	for _, r := range k {
		if r < 0xAC00 || r > 0xD7A3 { // Hangul syllables
			return false
		}
	}
	return true
}

// splitKeywords folds the escalation keywords (configs.Fold) and sorts them into short
// ones, matched as a word, and the rest, matched as a substring of the
// folded utterance.
func splitKeywords(keywords []string) (long, short []string) {
	for _, k := range keywords {
		n := configs.Fold(k)
		switch {
		case n == "":
		case isShortKeyword(n):
			short = append(short, n)
		default:
			long = append(long, n)
		}
	}
	return long, short
}

// shortKeyword reports whether the utterance u starts, after optional
// leads ("그냥", "빨리") and after what it turns down ("챗봇 말고"), with a
// word that is a short escalation keyword, alone or followed by one of
// keywordEndings: "사람", "사람이요", "사람 불러줘", "사람이랑 얘기할래요" —
// but not "받는사람 변경", "사람마다 사이즈가 달라요" or "보내는 사람 이름
// 바꾸고 싶어요", where the keyword is part of another word or not what is
// asked for. bare says the keyword had no ending and other words follow
// that do not start with a request verb ("사람 이름 변경", "사람 두 명 예약",
// "사람 이름 바꿔주세요"): it may begin a noun phrase, so the FAQ answers
// first, even when a request verb comes later, and the keyword escalates only
// when the FAQ has no answer (step.go). "사람 불러줘" and "사람 좀 연결해
// 주세요" (asksForKeyword) are not bare.
func (e *Engine) shortKeyword(u string) (hit, bare bool) {
	if len(e.shortKeywords) == 0 {
		return false, false
	}
	toks := answerTokens(u)
	toks = afterInstead(toks) // "챗봇 말고 사람이요": what follows 말고 is asked for
	i := 0
	for i < len(toks)-1 && keywordLeads[toks[i]] {
		i++
	}
	if i >= len(toks) {
		return false, false
	}
	for _, k := range e.shortKeywords {
		rest, ok := strings.CutPrefix(toks[i], k)
		switch {
		case !ok:
		case rest == "":
			return true, !allPolite(toks[i+1:]) && !asksForKeyword(toks[i+1:])
		case keywordEndings[rest]:
			return true, false
		case rest == "이" && i+1 < len(toks) && needs(toks[i+1]):
			return true, false // "사람이 필요해요"
		}
	}
	return false, false
}

// keywordRequests are the stems of a request verb that, right after a bare
// short keyword, ask for what it names: "사람 불러줘", "사람 연결해 주세요",
// "사람 바꿔줘", "사람 좀 얘기하고 싶어요". With another word in between
// ("사람 이름 바꿔주세요") the keyword begins a noun phrase instead.
var keywordRequests = []string{"불러", "부르", "연결", "바꿔", "바꾸", "얘기", "이야기", "대화", "상담",
	"통화", "원해", "원합", "부탁"}

// asksForKeyword reports whether toks, the words after a bare short
// keyword, start (after polite fillers) with a request verb
// (keywordRequests): the keyword is then what is asked for.
func asksForKeyword(toks []string) bool {
	for _, tok := range toks {
		if politeTokens[tok] {
			continue
		}
		if needs(tok) { // "사람 필요해요", not "사람 필요한 만큼"
			return true
		}
		for _, stem := range keywordRequests {
			if strings.HasPrefix(tok, stem) {
				return true
			}
		}
		return false
	}
	return false
}

// allPolite reports whether every token is a polite filler ("좀", "빨리").
func allPolite(toks []string) bool {
	for _, tok := range toks {
		if !politeTokens[tok] {
			return false
		}
	}
	return true
}

// needs reports whether tok says "is needed" as a predicate ("필요해요",
// "필요합니다", "필요함"), not "필요한" that qualifies a noun.
func needs(tok string) bool {
	if tok == "필요" {
		return true
	}
	for _, p := range [...]string{"필요해", "필요합", "필요함", "필요하다"} {
		if strings.HasPrefix(tok, p) {
			return true
		}
	}
	return false
}

// maxInsteadWords is how many words may name what a user turns down before
// 말고 ("챗봇 말고", "AI 상담 말고", "이런 자동 답변 말고"), after any leads
// ("아 진짜 챗봇 말고").
const maxInsteadWords = 3

// afterInstead returns the words of toks after a turned-down "X 말고" ("not
// X but ...") within their first words, or toks when there is none: "챗봇
// 말고 사람" and "봇말고 사람이랑 얘기할래요" give what follows 말고, and so
// do words typed together ("봇말고사람이요" gives "사람이요"). Something
// must come before 말고: a lone leading "말고" turns nothing down.
func afterInstead(toks []string) []string {
	j := insteadWord(toks)
	if j < 0 {
		return toks
	}
	rest := toks[j][strings.Index(toks[j], "말고")+len("말고"):]
	if rest == "" {
		return toks[j+1:]
	}
	return append([]string{rest}, toks[j+1:]...)
}

// insteadWord returns the index of the word of toks that holds the 말고 of
// a turned-down "X 말고" (afterInstead), or -1.
func insteadWord(toks []string) int {
	i := 0
	for i < len(toks) && keywordLeads[toks[i]] {
		i++
	}
	for j := i; j < len(toks) && j < i+maxInsteadWords+1; j++ {
		k := strings.Index(toks[j], "말고")
		if k < 0 || k == 0 && j == i {
			continue
		}
		return j
	}
	return -1
}
