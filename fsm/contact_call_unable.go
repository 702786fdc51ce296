package fsm

import "strings"

// A user asked for a number who says they cannot take a call ("전화 못
// 받아요", "통화가 어려워요", "근무 중이라 통화 안 돼요") is reached by a
// text message to that number: contactWishOf reads it as wishText, as it
// reads "문자로 주세요". That is not a call turned down in favour of the chat
// ("전화는 싫어요", "전화 말고": notByPhone): being unable to answer the
// phone now says nothing against the number, only against ringing it.

// callWords name a phone call at the start of a word: "전화는", "통화가".
var callWords = []string{"전화", "통화"}

// callTails may follow a call word in its word and keep it the call the
// sentence is about: "전화는", "통화가", "전화받기", "통화하기가". Not "도"
// ("전화도 문자도 필요 없어요" turns both down), nor "번호" ("전화번호
// 없어요" declines the number).
var callTails = tokenSet("", "는", "은", "가", "를", "받기", "받기가", "받기는", "받는게", "받는건", "받는거",
	"하기", "하기가", "하기는", "하는게", "하는건", "받을", "할")

// callFillers may stand between the call and the word saying it cannot be
// taken: "전화 받기 곤란해요", "전화는 좀 힘들어요", "전화 받을 수 없어요",
// "전화 받는 거 어려워요".
var callFillers = tokenSet("받기", "받기가", "받기는", "받기도", "받는", "받는게", "받는건", "받는거", "하기",
	"하기가", "하기는", "하는", "하는게", "하는건", "받을", "할", "거", "게", "건", "것", "좀", "조금", "잘",
	"지금", "지금은", "당분간", "오늘은", "거의", "아예", "자주", "도저히", "계속", "당장", "당장은", "평일에는",
	"평일엔", "낮에는", "낮엔")

// unableStems start a word saying a call cannot be taken, once "못", "안"
// and "수" are joined to the word after them (unableTokens): "못받아요",
// "못해요", "안돼요", "어려워요", "힘듭니다", "곤란해요", "불가능해요",
// "수없어요".
var unableStems = []string{"못받", "못하", "못해", "못할", "못합", "안받", "안돼", "안되", "안됩", "안됨", "어려",
	"어렵", "힘들", "힘듭", "힘든", "곤란", "불가", "수없", "받을수없", "할수없"}

// unableNot mark a word of unableStems as something else: a past ("못
// 받았어요", "힘들었어요": a call missed, not one that cannot be taken) or a
// condition ("어려우시면", "못 받으면"). A concession ends in 도 ("통화 안
// 되셔도 괜찮아요": no call needed, a decline; unable).
var unableNot = []string{"았", "었", "였", "웠", "했", "됐", "면"}

// unablePast are past forms that name a call ("못 받은 전화가 있어요": a
// missed call), not a call the user cannot take.
var unablePast = []string{"못받은", "안받은", "못한", "안된"}

// othersWords name someone other than the user; a call word after one is
// theirs, so what follows is a complaint, not the user's own phone:
// "상담원이 전화를 안 받아요", "기사님이 통화가 안 돼요".
var othersWords = append([]string{"기사", "매장", "고객센터", "센터", "가게", "판매자", "업체", "택배", "그쪽",
	"거기"}, staffWords...)

// cannotTakeCalls reports whether toks, the tokens of an answer to a number
// prompt, say the user cannot take a call: a call word (callWords with
// callTails) followed, after callFillers, by a word of unableStems that
// unableNot and unablePast leave alone, or with that word glued to it
// ("전화못받아요", "통화불가"), unless the words after it take it back
// (retracted). A call word after othersWords is someone else's. The caller
// leaves questions out ("전화 못 받으면요?").
func cannotTakeCalls(toks []string) bool {
	toks = unableTokens(toks)
	for i, tok := range toks {
		if hasAnyPrefix(tok, othersWords) {
			return false // a call word from here on is theirs
		}
		rest, ok := cutCallWord(tok)
		if !ok {
			continue
		}
		if glued(rest) {
			return !retracted(toks[i:])
		}
		if !callTails[rest] {
			continue
		}
		j := i + 1
		for j < len(toks) && callFillers[toks[j]] {
			j++
		}
		if j < len(toks) && unable(toks[j]) {
			return !retracted(toks[j:])
		}
	}
	return false
}

// retracted reports whether the words from an unable word on (toks[0])
// take back what it says: a negation of a word that does not end the
// sentence ("어렵지 않아요", "받기 어려운 시간은 없어요", "힘든 건
// 아니에요": the call can be taken; not "못 받아요 시간이 없어요"), an
// apology for a call missed ("전화를 못 받아서 죄송해요"; not "어려워요
// 죄송해요"), or a call asked for at another time ("지금은 통화가 어려워요
// 오후에 전화 주세요", "평일에는 전화 못 받아요 주말에 주세요"): none of
// them wishes for a text.
func retracted(toks []string) bool {
	w := toks[0]
	if strings.Contains(w, "지않") {
		return true
	}
	final := hasAnySuffix(w, []string{"요", "다", "니", "음", "함", "ㅠ", "ㅜ"})
	for _, tok := range toks[1:] {
		switch {
		case containsAny(tok, callRequests),
			!final && hasAnyPrefix(tok, unableNegations),
			strings.HasSuffix(w, "서") && hasAnyPrefix(tok, []string{"죄송", "미안"}):
			return true
		}
	}
	return false
}

// unableNegations start a word that negates an unable word before it.
var unableNegations = []string{"않", "없", "아니", "아닌"}

// callRequests, in a word after an unable word, ask for the call after
// all, at another time: "전화 주세요", "이따 걸어 주세요", "통화 부탁드려요".
var callRequests = []string{"주세요", "주시", "주셔", "줘", "부탁", "걸어"}

// cutCallWord returns what follows a call word at the start of tok.
func cutCallWord(tok string) (string, bool) {
	for _, w := range callWords {
		if rest, ok := strings.CutPrefix(tok, w); ok {
			return rest, true
		}
	}
	return "", false
}

// glued reports whether rest, what follows a call word in its word, is an
// optional callTails ending and an unable word: "못받아요" in
// "전화못받아요", "는어려워요" in "통화는어려워요".
func glued(rest string) bool {
	for t := range callTails {
		if r, ok := strings.CutPrefix(rest, t); ok && r != "" && unable(r) {
			return true
		}
	}
	return false
}

// unable reports whether tok says a call cannot be taken (unableStems),
// and is neither a past, a condition nor a concession (unableNot,
// unablePast, a final 도), nor said of someone else (honorific).
func unable(tok string) bool {
	return hasAnyPrefix(tok, unableStems) && !containsAny(tok, unableNot) && !hasAnyPrefix(tok, unablePast) &&
		!strings.HasSuffix(tok, "도") && !honorific(tok)
}

// honorific reports whether an unable word is said of someone else, with
// the honorific 시 ("전화 계속 안 받으시네요", "안 받으셔서", "안 받으세요"):
// a complaint about the shop's phone, not the user's own.
func honorific(tok string) bool {
	for _, stem := range unableStems {
		if rest, ok := strings.CutPrefix(tok, stem); ok {
			return containsAny(rest, []string{"시", "셔", "세"})
		}
	}
	return false
}

// unableTokens joins "못" and "안" to the word after them ("못 받아요" →
// "못받아요", "통화 안 돼요" → "안돼요") and "수" to an "없…" after it
// ("받을 수 없어요" → "수없어요"). It returns a new slice.
func unableTokens(toks []string) []string {
	out := make([]string, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if i+1 < len(toks) && (tok == "못" || tok == "안" || tok == "수" && strings.HasPrefix(toks[i+1], "없")) {
			tok += toks[i+1]
			i++
		}
		out = append(out, tok)
	}
	return out
}
