package configs

import (
	"strings"
	"unicode"
)

// Fold is the form in which the engine compares typed text with option
// labels, escalation keywords and typed commands: lower case, whitespace and
// punctuation removed, so "배송 조회", "배송조회" and "배송 조회?" are one.
// Config checks that reason about typed text (validateTypedLabels) use it
// too, so they agree with the engine.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
