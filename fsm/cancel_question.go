package fsm

// cancelTyped reports whether the typed utterance u, normalised as n,
// cancels: one of the engine's cancel words (texts.cancel, "취소", "그만",
// ...) said plainly. Asked back ("취소?", "상담 취소??": can I cancel? is it
// cancelled?) it cancels nothing: a wait goes on, and an intake asks its
// question again, whose reply offers the cancel button.
func (e *Engine) cancelTyped(u, n string) bool {
	return e.cancelWords[n] && !isQuestion(u)
}
