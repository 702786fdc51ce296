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
