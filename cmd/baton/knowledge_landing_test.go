package main

import (
	"strings"
	"testing"
)

// TestKnowledgeLandingURLNotHTTP checks that a 지식+ entry whose landingUrl
// is not an absolute http(s) URL the builder accepts still answers the 지식+
// answer, without the link, instead of the fallback (Kakao audit finding 2);
// a good landingUrl keeps its link button.
func TestKnowledgeLandingURLNotHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		landing  string
		wantLink bool
	}{
		{"www.sample-mall.co.kr/mypage/orders", false},
		{"https://www.sample-mall.co.kr/고객 센터", false},
		{"https://www.sample-mall.co.kr/mypage/orders", true},
	} {
		t.Run(tc.landing, func(t *testing.T) {
			m := startBaton(t, exampleConfig, t.TempDir(), &testClock{t: mondayMorning})
			code, out := postSkill(t, m, knowledgeTurnPayload(t, "knowledge-landing", tc.landing), nil)
			if code != 200 {
				t.Fatalf("got status %d, want 200", code)
			}
			if probs := bubbleProblems(out, false); len(probs) > 0 {
				t.Fatalf("invalid answer: %v\n%s", probs, out)
			}
			if isFallback(t, out) {
				t.Fatalf("got the fallback bubble, want the 지식+ answer\n%s", out)
			}
			if got := parseResponse(t, out).text(); !strings.Contains(got, "송장번호") {
				t.Fatalf("got %s, want the 지식+ answer", got)
			}
			if got := strings.Contains(string(out), `"webLinkUrl"`); got != tc.wantLink {
				t.Fatalf("got a webLink button %v, want %v\n%s", got, tc.wantLink, out)
			}
		})
	}
}
