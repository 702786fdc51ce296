package fsm

import "github.com/baton-chat/baton/configs"

// pardon reports whether u asks back rather than answers: a yes or a no
// said as a question ("네?", "예??", "네?!", "연결요?", "아니요?"), which
// means "pardon?". It confirms nothing: the confirm question, the intake
// field or the ticket prompt is asked again.
func (e *Engine) pardon(u string) bool {
	if !isQuestion(u) {
		return false
	}
	if n := configs.Fold(u); e.yesWords[n] || e.noWords[n] {
		return true
	}
	yes, no := yesNoTokens(u)
	return yes || no
}
