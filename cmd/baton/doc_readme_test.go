package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/kakaospec"
)

// readmeCurl returns the URL path and the -d body of the README's curl
// example (the "Try it" section).
func readmeCurl(t *testing.T) (path string, body []byte) {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```sh\ncurl -s http://127\\.0\\.0\\.1:8080(/\\S+) .*?-d '(.*?)'\n```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no curl example posting to 127.0.0.1:8080")
	}
	return string(m[1]), m[2]
}

// TestReadmeSkillExamples holds the README's /skill claims to the server
// on the shipped config: the curl example's payload ("배송 언제 와요" in the
// fallback block) gets the FAQ's answer; with the tokens of the
// registration steps set, a request without the header, or a wrong one,
// gets 401, either token 200; a body over 64 KB 413; malformed JSON 200
// and the fallback card with the 상담원 연결 button.
func TestReadmeSkillExamples(t *testing.T) {
	t.Parallel()
	path, example := readmeCurl(t)
	if path != "/skill" {
		t.Fatalf("README curl posts to %s, want /skill", path)
	}
	env := testEnv{}
	env["BATON_SKILL_TOKEN"] = "readme-live-token"
	env["BATON_SKILL_TEST_TOKEN"] = "readme-test-token"
	m := startBatonEnv(t, shippedExample, t.TempDir(), &testClock{t: mondayMorning}, env)
	const header = "X-Baton-Token" // README, registration step 3
	for _, tc := range []struct {
		name     string
		token    string
		body     []byte
		wantCode int
		want     string // in the answer
	}{
		{"no header", "", example, 401, ""},
		{"wrong token", "nope", example, 401, ""},
		{"the curl example, live token", "readme-live-token", example, 200, "1~2영업일"},
		{"the curl example, test token", "readme-test-token", example, 200, "1~2영업일"},
		{"over 64 KB", "readme-live-token", []byte(`{"x":"` + strings.Repeat("a", 64<<10) + `"}`), 413, ""},
		{"malformed JSON", "readme-live-token", []byte(`{"userRequest":`), 200, `"action":"operator"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.token != "" {
				h[header] = tc.token
			}
			code, got := postSkill(t, m, tc.body, h)
			if code != tc.wantCode {
				t.Fatalf("got %d %s, want %d", code, got, tc.wantCode)
			}
			if code == http.StatusUnauthorized { // "nothing is stored" (the user of the example)
				if _, _, found, err := m.DB.Load(context.Background(), "226f81aeba30"); err != nil || found {
					t.Fatalf("after a 401: user stored %v (err %v), want nothing", found, err)
				}
			}
			if code != http.StatusOK {
				return
			}
			if err := kakaospec.Validate(got); err != nil {
				t.Fatalf("invalid bubble: %v\n%s", err, got)
			}
			if !bytes.Contains(got, []byte(tc.want)) {
				t.Errorf("got %s, want it to contain %s", got, tc.want)
			}
		})
	}
}
