package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestChatURLNeedsHTTPAndHost: a --url that is not http:// or https://
// with a host is a usage error: `baton chat: --url ...` on stderr, exit 2,
// nothing sent; a URL only missing its scheme is shown written with one.
// `baton chat --url 127.0.0.1:18080/skill` used to run the whole session,
// every turn failing on stdout, and exit 0.
func TestChatURLNeedsHTTPAndHost(t *testing.T) {
	const want = "want an http:// or https:// URL with a host"
	for _, tc := range []struct{ url, stderr string }{
		{"127.0.0.1:18080/skill", `baton chat: --url "127.0.0.1:18080/skill": ` + want + ", e.g. http://127.0.0.1:18080/skill\n"},
		{"localhost:8080/skill", `baton chat: --url "localhost:8080/skill": ` + want + ", e.g. http://localhost:8080/skill\n"},
		{"ftp://127.0.0.1/skill", `baton chat: --url "ftp://127.0.0.1/skill": ` + want + "\n"},
		{"http:///skill", `baton chat: --url "http:///skill": ` + want + "\n"},
		{"", `baton chat: --url "": ` + want + "\n"},
	} {
		var out, errOut bytes.Buffer
		code := runChat([]string{"--url", tc.url}, strings.NewReader("배송 조회\n"), &out, &errOut)
		if code != 2 || errOut.String() != tc.stderr || out.Len() != 0 {
			t.Errorf("--url %q: exit %d, stderr %q, stdout %q; want exit 2, stderr %q, nothing sent", tc.url, code, errOut.String(), out.String(), tc.stderr)
		}
	}
}
