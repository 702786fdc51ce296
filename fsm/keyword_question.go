package fsm

import "strings"

// questionWords mark a short utterance that asks about the agents
// ("상담원 몇시까지 해요?", "상담사 운영시간") rather than asks for one: it
// holds an escalation keyword but the FAQ is asked first, and it escalates
// only when the FAQ has no answer.
var questionWords = []string{"몇시", "언제", "시간", "어디", "어떻게", "얼마", "누구", "무슨"}

// questionAbout reports whether the utterance u (n normalised) is a
// question rather than a request: it ends with a question mark or holds
// a question word.
func questionAbout(u, n string) bool {
	if isQuestion(u) {
		return true
	}
	for _, w := range questionWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
