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

// TestShortTokenWarning: a skill token under 16 characters, written out or
// from a ${VAR}, is a warning at its value (the config still loads), and the
// warning never shows the token; a long token, or an unset variable, is not.
func TestShortTokenWarning(t *testing.T) {
	env := map[string]string{"SHORT": "abc", "LONG": "0123456789abcdef"}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	src := minimal(t) + `kakao:
  tokens:
    - abc
    - "${SHORT}"
    - "${LONG}"
    - "${UNSET:-}"
    - 0123456789abcdef0123
    - "  short  "
`
	cfg, err := ParseWith("tok.yaml", []byte(src), Options{Env: lookup})
	if err != nil {
		t.Fatalf("got %v, want the config to load", err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "skill token") {
			got = append(got, w.Error())
			if strings.Contains(w.Msg, "abc") || strings.Contains(w.Msg, "short") {
				t.Errorf("warning shows the token: %s", w.Error())
			}
		}
	}
	want := []string{
		"tok.yaml:29:7: this skill token is only 3 characters long: anyone who guesses it can drive the bot as Kakao does; use at least 16 random characters, e.g. the output of `openssl rand -hex 16`",
		"tok.yaml:30:7: this skill token is only 3 characters long",
		"tok.yaml:34:7: this skill token is only 5 characters long",
	}
	if len(got) != len(want) {
		t.Fatalf("got warnings\n%s\nwant %d starting\n%s", strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d: got %q, want it to start %q", i, got[i], want[i])
		}
	}
}
