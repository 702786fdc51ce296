package fsm

import "strings"

// textRefusals, as the start of a word after a text channel, turn the text
// message down: "문자 안 받아요", "문자 필요 없어요", "문자 보내지 마세요",
// "문자는 싫어요". "안" counts only as its own word or before a verb
// ("안받아요"), not inside "안내" ("문자로 안내해 주세요" asks for a text).
var textRefusals = []string{"안받", "안보내", "안주", "안와", "안돼", "안되", "안해", "않", "없", "필요없",
	"싫", "마세요", "마요", "말아", "못받", "곤란", "어려"}

// noWords are a whole word saying "no" after a text channel: "문자 NO",
// "문자 노노", "문자 ㄴㄴ". Whole words only: "노" begins other words.
var noWords = tokenSet("no", "nope", "노", "노노", "놉", "ㄴ", "ㄴㄴ", "ㄴㄴㄴ")

// refusesText reports whether the words after a text channel word tok
// ("문자", "문자도") turn the text down rather than ask for it: a refusal
// word (textRefusals, noWords, or "안" and "못" alone) before any word naming
// another channel, which the refusal would be about instead ("문자로 주세요
// 전화는 안 돼요"). Two channels both in -도 ("문자도 전화도 필요 없어요")
// share the refusal.
func refusesText(tok string, rest []string) bool {
	for _, w := range rest {
		if strings.HasPrefix(w, "전화") || hasAnyPrefix(w, chatChannels) { // "카톡으로", "카톡도"
			if strings.HasSuffix(tok, "도") && strings.HasSuffix(w, "도") {
				continue
			}
			return false
		}
		if w == "안" || w == "못" || noWords[w] || hasAnyPrefix(w, textRefusals) {
			return true
		}
	}
	return false
}
