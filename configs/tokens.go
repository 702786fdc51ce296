package configs

import "strings"

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
