package fsm

import (
	"strings"
	"unicode"

	"github.com/baton-chat/baton/configs"
)

// longKeywordScope returns the folded part of u the long escalation
// keywords are looked for in: what follows a turned-down "X 말고"
// (insteadWord), as the short ones are, or norm, the whole utterance
// folded. "상담원 말고 그냥 알려주세요" and "사람 연결하지 말고 여기서 답해
// 주세요" turn the keyword down; "챗봇 말고 상담원 연결해 주세요" still
// asks for it.
func longKeywordScope(u, norm string) string {
	j := insteadWord(answerTokens(u))
	if j < 0 {
		return norm
	}
	// The words of u as answerTokens splits them, unfolded: Fold keeps the
	// Hangul of 말고 as it is, so the word's own 말고 is found in it.
	n := 0
	start := -1
	for i, r := range u {
		sep := unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
		switch {
		case sep && start >= 0:
			if n == j {
				return foldAfterInstead(u, start, i, norm)
			}
			n, start = n+1, -1
		case !sep && start < 0:
			start = i
		}
	}
	if start >= 0 && n == j {
		return foldAfterInstead(u, start, len(u), norm)
	}
	return norm
}

// foldAfterInstead folds what follows the 말고 of the word u[start:end],
// or returns norm when the word, unfolded, holds none.
func foldAfterInstead(u string, start, end int, norm string) string {
	k := strings.Index(u[start:end], "말고")
	if k < 0 {
		return norm
	}
	return configs.Fold(u[start+k+len("말고"):])
}
