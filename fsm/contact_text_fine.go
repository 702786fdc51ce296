package fsm

import "slices"

// fineTokens say "is fine", "will do" after a text channel at the call-back
// number prompt: "문자로도 괜찮아요", "문자도 돼요", "문자 좋아요".
var fineTokens = tokenSet("괜찮아요", "괜찮습니다", "괜찮아", "괜찮아용", "돼요", "됩니다", "되요", "좋아요",
	"좋습니다", "상관없어요", "상관없습니다")

// textIsFine reports whether toks, the tokens of an answer to the call-back
// number prompt, say a text message is fine: a text channel word (byText:
// "문자로도", "문자도", "문자") followed only by fineTokens and polite
// fillers, at least one of them a fineToken. declineAnswer would read
// "괜찮아요" after its object as "no, thanks"; here it accepts the text, so
// the number is asked for it (contactByWish). "괜찮아요" alone, "문자는
// 괜찮아요" (as for a text, no thanks) and "문자 안 받아도 괜찮아요" stay
// declines.
func textIsFine(toks []string) bool {
	toks = joinTextMessage(slices.Clone(toks)) // joins in place; toks are the turn's
	if len(toks) < 2 {
		return false
	}
	if text, _ := byText(toks[0]); !text {
		return false
	}
	fine := false
	for _, tok := range toks[1:] {
		switch {
		case fineTokens[tok]:
			fine = true
		case politeTokens[tok]:
		default:
			return false
		}
	}
	return fine
}
