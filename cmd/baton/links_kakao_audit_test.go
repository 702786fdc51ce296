//go:build audit

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// auditConfig writes the shipped example with old replaced by new (which
// must occur) and returns its path.
func auditConfig(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(shippedExample)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("the shipped example no longer has %q", old)
	}
	p := filepath.Join(t.TempDir(), "audit.yaml")
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// auditTurn posts body and fails on anything but a valid, non-fallback answer.
func auditTurn(t *testing.T, m *Main, body []byte, group bool) response {
	t.Helper()
	code, out := postSkill(t, m, body, nil)
	if code != 200 {
		t.Fatalf("got status %d, want 200", code)
	}
	if probs := auditValidate(out, group); len(probs) > 0 {
		t.Fatalf("invalid answer: %v\n%s", probs, out)
	}
	if isFallback(t, out) {
		t.Fatalf("got the fallback bubble, want the configured answer\n%s", out)
	}
	return parseResponse(t, out)
}

// TestAuditConfigLinkURLRefusedAtRenderNotAtLoad shows a bug: a menu option
// link (and an FAQ link.url) that configs.checkURL accepts at load
// (configs/validate.go:291, url.Parse only) is refused by the builder at
// render (skill/response_common.go:64 checkURL: whitespace, over 2048
// bytes), so every tap on that option answers the stateless fallback
// (skill/pipeline.go:110, reason "render") instead of the link card, and
// `baton validate` says "ok". The brief's rule: such a config is refused at
// load with file:line:col, or the bubble is still valid at build; the test
// accepts either fix.
func TestAuditConfigLinkURLRefusedAtRenderNotAtLoad(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"space in the path", "https://www.sample-mall.co.kr/event/summer sale"},
		{"over 2048 bytes", "https://www.sample-mall.co.kr/?q=" + strings.Repeat("a", 2100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := auditConfig(t, `link: "https://www.sample-mall.co.kr"}`, `link: "`+tc.url+`"}`)
			if _, err := configs.Load(cfg); err != nil {
				// Refused at load is a fix too, when it points at the line.
				if !regexp.MustCompile(`audit\.yaml:\d+:\d+`).MatchString(err.Error()) {
					t.Fatalf("got load error %v, want one with file:line:col", err)
				}
				return
			}
			clock := &testClock{t: mondayMorning}
			m := startBaton(t, cfg, t.TempDir(), clock)
			user := "audit-link-" + strings.ReplaceAll(tc.name, " ", "-")
			welcome := auditTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
			text, extra := welcome.quickReply(t, "샘플몰 바로가기")
			clock.Advance(3e9)
			auditTurn(t, m, turn{User: user, Utterance: text, Extra: extra, IsFriend: true, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}.payload(), false)
		})
	}
}

// knowledgePayload is the 지식+ fixture (skill/testdata/payloads) for user,
// with the first matched entry's landingUrl set to landing.
func knowledgePayload(t *testing.T, user, landing string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../skill/testdata/payloads/knowledge.json")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	ur := p["userRequest"].(map[string]any)
	u := ur["user"].(map[string]any)
	u["id"] = user
	u["properties"].(map[string]any)["botUserKey"] = user
	k := p["intent"].(map[string]any)["extra"].(map[string]any)["knowledge"].(map[string]any)
	k["matchedKnowledges"].([]any)[0].(map[string]any)["landingUrl"] = landing
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAuditKnowledgeLandingURLNotHTTP shows a bug: a 지식+ entry whose
// landingUrl is not an absolute http(s) URL (bot masters type it in the
// 지식+ sheet; spec §2.2 gives it only as "string", nothing guarantees a
// scheme) makes the whole answer the fallback bubble. fsm/step.go:302 turns
// any non-empty landingUrl into a webLink button; the builder refuses it
// (skill/response_common.go:64) and the turn answers the fallback
// (skill/pipeline.go:110) although the answer text was fine. Lenient on
// input: drop the link, keep the answer.
func TestAuditKnowledgeLandingURLNotHTTP(t *testing.T) {
	for _, landing := range []string{"www.sample-mall.co.kr/mypage/orders", "https://www.sample-mall.co.kr/고객 센터"} {
		t.Run(landing, func(t *testing.T) {
			m := startBaton(t, exampleConfig, t.TempDir(), &testClock{t: mondayMorning})
			r := auditTurn(t, m, knowledgePayload(t, "audit-knowledge", landing), false)
			if got := r.text(); !strings.Contains(got, "송장번호") {
				t.Fatalf("got %s, want the 지식+ answer", got)
			}
		})
	}
}

// TestAuditTapLosesToKnowledgeMatch shows a bug: a quick reply Baton sent
// is a "message" action, which Kakao treats exactly like typing (spec §3.7),
// so its label can match a 지식+ entry; the payload then carries both
// intent.extra.knowledge and the tapped control's extra as
// action.clientExtra (spec §2.6: the extra of the quick reply that
// triggered the block, "use it to distinguish typed vs tapped"). Classify
// (fsm/engine.go:262) tests 지식+ before the tap, so tapping 주문/배송 answers
// the 지식+ entry instead of opening the menu the user chose.
func TestAuditTapLosesToKnowledgeMatch(t *testing.T) {
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "audit-tap-knowledge"
	welcome := auditTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	text, extra := welcome.quickReply(t, "주문/배송")
	clock.Advance(3e9)

	var p map[string]any
	if err := json.Unmarshal(knowledgePayload(t, user, ""), &p); err != nil {
		t.Fatal(err)
	}
	k := p["intent"].(map[string]any)["extra"].(map[string]any)["knowledge"].(map[string]any)
	k["matchedKnowledges"] = []any{map[string]any{"question": "주문/배송 문의", "answer": "지식+ 답변입니다.", "categories": []any{"배송"}, "landingUrl": "", "imageUrl": ""}}
	p["userRequest"].(map[string]any)["utterance"] = text
	p["action"].(map[string]any)["clientExtra"] = extra
	p["flow"] = map[string]any{"trigger": map[string]any{"type": "QUICKREPLY_BUTTON_MESSAGE"}}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	r := auditTurn(t, m, body, false)
	if got := r.text(); !strings.Contains(got, "주문/배송 메뉴입니다") {
		t.Fatalf("got %s, want the 주문/배송 menu the user tapped", got)
	}
}
