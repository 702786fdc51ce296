package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// bubbleProblems is a SkillResponse validator (copied from the Kakao audit), written
// from /work/shared/kakao/skill-protocol.md (§1 size, §3.1–3.8 limits) and
// independent of internal/kakaospec. It covers what Baton emits (simpleText,
// textCard, buttons, quick replies, useCallback, data) and reports every
// problem. group applies §3.11 (no quick replies) and, the spec listing no
// 상담 연결 for team chats (UNVERIFIED: conservative on output), no operator
// button.
func bubbleProblems(body []byte, group bool) []string {
	var probs []string
	bad := func(path, format string, args ...any) {
		probs = append(probs, path+": "+fmt.Sprintf(format, args...))
	}
	if len(body) > 30*1024 {
		bad("$", "%d bytes after encoding, over 30 KB", len(body))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return append(probs, "$: not a JSON object: "+err.Error())
	}
	if top["version"] != "2.0" {
		bad("$.version", "got %v, want \"2.0\"", top["version"])
	}
	if d, ok := top["data"]; ok {
		if _, isObj := d.(map[string]any); !isObj {
			bad("$.data", "not an object")
		}
	}
	if cb, ok := top["useCallback"]; ok {
		if cb != true {
			bad("$.useCallback", "got %v, want true or absent", cb)
		}
		return probs
	}
	tpl, _ := top["template"].(map[string]any)
	if tpl == nil {
		return append(probs, "$.template: missing")
	}
	outs, _ := tpl["outputs"].([]any)
	if len(outs) < 1 || len(outs) > 3 {
		bad("$.template.outputs", "%d outputs, want 1..3", len(outs))
	}
	for i, o := range outs {
		p := fmt.Sprintf("$.template.outputs[%d]", i)
		m, _ := o.(map[string]any)
		if len(m) != 1 {
			bad(p, "want exactly one component key, got %d", len(m))
			continue
		}
		for k, v := range m {
			c, _ := v.(map[string]any)
			switch k {
			case "simpleText":
				bubbleTextProblems(bad, p+".simpleText.text", c["text"], true, 1000)
			case "textCard":
				title := bubbleTextProblems(bad, p+".textCard.title", c["title"], false, 50)
				desc := bubbleTextProblems(bad, p+".textCard.description", c["description"], false, 400)
				if strings.TrimSpace(title+desc) == "" {
					bad(p+".textCard", "title or description required")
				}
				if n := utf8.RuneCountInString(title) + utf8.RuneCountInString(desc); n > 400 {
					bad(p+".textCard", "title+description %d characters, over 400", n)
				}
				bubbleButtonProblems(bad, p+".textCard", c, group)
			default:
				bad(p, "component %q outside what Baton emits", k)
			}
		}
	}
	if qrs, ok := tpl["quickReplies"]; ok {
		list, _ := qrs.([]any)
		if group && len(list) > 0 {
			bad("$.template.quickReplies", "quick replies are not supported in group bots (§3.11)")
		}
		if len(list) > 10 {
			bad("$.template.quickReplies", "%d quick replies, over 10", len(list))
		}
		for i, q := range list {
			p := fmt.Sprintf("$.template.quickReplies[%d]", i)
			m, _ := q.(map[string]any)
			bubbleTextProblems(bad, p+".label", m["label"], true, 14)
			switch m["action"] {
			case "message":
				bubbleTextProblems(bad, p+".messageText", m["messageText"], true, 0)
			case "block":
				bubbleTextProblems(bad, p+".blockId", m["blockId"], true, 0)
			default:
				bad(p+".action", "%v", m["action"])
			}
			if x, ok := m["extra"]; ok {
				if _, isObj := x.(map[string]any); !isObj {
					bad(p+".extra", "not an object")
				}
			}
		}
	}
	return probs
}

// bubbleTextProblems checks a string field: type, presence, rune limit (0: none) and
// that it neither starts nor ends inside a grapheme cluster (a split or cut
// that separated a combining mark, jamo or ZWJ sequence).
func bubbleTextProblems(bad func(string, string, ...any), path string, v any, required bool, limit int) string {
	if v == nil {
		if required {
			bad(path, "required")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		bad(path, "not a string")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		bad(path, "blank")
	}
	if limit > 0 && utf8.RuneCountInString(s) > limit {
		bad(path, "%d characters, over %d", utf8.RuneCountInString(s), limit)
	}
	if s != "" {
		if c, _, _, _ := uniseg.FirstGraphemeClusterInString("a"+s, -1); c != "a" {
			bad(path, "starts inside a grapheme cluster")
		}
		if c, _, _, _ := uniseg.FirstGraphemeClusterInString(bubbleLastRune(s)+"a", -1); c != bubbleLastRune(s) {
			bad(path, "ends inside a grapheme cluster")
		}
	}
	return s
}

// bubbleLastRune returns the last rune of s as a string.
func bubbleLastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// bubbleButtonProblems checks §3.6 for a card without thumbnail (vertical unless
// buttonLayout says horizontal): ≤ 3 (≤ 2 horizontal), label 14 (8 for two
// side by side), each action's required field, webLink http(s).
func bubbleButtonProblems(bad func(string, string, ...any), path string, card map[string]any, group bool) {
	raw, ok := card["buttons"]
	if !ok {
		return
	}
	bs, _ := raw.([]any)
	horizontal := card["buttonLayout"] == "horizontal"
	max, labelMax := 3, 14
	if horizontal {
		max = 2
		if len(bs) == 2 {
			labelMax = 8
		}
	}
	if len(bs) > max {
		bad(path+".buttons", "%d buttons, over %d", len(bs), max)
	}
	for i, b := range bs {
		p := fmt.Sprintf("%s.buttons[%d]", path, i)
		m, _ := b.(map[string]any)
		bubbleTextProblems(bad, p+".label", m["label"], true, labelMax)
		switch m["action"] {
		case "webLink":
			s, _ := m["webLinkUrl"].(string)
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\r\n") {
				bad(p+".webLinkUrl", "%q is not an absolute http(s) URL", s)
			}
		case "message":
			bubbleTextProblems(bad, p+".messageText", m["messageText"], true, 0)
		case "phone":
			bubbleTextProblems(bad, p+".phoneNumber", m["phoneNumber"], true, 0)
		case "block":
			bubbleTextProblems(bad, p+".blockId", m["blockId"], true, 0)
		case "operator":
			if group {
				bad(p, "operator (상담 연결) button in a group bot, where Baton never escalates")
			}
		case "share":
		default:
			bad(p+".action", "%v", m["action"])
		}
	}
}

// exampleWith writes the shipped example with old replaced by new (which
// must occur) and returns its path.
func exampleWith(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(shippedExample)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("the shipped example no longer has %q", old)
	}
	p := filepath.Join(t.TempDir(), "links.yaml")
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// validTurn posts body and fails on anything but a valid, non-fallback answer.
func validTurn(t *testing.T, m *Main, body []byte, group bool) response {
	t.Helper()
	code, out := postSkill(t, m, body, nil)
	if code != 200 {
		t.Fatalf("got status %d, want 200", code)
	}
	if probs := bubbleProblems(out, group); len(probs) > 0 {
		t.Fatalf("invalid answer: %v\n%s", probs, out)
	}
	if isFallback(t, out) {
		t.Fatalf("got the fallback bubble, want the configured answer\n%s", out)
	}
	return parseResponse(t, out)
}

// knowledgeTurnPayload is the 지식+ fixture (skill/testdata/payloads) for
// user, with the first matched entry's landingUrl set to landing.
func knowledgeTurnPayload(t *testing.T, user, landing string) []byte {
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
