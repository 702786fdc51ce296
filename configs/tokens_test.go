package configs

import (
	"strings"
	"testing"
)

// TestTokenHeaderName: a token_header 챗봇 관리자센터 cannot send (a blank,
// Hangul, a colon) is an error at its value; header names of any case and
// with - or _ load.
func TestTokenHeaderName(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"X-Baton-Token", ""},
		{"x_shop_key", ""},
		{"X Baton Token", `tok.yaml:27:41: token_header "X Baton Token" is not an HTTP header name: use letters, digits and - (e.g. X-Baton-Token), the same key as 헤더값 입력 in 챗봇 관리자센터`},
		{"토큰", `tok.yaml:27:41: token_header "토큰" is not an HTTP header name`},
		{"X-Token:", `tok.yaml:27:41: token_header "X-Token:" is not an HTTP header name`},
	} {
		src := minimal(t) + "kakao: {tokens: [s3cret], token_header: \"" + tc.header + "\"}\n"
		_, err := Parse("tok.yaml", []byte(src))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("token_header %q: got %v, want it to load", tc.header, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("token_header %q: got %v, want an error starting %q", tc.header, err, tc.want)
		}
	}
}
