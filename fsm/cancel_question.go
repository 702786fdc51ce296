package fsm

// cancelWord reports whether the folded utterance n is one of the engine's
// cancel words (texts.cancel, "취소", "그만", ...), alone or with a polite
// ending ("취소요", "그만요").
func (e *Engine) cancelWord(n string) bool {
	return e.cancelWords[n] || e.cancelWords[trimPolite(n)]
}

// cancelTyped reports whether the typed utterance u, folded as n, cancels:
// a cancel word said plainly (cancelWord). Asked back ("취소?", "취소요?":
// can I cancel? is it cancelled?) it cancels nothing: a wait goes on, and
// an intake asks its question again, whose reply offers the cancel button.
func (e *Engine) cancelTyped(u, n string) bool {
	return e.cancelWord(n) && !isQuestion(u)
}

// namedCancel reports whether the turn's typed utterance cancels the
// handoff by name: texts.cancel typed ("상담 취소"), or a cancel phrase
// naming it ("상담취소", "대기 취소요", "상담 취소해 주세요", "대기 안
// 할래요", "상담 취소 부탁드립니다": cancelPhrase), said plainly. A bare
// "취소" or "취소하고 싶어요" names nothing: in bot state it may be about an
// order (the FAQ). It reads the turn's reading (no allocation: every FAQ
// question in bot state asks).
func (t *turn) namedCancel() bool {
	n := t.normUtterance()
	if n == "" || isQuestion(t.in.Utterance) {
		return false
	}
	if n == t.e.norm.cancel && n != "취소" && n != "그만" {
		return true // the cancel quick reply's words, unless they name nothing
	}
	if !containsAny(n, handoffWords) {
		return false // "요청 취소할게요" may be a return's or an order's
	}
	_, named := cancelIn(t.reading().toks)
	return named
}

// handoffWords name the handoff itself among cancelObjects: a cancel naming
// only a "요청" is no cancel of it outside a wait.
var handoffWords = []string{"상담", "대기", "연결"}

// cancelAsked reports whether the typed utterance u, folded as n, asks back
// about a cancel ("취소?", "취소할게요?", "상담 취소해 주세요?"): an intake
// asks its question again, and nothing is cancelled.
func (e *Engine) cancelAsked(u, n string) bool {
	if !isQuestion(u) {
		return false
	}
	phrase, _ := cancelPhrase(u)
	return phrase || e.cancelWord(n)
}

// intakeCancel reports whether the typed utterance u, folded as n, cancels
// a ticket or handoff intake: a cancel word (cancelWord), or a cancel said
// in words as it cancels a wait (cancelAnswer: "취소할게요", "취소해
// 주세요", "그만할게요", "상담 안 할래요"), said plainly (cancelAsked is
// no cancel). Where the prompt may be declined (declines: a handoff intake
// field, the call-back number), the cancel words that also decline ("됐어요",
// "안 할래요", "필요 없어요": declineAnswer) decline the answer instead,
// as they did before, unless they name what they cancel ("상담 안
// 할래요").
func (e *Engine) intakeCancel(u, n string, declines bool) bool {
	if isQuestion(u) {
		return false
	}
	if e.cancelWord(n) {
		return true
	}
	phrase, named := cancelPhrase(u)
	return phrase && (named || !declines || !declineAnswer(u))
}

// homeTyped reports whether the typed utterance u, folded as n, goes home
// as 처음으로 does: texts.home, "0" (DESIGN §3: numeric input, "0" =
// 처음으로; isZero) or a home word ("처음으로요", "메뉴", "홈":
// navigationWord). An intake is then left, and the bot answers the turn.
func (e *Engine) homeTyped(u, n string) bool {
	if n == e.norm.home || isZero(u) {
		return true
	}
	home, _ := navigationWord(n)
	return home
}
