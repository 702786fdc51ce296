package configs

import (
	"strings"
	"testing"
)

// TestUnderIndentedKey: a key indented less than the first key of its
// mapping but more than the key holding it is named with both neighbours,
// their indents and the two ways out, at the key the parser stopped at —
// not only "value is not allowed in this context".
func TestUnderIndentedKey(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"menu text one space deeper", "    text: 배송 메뉴입니다.\n", "     text: 배송 메뉴입니다.\n",
			`under.yaml:12:5: YAML syntax error: "options" is indented 4 spaces, between "shipping" (line 10, 2 spaces) and the first key under it, "text" (line 11, 5 spaces): indent "options" 2 spaces if it belongs beside "shipping", or give "options" and "text" the same indent if they belong together`},
		{"past a comment", "    text: 무엇을 도와드릴까요?\n    options:\n      - {id: ship, label: 배송, goto: shipping}\n      - {id: agent, label: 상담원 연결, handoff: general}\n  shipping:\n    text: 배송 메뉴입니다.\n",
			"    text: 무엇을 도와드릴까요?\n    options:\n      - {id: ship, label: 배송, goto: shipping}\n      - {id: agent, label: 상담원 연결, handoff: general}\n  shipping:\n      text: 배송 메뉴입니다.\n      # 배송 메뉴\n",
			`under.yaml:13:5: YAML syntax error: "options" is indented 4 spaces, between "shipping" (line 10, 2 spaces) and the first key under it, "text" (line 11, 6 spaces): indent "options" 2 spaces if it belongs beside "shipping", or give "options" and "text" the same indent if they belong together`},
		{"past the first key's own values", "      timezone: Asia/Seoul\n      weekly: {mon-fri: [\"09:00-18:00\"]}\n",
			"       weekly:\n         mon-fri: [\"09:00-18:00\"]\n      timezone: Asia/Seoul\n",
			`under.yaml:27:7: YAML syntax error: "timezone" is indented 6 spaces, between "office" (line 24, 4 spaces) and the first key under it, "weekly" (line 25, 7 spaces): indent "timezone" 4 spaces if it belongs beside "office", or give "timezone" and "weekly" the same indent if they belong together`},
		{"a top-level key one space in", "faq:\n", " faq:\n",
			`under.yaml:15:2: YAML syntax error: "faq" is indented 1 spaces, between "menus" (line 4, 0 spaces) and the first key under it, "main" (line 5, 2 spaces): indent "faq" 0 spaces if it belongs beside "menus", or give "faq" and "main" the same indent if they belong together`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("testdata/valid/minimal.yaml has no %q", tc.old)
			}
			errs := parseErrors(t, "under.yaml", strings.Replace(src, tc.old, tc.new, 1))
			if got := errs.Error(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
