package configs

import (
	"strings"
	"unicode/utf8"
)

// MinTokenLen is the length under which a skill token draws a warning: a
// short token can be guessed, and whoever has it can drive the bot.
const MinTokenLen = 16

// warnShortTokens warns at each kakao.tokens value shorter than
// MinTokenLen once ${VAR}s are expanded and blanks trimmed. An empty value
// (an unset or empty variable) is dropped by nonEmpty and not warned
// about here. The value itself is never printed: it is a secret.
func (t *tree) warnShortTokens(tokens []string) {
	for i, tok := range tokens {
		n := utf8.RuneCountInString(strings.TrimSpace(tok))
		if n == 0 || n >= MinTokenLen {
			continue
		}
		t.warnAt(path{"kakao", "tokens", i}, "this skill token is only %d characters long: anyone who guesses it can drive the bot as Kakao does; use at least %d random characters, e.g. the output of `openssl rand -hex 16`", n, MinTokenLen)
	}
}

// validateTokens checks that kakao.token_header is an HTTP header name
// (RFC 9110 token characters): 챗봇 관리자센터 cannot send any other, so
// with a name such as "X Baton Token" or "토큰" every call would be a 401.
// (Token values are trimmed when defaults are applied: nonEmpty.)
func (t *tree) validateTokens(c *Config) {
	if h := c.Kakao.TokenHeader; !isHeaderName(h) {
		t.errAt(path{"kakao", "token_header"}, "token_header %q is not an HTTP header name: use letters, digits and - (e.g. X-Baton-Token), the same key as 헤더값 입력 in 챗봇 관리자센터", h)
	}
}

// isHeaderName reports whether s is an HTTP header field name (RFC 9110
// token: letters, digits and !#$%&'*+-.^_`|~).
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
