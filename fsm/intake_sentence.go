package fsm

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// inSentence returns the one answer to f that u holds when u as a whole
// does not match f's pattern. u is read word by word (words are split at
// spaces; punctuation around a word is dropped), and a word gives a
// candidate (wordAnswers):
//
//   - the word with one Korean ending taken off its end (answerEndings,
//     the longest that leaves a match first: "김철수입니다" → 김철수,
//     "AB-1234이에요" → AB-1234), or else the word as it is, when that
//     matches the pattern as a whole — unless the word is a predicate
//     ("필요해요", "주문했어요": predicateWord);
//   - or else each part of the word that matches the pattern and stands
//     alone (alone: "주문번호:AB-1234" → AB-1234).
//
// A word of the question is no candidate (notAnswer): one of the field's
// prompt, of a small closed list (이름, 성함, 주문번호, 제, 저, 뭐, 누구 …),
// an ending or a polite filler said alone ("입니다", "합니다", "감사합니다"),
// each also with a particle ("이름은", "저는"). When the words give no
// candidate, a part of u that holds a space (a pattern that allows one) is
// looked for as before across words (spanning). Of several different
// candidates, those with no digit are dropped when one has a digit
// ("order AB-1234 please" → AB-1234). ok only when exactly one different
// candidate is left; a question ("주문번호가 뭐예요?") is no answer. A
// field without a pattern takes u whole.
func (f intakeField) inSentence(u string) (string, bool) {
	if f.find == nil || isQuestion(u) {
		return "", false
	}
	var found []string
	for _, w := range strings.Fields(u) {
		for _, v := range f.wordAnswers(w) {
			if !slices.Contains(found, v) {
				found = append(found, v)
			}
		}
	}
	if len(found) == 0 {
		if v, ok := f.spanning(u); ok {
			found = append(found, v)
		}
	}
	if len(found) > 1 && slices.ContainsFunc(found, hasDigit) {
		found = slices.DeleteFunc(found, func(v string) bool { return !hasDigit(v) })
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], f.fits(found[0])
}

// whole returns the answer u gives to f when it matches f's pattern as a
// whole: u as is, or, when u is one word with a copula ending whose stem
// matches too, the stem ("김철수요" and "김철수예요" → 김철수 at
// [가-힣]{2,5}). One word of the question ("이름이요", "성함") is no answer.
func (f intakeField) whole(u string) (string, bool) {
	if !f.fits(u) {
		return "", false
	}
	if f.re == nil || strings.ContainsFunc(u, unicode.IsSpace) {
		return u, true
	}
	if f.notAnswer(u) {
		return "", false
	}
	if !predicateWord(u) {
		for _, e := range copulaEndings {
			if rest, ok := strings.CutSuffix(u, e); ok && rest != "" && f.fits(rest) {
				return rest, true
			}
		}
	}
	return u, true
}

// wordAnswers returns the candidates word w of a sentence gives as an
// answer to f (inSentence).
func (f intakeField) wordAnswers(w string) []string {
	tw := strings.TrimFunc(w, notWordRune)
	if tw == "" || f.notAnswer(tw) {
		return nil
	}
	if !predicateWord(tw) {
		for _, e := range answerEndings {
			if rest, ok := strings.CutSuffix(tw, e); ok && rest != "" && f.fits(rest) {
				return []string{rest}
			}
		}
		if f.fits(tw) {
			return []string{tw}
		}
	}
	var out []string
	for _, m := range f.find.FindAllStringIndex(w, -1) {
		v := w[m[0]:m[1]]
		if v == "" || v == tw || !alone(w, m[0], m[1]) || f.notAnswer(v) || !f.fits(v) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// spanning returns the one part of u matching f's pattern across words:
// every match of the pattern in u is the same text and stands alone, and
// it holds a space (a part within a word is wordAnswers').
func (f intakeField) spanning(u string) (string, bool) {
	found := ""
	for _, m := range f.find.FindAllStringIndex(u, -1) {
		v := u[m[0]:m[1]]
		if v == "" || !alone(u, m[0], m[1]) || (found != "" && v != found) {
			return "", false
		}
		found = v
	}
	return found, strings.ContainsFunc(found, unicode.IsSpace) && !f.notAnswer(found)
}

// notAnswer reports whether w is a word of the question rather than an
// answer: a word of f's prompt or of intakeAskWords, alone or with one
// particle or ending (particleEndings: "이름은", "주문번호를", "저는").
func (f intakeField) notAnswer(w string) bool {
	n := configs.Fold(w)
	if n == "" || f.asked[n] || intakeAskWords[n] {
		return true
	}
	for _, e := range particleEndings {
		if rest, ok := strings.CutSuffix(n, e); ok && rest != "" && (f.asked[rest] || intakeAskWords[rest]) {
			return true
		}
	}
	return false
}

// askedWords returns the words of an intake prompt but those with a digit,
// folded, each also without one particle: "주문하신 분의 성함을 알려주세요." gives 주문하신, 분의,
// 분, 성함을, 성함, 알려주세요 … (notAnswer).
func askedWords(prompt string) map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.Fields(prompt) {
		n := configs.Fold(w)
		if n == "" || hasDigit(n) { // an example answer ("예: A-1001") is one
			continue
		}
		words[n] = true
		for _, e := range particleEndings {
			if rest, ok := strings.CutSuffix(n, e); ok && rest != "" {
				words[rest] = true
				break
			}
		}
	}
	return words
}

// notWordRune is trimmed from the edges of a word of a sentence:
// punctuation and symbols ("(AB-1234)", "'김철수'").
func notWordRune(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// copulaEndings are the endings a user attaches to the answer itself, also
// when it is the whole message (whole): the copula ("김철수입니다",
// "홍길동이에요", "김철수예요", "김철수요", "김철수인데요") and a quote
// ("김철수라고 합니다"), longest first. 고요 and 구요 are not among them:
// 김철구요 is 김철구 with 요.
var copulaEndings = longestFirst("입니다", "이에요", "이예요", "예요", "에요", "이요", "요", "이고요",
	"이구요", "인데요", "이라고", "라고", "이라고요", "라고요", "이라구요", "라구요")

// answerEndings are the endings taken off a word of a sentence
// (wordAnswers): copulaEndings, the subject and object particles
// ("김철수가 주문했어요"), 는, 로 ("AB-1234로 주문했어요") and "and"
// ("김철수하고 이영희" is two names), longest first. 은 is not among them:
// 김지은 and 김하은 end in it.
var answerEndings = longestFirst(append([]string{"이", "가", "는", "을", "를", "으로", "로", "하고",
	"이랑", "랑"}, copulaEndings...)...)

// particleEndings are the endings a word of the question may carry
// ("이름은", "성함이", "주문번호를", "제가", "저는", "이름이요"):
// answerEndings and the particles 은, 도, 의, 만.
var particleEndings = longestFirst(append([]string{"은", "도", "의", "만", "은요", "는요"},
	answerEndings...)...)

// intakeAskWords are never an answer found in a sentence: the words a user
// answering an intake question says around the answer (beside the words of
// the field's own prompt), endings said alone, and the polite fillers, yes
// and no words and thanks of words.go. Folded.
var intakeAskWords = func() map[string]bool {
	m := tokenSet("이름", "성함", "성명", "고객명", "주문자", "주문자명", "구매자", "예약자", "본인",
		"주문번호", "번호", "주문", "제", "저", "저희", "나", "내", "뭐", "무엇", "뭔가요", "누구",
		"왜", "어디", "언제", "어떻게", "무슨", "아니면", "또는", "그리고", "합니다", "해요", "입니다",
		"안녕하세요", "음", "아", "그럼", "혹시", "어제", "오늘", "내일", "지금", "방금", "아까")
	for _, set := range []map[string]bool{politeTokens, thanksWords, confirmYesTokens, confirmNoTokens,
		tokenSet(answerEndings...)} {
		for w := range set {
			m[w] = true
		}
	}
	return m
}()

// predicateWord reports whether w ends like a verb or adjective
// ("필요해요", "주문했어요", "알려주세요", "필요합니다", "말해야",
// "알려줘야"), so that neither w nor w without 요 is a Hangul answer:
// 입니다 is the copula ("김철수입니다"), and 아요 is left out (박서아요 is
// 박서아 with 요).
func predicateWord(w string) bool {
	if strings.HasSuffix(w, "니다") && !strings.HasSuffix(w, "입니다") {
		return true
	}
	for _, e := range predicateEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// predicateEndings end a predicate word (predicateWord).
var predicateEndings = []string{"해요", "어요", "세요", "네요", "죠", "까요", "나요", "래요", "게요",
	"야", "돼요", "봐요", "줘요", "워요", "는데요", "거든요", "는데", "니까", "해서"}

// longestFirst returns words sorted longest first (ties in the order given).
func longestFirst(words ...string) []string {
	out := slices.Clone(words)
	slices.SortStableFunc(out, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	return out
}

// alone reports whether u[i:j] stands alone in u: neither the rune before
// it nor the rune after it continues it (inSentence).
func alone(u string, i, j int) bool {
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(u[:i])
		first, _ := utf8.DecodeRuneInString(u[i:j])
		if continues(before, first) {
			return false
		}
	}
	if j < len(u) {
		after, _ := utf8.DecodeRuneInString(u[j:])
		last, _ := utf8.DecodeLastRuneInString(u[i:j])
		if continues(after, last) {
			return false
		}
	}
	return true
}

// continues reports whether r, next to the match's edge rune m, would run
// on into it: both are letters or digits of one kind (wordKind). An ASCII
// letter, digit or _ runs on into an ASCII edge ("ABCDEFGHIJKLMNOPQRSTU"
// is no 20-character code), Hangul into Hangul; a space, punctuation or a
// Hangul particle after a Latin-and-digit code ends it.
func continues(r, m rune) bool {
	k := wordKind(r)
	return k != kindNone && k == wordKind(m)
}

// Kinds of rune for the edge of an answer found in a sentence.
const (
	kindNone  = iota // a space, punctuation, a symbol
	kindASCII        // an ASCII letter, digit or _ (a word rune of \w)
	kindOther        // any other letter or digit (Hangul, full-width forms)
)

func wordKind(r rune) int {
	switch {
	case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'):
		return kindASCII
	case unicode.IsLetter(r) || unicode.IsNumber(r):
		return kindOther
	}
	return kindNone
}
