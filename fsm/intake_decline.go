package fsm

import (
	"slices"
	"strings"
	"unicode"
)

// declineTokens say "I have none", "I don't know" or "I'd rather not" to
// an intake prompt ("주문번호를 알려주세요", "연락받을 번호를 남겨 주세요"):
// an optional field is skipped as 건너뛰기 skips it; a required one is
// asked again.
var declineTokens = tokenSet("없어요", "없습니다", "없음", "없어", "없어용", "없는데요", "없는데", "없네요",
	"없구요", "없고요", "괜찮아요", "괜찮습니다", "괜찮아", "됐어요", "됐습니다", "필요없어요", "필요없습니다",
	"안남길게요", "안남길께요", "안남길래요", "안남겨요", "안남길게", "안남겨도돼요", "안남겨도될까요",
	"안알려줄래요", "안할게요", "안할래요", "아니요", "아니오", "아뇨", "싫어요", "패스", "스킵",
	"건너뛸게요", "넘어갈게요", "넘길게요", "skip", "pass",
	// "I don't know it" ("주문번호 몰라요", "잘 모르겠어요", "기억 안 나요"): the
	// usual answer to an order number prompt, as good as a decline.
	"몰라요", "몰라", "모름", "모르겠어요", "모르겠습니다", "모르겠는데요", "모르겠네요", "모르는데요",
	"안나요", "안나네요", "기억안나요", "안알려드릴게요", "안알려드릴래요", "스킵할게요", "패스할게요")

// allowedAfter say "it is fine" after a verb in -도 negated with 안 ("안
// 주셔도 돼요": you need not); declineAnswer reads the pair as one decline.
var allowedAfter = tokenSet("돼요", "됩니다", "되요", "돼", "괜찮아요", "괜찮습니다")

// declineAnswer reports whether u declines an intake prompt: decline words
// and polite fillers, "안" joined to the word after it ("안 남길게요"), "you
// need not" ("연락 안 주셔도 돼요": allowedAfter), and
// at most one leading word naming what is declined ("주문번호 없어요",
// "번호는 안 남길게요") when it holds no digit, so a number is never taken
// for a decline, and ways to be reached in -도 beside it ("문자도 필요
// 없어요": alsoDeclined). A question ("없어요?") declines nothing, nor does
// a text message turned down ("문자는 싫어요": refusesText), which leaves a
// call.
func declineAnswer(u string) bool {
	if isQuestion(u) {
		return false
	}
	var toks []string
	for _, tok := range answerTokens(u) {
		n := len(toks)
		switch {
		case n > 0 && toks[n-1] == "안", n > 0 && toks[n-1] == "필요" && strings.HasPrefix(tok, "없"):
			toks[n-1] += tok // "안 남길게요", "필요 없어요"
		case n > 0 && allowedAfter[tok] && strings.HasPrefix(toks[n-1], "안") && strings.HasSuffix(toks[n-1], "도"):
			toks[n-1] = "괜찮아요" // "연락 안 주셔도 돼요", "안 남겨도 괜찮아요": you need not
		default:
			toks = append(toks, tok)
		}
	}
	if len(toks) > 1 && !declineTokens[toks[0]] && !politeTokens[toks[0]] && !hasDigit(toks[0]) {
		if hasAnyPrefix(toks[0], textChannels) && !strings.HasSuffix(toks[0], "도") && refusesText(toks[0], toks[1:]) {
			return false // "문자는 싫어요" turns the text down, not the number
		}
		toks = toks[1:] // the object: "주문번호 없어요"
	}
	declined := false
	for _, tok := range toks {
		switch {
		case declineTokens[tok]:
			declined = true
		case politeTokens[tok], alsoDeclined(tok):
		default:
			return false
		}
	}
	return declined
}

// alsoWays name a way to be reached that a decline in -도 takes in too:
// "연락 안 주셔도 돼요 문자도 필요 없어요", "전화도 문자도 필요 없어요".
var alsoWays = []string{"문자", "카톡", "전화", "통화", "연락", "번호"}

// alsoDeclined reports whether tok is one of alsoWays in -도 ("문자도").
func alsoDeclined(tok string) bool {
	base, ok := strings.CutSuffix(tok, "도")
	return ok && slices.Contains(alsoWays, base)
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// declineField answers a decline of intake field f (index i): an optional
// field is skipped; a required one is asked again, and a second decline
// leaves it out as a second misfit does (answerField), so the user is never
// kept from a human. The decline is never stored as the answer.
func (t *turn) declineField(f intakeField, i int) {
	if f.optional || t.conv.Intake.Retried {
		t.nextField(i)
		return
	}
	t.conv.Intake.Retried = true
	t.askField(f, false)
}
