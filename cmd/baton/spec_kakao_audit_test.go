//go:build audit

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// auditValidate is the Kakao auditor's own SkillResponse validator, written
// from /work/shared/kakao/skill-protocol.md (§1 size, §3.1–3.8 limits) and
// independent of internal/kakaospec. It covers what Baton emits (simpleText,
// textCard, buttons, quick replies, useCallback, data) and reports every
// problem. group applies §3.11 (no quick replies) and, the spec listing no
// 상담 연결 for team chats (UNVERIFIED: conservative on output), no operator
// button.
func auditValidate(body []byte, group bool) []string {
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
				auditText(bad, p+".simpleText.text", c["text"], true, 1000)
			case "textCard":
				title := auditText(bad, p+".textCard.title", c["title"], false, 50)
				desc := auditText(bad, p+".textCard.description", c["description"], false, 400)
				if strings.TrimSpace(title+desc) == "" {
					bad(p+".textCard", "title or description required")
				}
				if n := utf8.RuneCountInString(title) + utf8.RuneCountInString(desc); n > 400 {
					bad(p+".textCard", "title+description %d characters, over 400", n)
				}
				auditButtons(bad, p+".textCard", c, group)
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
			auditText(bad, p+".label", m["label"], true, 14)
			switch m["action"] {
			case "message":
				auditText(bad, p+".messageText", m["messageText"], true, 0)
			case "block":
				auditText(bad, p+".blockId", m["blockId"], true, 0)
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

// auditText checks a string field: type, presence, rune limit (0: none) and
// that it neither starts nor ends inside a grapheme cluster (a split or cut
// that separated a combining mark, jamo or ZWJ sequence).
func auditText(bad func(string, string, ...any), path string, v any, required bool, limit int) string {
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
		if c, _, _, _ := uniseg.FirstGraphemeClusterInString(lastRuneOf(s)+"a", -1); c != lastRuneOf(s) {
			bad(path, "ends inside a grapheme cluster")
		}
	}
	return s
}

func lastRuneOf(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// auditButtons checks §3.6 for a card without thumbnail (vertical unless
// buttonLayout says horizontal): ≤ 3 (≤ 2 horizontal), label 14 (8 for two
// side by side), each action's required field, webLink http(s).
func auditButtons(bad func(string, string, ...any), path string, card map[string]any, group bool) {
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
		auditText(bad, p+".label", m["label"], true, labelMax)
		switch m["action"] {
		case "webLink":
			s, _ := m["webLinkUrl"].(string)
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\r\n") {
				bad(p+".webLinkUrl", "%q is not an absolute http(s) URL", s)
			}
		case "message":
			auditText(bad, p+".messageText", m["messageText"], true, 0)
		case "phone":
			auditText(bad, p+".phoneNumber", m["phoneNumber"], true, 0)
		case "block":
			auditText(bad, p+".blockId", m["blockId"], true, 0)
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
