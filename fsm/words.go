package fsm

import (
	"strings"
	"unicode"

	"github.com/baton-chat/baton/configs"
)

// Everyday Korean answers the engine reads beyond the exact words of
// texts.confirm_yes, texts.confirm_no and texts.cancel. Each table holds
// tokens as configs.Fold folds them; an utterance is split on spaces and
// punctuation into tokens and read only when every token is known, so a
// sentence that merely starts with "네" or "예약" is left to the FAQ.

// confirmYesTokens say yes to "상담원을 연결할까요?".
var confirmYesTokens = tokenSet("네", "넵", "넹", "녜", "예", "응", "웅", "ㅇㅇ", "ㅇㅋ", "ㅇㅋㅇㅋ",
	"좋아요", "좋아", "좋습니다", "그래요", "그래", "그래주세요", "yes", "ok", "okay", "오케이",
	"연결", "연결요", "연결해", "연결해줘", "연결해줘요", "연결해주세요", "연결해주셔요", "연결부탁해요",
	"연결부탁드려요", "연결부탁드립니다", "상담원", "상담원요", "부탁해요", "부탁드려요", "부탁드립니다",
	"부탁합니다", "해주세요", "해줘", "원해요")

// confirmNoTokens say no to "상담원을 연결할까요?"; so do the cancel words
// ("취소", "아니요 취소할게요"), as they cancel a wait or an intake.
var confirmNoTokens = tokenSet("아니요", "아니오", "아뇨", "아니", "아니에요", "아녀", "아냐", "노",
	"no", "ㄴㄴ", "됐어요", "됐어", "됐습니다", "괜찮아요", "괜찮아", "괜찮습니다", "싫어요", "싫어",
	"필요없어요", "필요없습니다", "안할래요", "안할게요", "안해요",
	"취소", "취소요", "취소해", "취소해줘", "취소해줘요", "취소해주세요", "취소할래요", "취소할게요", "취소합니다", "취소해요")

// politeTokens may accompany a yes or a no without changing it.
var politeTokens = tokenSet("요", "좀", "빨리", "주세요", "줘", "줘요", "그냥", "ㅎㅎ", "ㅋㅋ", "감사합니다",
	"감사해요", "고마워요", "지금", "바로")

// cancelTokens cancel a wait for an agent; cancelObjects may precede them
// ("상담 취소해주세요", "상담 안 할래요"), and cancelLeads before those
// ("그냥 취소해 주세요", "아 상담 취소할게요"). cancelWishes say "I want to
// cancel" and cancel only after one of cancelObjects ("상담 취소하고
// 싶어요"): alone, or after another object ("주문 취소하고 싶어요"), they
// are a question for the FAQ (cancelling an order). So does a cancel that
// names another object ("주문 취소하겠습니다"). cancelRequests may follow
// a cancel that names what it cancels ("상담 취소 부탁드립니다"); after a
// bare "취소" they could ask to cancel an order.
var (
	cancelTokens = tokenSet("취소", "취소요", "취소해", "취소해줘", "취소해줘요", "취소해주세요", "취소해주십시오",
		"취소할래요", "취소할게요", "취소할께요", "취소합니다", "취소해요", "취소하겠습니다", "취소하겠어요",
		"그만", "그만할래요", "그만할게요", "그만하겠습니다", "그만하겠어요",
		"안할래요", "안할게요", "안하겠습니다", "안하겠어요", "안해요", "필요없어요", "됐어요")
	cancelObjects = tokenSet("상담", "대기", "연결", "상담원", "요청", "상담요청", "상담연결", "대기도")
	cancelWishes  = tokenSet("취소하고싶어요", "취소하고싶습니다", "취소하고싶은데요", "취소하고싶어", "취소하고파요",
		"취소하고싶네요", "그만하고싶어요", "그만하고싶습니다", "안하고싶어요", "안하고싶습니다")
	// cancelLeads are fillers that may open a cancel without changing it.
	cancelLeads = tokenSet("그냥", "아", "앗", "음", "흠", "저", "저기", "저기요", "괜찮아요", "괜찮습니다",
		"됐고", "아니", "아니요", "아뇨", "네", "넵", "그럼", "그러면", "죄송한데", "죄송하지만", "아무래도")
	cancelRequests = tokenSet("부탁드립니다", "부탁드려요", "부탁해요", "부탁합니다", "부탁드릴게요", "부탁")
	// namedCancels are a cancel typed in one word with its object
	// ("상담취소", "대기취소해주세요", "상담취소하고싶어요").
	namedCancels = joinedSet(cancelObjects, cancelTokens, cancelWishes)
)

// joinedSet returns every key of objects joined with a key of one of words.
func joinedSet(objects map[string]bool, words ...map[string]bool) map[string]bool {
	m := make(map[string]bool)
	for o := range objects {
		for _, ws := range words {
			for w := range ws {
				m[o+w] = true
			}
		}
	}
	return m
}

// cancelSplit is how many tokens a cancel word may be typed across: a
// spacing slip before the auxiliary verb ("취소 해주세요", "취소 할게요"),
// "안" apart ("안 할래요"), "-고 싶어요" apart ("취소하고 싶어요", "취소
// 하고 싶어요").
const cancelSplit = 3

// homeWords and backWords are typed navigation beside texts.home and
// texts.back.
var (
	homeWords = tokenSet("처음", "처음으로", "처음화면", "처음메뉴", "홈", "홈으로", "메뉴", "메인",
		"메인메뉴", "메인으로", "첫화면", "전체메뉴", "메뉴보기", "메뉴보여줘", "메뉴보여주세요")
	backWords = tokenSet("뒤로", "뒤로가기", "이전", "이전으로", "이전메뉴", "전으로", "뒤로요", "back")
)

// thanksWords are thanks and acknowledgements that are not questions.
var thanksWords = tokenSet("감사합니다", "감사해요", "감사", "고마워요", "고맙습니다", "고마워", "ㄱㅅ",
	"ㄳ", "ㄱㅅㄱㅅ", "ㄱㅅㅇ", "땡큐", "thanks", "thankyou", "알겠어요", "알겠습니다", "알겠음", "알았어요",
	"확인했어요", "확인했습니다", "넵알겠습니다", "네알겠습니다", "네알겠어요", "넵알겠어요",
	"네감사합니다", "넵감사합니다", "감사합니다요")

// greetingWords are hellos typed alone ("안녕하세요", "저기요"), read only
// when the FAQ has no answer for them.
var greetingWords = tokenSet("안녕하세요", "안녕하세용", "안녕하세여", "안녕하십니까", "안녕", "안뇽", "하이",
	"하이요", "hi", "hello", "헬로", "반가워요", "반갑습니다", "저기요", "여기요", "여보세요", "계세요", "계신가요",
	"안녕하세요저기요")

// ordinalWords are the Korean ordinals read before "번째" in a clarify
// list or menu ("두 번째요").
var ordinalWords = map[string]int{"첫": 1, "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6,
	"일곱": 7, "여덟": 8, "아홉": 9, "열": 10}

func tokenSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[configs.Fold(w)] = true
	}
	return m
}

// isQuestion reports whether u ends with a question mark ("안 돼요?"),
// possibly followed by other punctuation, symbols or spaces ("네?!", "네?~").
func isQuestion(u string) bool {
	u = strings.TrimRightFunc(u, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsSymbol(r) || unicode.IsPunct(r) && r != '?' && r != '？'
	})
	return strings.HasSuffix(u, "?") || strings.HasSuffix(u, "？")
}

// repeatOf reports whether tok is a yes word said twice or more ("네네",
// "넵넵").
func repeatOf(tok string, set map[string]bool) bool {
	for _, w := range []string{"네", "넵", "넹", "예", "응", "웅", "ㅇㅇ"} {
		if set[w] && len(tok) > len(w) && strings.Count(tok, w)*len(w) == len(tok) {
			return true
		}
	}
	return false
}

// confirmAnswer reads an everyday yes or no to the confirm question: every
// token of u is a yes (or no) word or a polite filler, with at least one
// yes (or no) word and none of the other. A question ("안 돼요?", "네?")
// is neither.
func confirmAnswer(u string) (yes, no bool) {
	if isQuestion(u) {
		return false, false
	}
	return yesNoTokens(u)
}

// yesNoTokens is confirmAnswer without the question test: every token of u
// is a yes (or no) word or a polite filler.
func yesNoTokens(u string) (yes, no bool) {
	toks := answerTokens(u)
	for _, tok := range toks {
		switch {
		case confirmYesTokens[tok] || repeatOf(tok, confirmYesTokens):
			yes = true
		case confirmNoTokens[tok]:
			no = true
		case politeTokens[tok]:
		default:
			return false, false
		}
	}
	if yes && no {
		return false, false
	}
	return yes, no
}

// cancelAnswer reports whether u asks to cancel a wait: optional objects
// ("상담", "대기") then one cancel word, possibly typed across a few
// tokens ("안 할래요", "취소 해주세요"), then polite fillers; a wish to
// cancel ("취소하고 싶어요") only after an object. A question ("취소할래요?")
// cancels nothing.
func cancelAnswer(u string) bool {
	ok, _ := cancelPhrase(u)
	return ok && !isQuestion(u)
}

// cancelPhrase is cancelAnswer without the question test; named reports
// that the cancel named what it cancels ("상담 안 할래요", "대기 취소요",
// "상담취소 부탁드립니다").
func cancelPhrase(u string) (ok, named bool) {
	return cancelIn(answerTokens(u))
}

// cancelIn is cancelPhrase of an utterance's tokens (answerTokens, or a
// turn's reading).
func cancelIn(toks []string) (ok, named bool) {
	i := 0
	for i < len(toks) && cancelLeads[toks[i]] {
		i++
	}
	j := i
	for j < len(toks) && cancelObjects[toks[j]] {
		j++
	}
	named = j > i
	// The cancel word: up to cancelSplit tokens from j joined, followed
	// by polite fillers only. They are joined in a buffer on the stack and
	// looked up without a string made of them: every turn while waiting
	// reads this (inWaiting).
	var buf [64]byte
	w := buf[:0]
	for k := j; k < len(toks) && k < j+cancelSplit && len(w)+len(toks[k]) <= len(buf); k++ {
		w = append(w, toks[k]...)
		joined := namedCancels[string(w)]
		if (cancelTokens[string(w)] || joined || named && cancelWishes[string(w)]) && cancelTail(toks[k+1:], named || joined) {
			return true, named || joined
		}
	}
	return false, false
}

// cancelTail reports whether toks, what follows a cancel word, are polite
// fillers only ("주세요", "요"), or, after a cancel that named its object,
// a request ("부탁드립니다").
func cancelTail(toks []string, named bool) bool {
	for _, tok := range toks {
		if !politeTokens[tok] && !(named && cancelRequests[tok]) {
			return false
		}
	}
	return true
}

// trimPolite cuts a polite ending ("처음으로요", "2번이요") off a folded
// utterance.
func trimPolite(n string) string {
	for _, s := range []string{"이에요", "입니다", "이요", "예요", "요"} {
		if r, ok := strings.CutSuffix(n, s); ok && r != "" {
			return r
		}
	}
	return n
}

// navigationWord reports whether the folded utterance n is a typed "go
// home" or "go back".
func navigationWord(n string) (home, back bool) {
	for _, w := range []string{n, trimPolite(n)} {
		if homeWords[w] {
			return true, false
		}
		if backWords[w] {
			return false, true
		}
	}
	return false, false
}

// isThanks reports whether the folded utterance n is thanks or an
// acknowledgement.
func isThanks(n string) bool {
	return thanksWords[n] || thanksWords[trimPolite(n)]
}

// isGreeting reports whether the folded utterance n is a hello, also with
// a laugh, a tilde or an emoji after it ("안녕하세요~", "안녕하세요ㅎㅎ").
func isGreeting(n string) bool {
	n = strings.TrimRightFunc(n, func(r rune) bool {
		return r == 'ㅎ' || r == 'ㅋ' || r == '^' || unicode.IsSymbol(r)
	})
	return greetingWords[n] || greetingWords[trimPolite(n)]
}

// wordNumber reads a pick typed in words: "2번이요", "2번 이요",
// "두 번째요", "첫번째", "2번째".
func wordNumber(u string) (int, bool) {
	n := trimPolite(configs.Fold(u))
	if r, ok := strings.CutSuffix(n, "번째"); ok {
		if v, ok := ordinalWords[r]; ok {
			return v, true
		}
		return typedNumber(r)
	}
	if n == configs.Fold(u) { // no polite ending: typedNumber's case
		return 0, false
	}
	return typedNumber(n)
}

// pickNumber reads a typed option number in digits (typedNumber) or in
// words (wordNumber).
func pickNumber(u string) (int, bool) {
	if n, ok := typedNumber(u); ok {
		return n, true
	}
	return wordNumber(u)
}

// hasAnyPrefix reports whether s starts with one of prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// hasAnySuffix reports whether s ends with one of suffixes.
func hasAnySuffix(s string, suffixes []string) bool {
	for _, p := range suffixes {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, p := range subs {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
