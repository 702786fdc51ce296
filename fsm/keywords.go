package fsm

import (
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// Escalation keywords (escalation.keywords) in typed text. A keyword of one
// or two Hangul syllables ("사람") is short and counts only as a word; a
// longer one ("상담원", "사람 바꿔") counts anywhere in the folded text. The
// rules of keywordRules read the turn's reading, in order, and settle what
// the utterance asks for (keywordVerdict); escalation.complaints are read
// apart, once the FAQ has spoken (complaint.go).

// keywordVerdict is what the keyword rules make of a typed utterance.
type keywordVerdict uint8

const (
	noKeyword    keywordVerdict = iota // no human asked for
	keywordLater                       // a human, unless the FAQ answers (then 상담원 연결 comes first)
	keywordNow                         // a human, before the FAQ is asked
)

// keywordSet holds a config's escalation words, folded once (configs.Fold).
type keywordSet struct {
	long       []longKeyword
	short      []string // one or two Hangul syllables (isShortKeyword)
	complaints []string // escalation.complaints (complaint.go)
}

// longKeyword is a folded keyword that is not short. headed: its first
// word is a short word that does not name staff (isHeaded), so it does not
// count right after a keywordModifiers word.
type longKeyword struct {
	text   string
	headed bool
}

// newKeywordSet folds the escalation keywords and complaint phrases,
// dropping empty ones.
func newKeywordSet(keywords, complaints []string) keywordSet {
	var ks keywordSet
	for _, k := range keywords {
		switch n := configs.Fold(k); {
		case n == "":
		case isShortKeyword(n):
			ks.short = append(ks.short, n)
		default:
			ks.long = append(ks.long, longKeyword{text: n, headed: isHeaded(k)})
		}
	}
	for _, p := range complaints {
		if n := configs.Fold(p); n != "" {
			ks.complaints = append(ks.complaints, n)
		}
	}
	return ks
}

// keywordRead is what the keyword rules learn of one reading, passed from
// rule to rule.
type keywordRead struct {
	r *reading
	// scope is the tokens the keywords are looked for in, and longScope
	// the same part of r.norm: all of it, or what follows "X 말고".
	scope     []string
	longScope string
	// long and short: a keyword of that kind was found; bare: the short one
	// had no ending and no request verb after it.
	long, short, bare bool
}

// keywordRule reads one thing about an utterance; done says it settled the
// verdict v.
type keywordRule func(ks *keywordSet, k *keywordRead) (v keywordVerdict, done bool)

// keywordRules are applied in order until one settles; an utterance none
// settles asks for a human now.
var keywordRules = [...]keywordRule{
	// "챗봇 말고 사람이요", "상담원 말고 그냥 알려주세요": what a turned-down
	// "X 말고" names is not asked for; the two rules that find keywords
	// read what follows it, the later ones the whole utterance.
	turnedDown,
	// A long keyword anywhere in what is asked for, except a headed one
	// right after a modifier: "받는 사람 바꿔" changes the recipient.
	longKeywordFound,
	// A short keyword as the first word, after leads ("그냥", "빨리"),
	// alone or with an ending ("사람이요", "사람이랑"), or "사람이 필요해요".
	shortKeywordFound,
	// Neither kind: nobody is asked for.
	func(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) { return noKeyword, !k.long && !k.short },
	// Only a bare short keyword before other words that make no request
	// ("사람 이름 변경") may begin a noun phrase: the FAQ first, whatever
	// request verb follows later.
	func(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) { return keywordLater, !k.long && k.bare },
	// A request verb ("연결해 주세요", "바꿔줘"; not "알려주세요") asks now,
	// however long the message.
	func(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) {
		return keywordNow, imperativeNorm(k.r.norm)
	},
	// A question about the agents ("상담원 몇시까지 해요?", "상담사
	// 운영시간"): the FAQ first.
	func(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) {
		return keywordLater, questionAbout(k.r.raw, k.r.norm)
	},
	// A message longer than shortUtterance that mentions a keyword: the FAQ
	// first.
	func(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) {
		return keywordLater, utf8.RuneCountInString(k.r.raw) > shortUtterance
	},
}

// verdict applies keywordRules to r.
func (ks *keywordSet) verdict(r *reading) keywordVerdict {
	k := keywordRead{r: r, scope: r.toks, longScope: r.norm}
	for _, rule := range keywordRules {
		if v, done := rule(ks, &k); done {
			return v
		}
	}
	return keywordNow
}

func turnedDown(_ *keywordSet, k *keywordRead) (keywordVerdict, bool) {
	j := insteadWord(k.r.toks)
	if j < 0 {
		return 0, false
	}
	tok := k.r.toks[j]
	cut := strings.Index(tok, "말고") + len("말고")
	k.longScope = k.r.norm[k.r.tokAt[j]+cut:]
	if rest := tok[cut:]; rest != "" { // "봇말고사람이요"
		k.scope = append([]string{rest}, k.r.toks[j+1:]...)
	} else {
		k.scope = k.r.toks[j+1:]
	}
	return 0, false
}

func longKeywordFound(ks *keywordSet, k *keywordRead) (keywordVerdict, bool) {
	for _, kw := range ks.long {
		if keywordIn(k.longScope, kw) {
			k.long = true
			break
		}
	}
	return 0, false
}

func shortKeywordFound(ks *keywordSet, k *keywordRead) (keywordVerdict, bool) {
	if len(ks.short) > 0 {
		k.short, k.bare = shortKeyword(k.scope, ks.short)
	}
	return 0, false
}

// shortUtterance is the rune length up to which an utterance holding an
// escalation keyword escalates without asking the FAQ.
const shortUtterance = 12

// shortKeywordRunes is the length, in Hangul syllables, up to which an
// escalation keyword is a word rather than a substring: "사람" lies inside
// "받는사람" and "사람마다".
const shortKeywordRunes = 2

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

// Words around a short keyword.
var (
	// keywordEndings may follow a short keyword inside its word: "사람이요",
	// "사람이랑", "사람한테", "사람좀". Endings that make a different word
	// ("사람마다", "사람들") or a subject ("사람이 많아요") are not here.
	keywordEndings = tokenSet("요", "이요", "이에요", "예요", "이랑", "랑", "이랑요", "랑요", "하고",
		"과", "와", "한테", "한테요", "에게", "을", "를", "좀", "으로", "로")
	// keywordLeads may precede a short keyword, or what "X 말고" turns down,
	// without changing the request: "그냥 사람 불러줘", "빨리 사람이요".
	keywordLeads = tokenSet("그냥", "빨리", "좀", "지금", "바로", "진짜", "제발", "저", "저는", "나",
		"난", "아니", "그럼", "혹시", "일단", "네", "예", "아", "아니요", "아뇨")
	// keywordRequests are the stems of a request verb that, right after a
	// bare short keyword, ask for what it names: "사람 불러줘", "사람 좀
	// 얘기하고 싶어요". With another word in between ("사람 이름 바꿔주세요")
	// the keyword begins a noun phrase instead.
	keywordRequests = []string{"불러", "부르", "연결", "바꿔", "바꾸", "얘기", "이야기", "대화", "상담",
		"통화", "원해", "원합", "부탁"}
)

// shortKeyword reports whether toks start, after optional keywordLeads,
// with a word that is one of the short keywords, alone or followed by one
// of keywordEndings: "사람", "사람이요", "사람 불러줘", "사람이랑 얘기할래요"
// — but not "받는사람 변경", "사람마다 사이즈가 달라요" or "보내는 사람 이름
// 바꾸고 싶어요". bare says the keyword had no ending and the words after
// it are neither all polite fillers nor start with a request verb
// (asksForKeyword): "사람 이름 변경", "사람 두 명 예약".
func shortKeyword(toks, short []string) (hit, bare bool) {
	i := 0
	for i < len(toks)-1 && keywordLeads[toks[i]] {
		i++
	}
	if i >= len(toks) {
		return false, false
	}
	for _, k := range short {
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

// asksForKeyword reports whether toks, the words after a bare short
// keyword, start (after polite fillers) with a request verb
// (keywordRequests) or "is needed" (needs).
func asksForKeyword(toks []string) bool {
	for _, tok := range toks {
		if !politeTokens[tok] {
			return needs(tok) || hasAnyPrefix(tok, keywordRequests)
		}
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
	return tok == "필요" || hasAnyPrefix(tok, needsWords)
}

var needsWords = []string{"필요해", "필요합", "필요함", "필요하다"}

// maxInsteadWords is how many words may name what a user turns down before
// 말고 ("챗봇 말고", "AI 상담 말고", "이런 자동 답변 말고"), after any leads
// ("아 진짜 챗봇 말고").
const maxInsteadWords = 3

// insteadWord returns the index of the token of toks that holds the 말고
// of a turned-down "X 말고" within their first words, or -1. Something must
// come before 말고: a lone leading "말고" turns nothing down.
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

// Words around a long keyword.
var (
	// keywordModifiers are the folded words that, right before a short word,
	// make it name someone else: "받는 사람", "보내는 사람", "주문한 사람" are
	// the recipient, the sender and the buyer, not a human agent.
	keywordModifiers = []string{
		"받는", "받을", "받은", "받으실", "받으시는", "받으신",
		"보내는", "보낸", "보낼", "보내실", "보내시는", "보내신",
		"주문한", "주문하는", "주문할", "주문하신", "주문하시는",
		"구매한", "구매하는", "구매하신", "결제한", "결제하는", "결제하신",
		"선물한", "선물하는", "선물할", "선물하신",
		"수령하는", "수령할", "수령하실", "예약한", "예약하는", "예약하신",
		"가입한", "등록한", "등록된", "적힌", "입력한", "입력된",
	}
	// staffWords are the folded short words that name staff themselves:
	// after a keywordModifiers word they still do ("전화 받은 직원이랑
	// 통화하고 싶어요" asks for a human), so a keyword that starts with one
	// is never headed.
	staffWords = []string{"직원", "상담", "점원", "담당", "사장", "점장", "팀장"}
)

// isHeaded reports whether the keyword k, as configured, is long and its
// first word is a short word (isShortKeyword), alone or with one of
// keywordEndings, that does not name staff (staffWords): "사람 바꿔",
// "사람이랑", but not "직원 연결", "상담원 연결" or "1:1 문의".
func isHeaded(k string) bool {
	words := strings.Fields(k)
	if len(words) == 0 || isShortKeyword(configs.Fold(k)) {
		return false
	}
	w := configs.Fold(words[0])
	return shortWord(w) && !hasAnyPrefix(w, staffWords)
}

// shortWord reports whether the folded word w is a short keyword
// (isShortKeyword) or one followed by one of keywordEndings ("사람이랑").
func shortWord(w string) bool {
	if isShortKeyword(w) {
		return true
	}
	for i, n := 0, 0; i < len(w) && n < shortKeywordRunes; n++ {
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if isShortKeyword(w[:i]) && keywordEndings[w[i:]] {
			return true
		}
	}
	return false
}

// keywordIn reports whether the folded text n holds the keyword k. An
// occurrence of a headed one right after one of keywordModifiers does not
// count: "받는사람바꿔주세요" does not hold "사람바꿔",
// "받는사람바꿔서사람바꿔주세요" does.
func keywordIn(n string, k longKeyword) bool {
	if !k.headed {
		return strings.Contains(n, k.text)
	}
	for from := 0; ; {
		i := strings.Index(n[from:], k.text)
		if i < 0 {
			return false
		}
		at := from + i
		if !hasAnySuffix(n[:at], keywordModifiers) {
			return true
		}
		from = at + len(k.text)
	}
}

// questionWords mark a short utterance that asks about the agents rather
// than for one.
var questionWords = []string{"몇시", "언제", "시간", "어디", "어떻게", "얼마", "누구", "무슨"}

// questionAbout reports whether the utterance u (n folded) is a question
// rather than a request: it ends with a question mark or holds a question
// word.
func questionAbout(u, n string) bool {
	return isQuestion(u) || containsAny(n, questionWords)
}

// imperatives mark a request for a human ("연결해 주세요", "바꿔줘"), and
// so does a wish to talk with one ("상담원이랑 얘기하고 싶어요", "상담사랑
// 채팅하고 싶어요", "상담원과 대화를 원합니다"); informational requests
// ("알려주세요") ask the FAQ, not for a human.
var (
	imperatives = []string{"연결해", "연결좀", "바꿔", "주세요", "해줘", "해주", "원해", "원합", "부탁", "불러", "줄래", "달라",
		"얘기하고싶", "이야기하고싶", "대화하고싶", "채팅하고싶", "상담하고싶", "통화하고싶", "상담받고싶"}
	informational = []string{"알려주", "알려줘", "가르쳐주", "가르쳐줘", "보여주", "보여줘"}
)

// imperativeNorm reports whether the folded utterance n asks for a human
// rather than for information.
func imperativeNorm(n string) bool {
	for _, w := range informational {
		n = strings.ReplaceAll(n, w, "")
	}
	return containsAny(n, imperatives)
}
