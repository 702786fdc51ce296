package configs

import (
	"strings"
	"testing"
)

// TestUnderIndentedKey: a key indented less than the first key of its
// mapping (but more than the key holding it) is named with the first key,
// both indents and the fix, at the key the parser stopped at — not only
// "value is not allowed in this context".
func TestUnderIndentedKey(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"menu text one space deeper", "    text: 배송 메뉴입니다.\n", "     text: 배송 메뉴입니다.\n",
			`under.yaml:12:5: YAML syntax error: "options" is indented 4 spaces, but "text", the first key of the same mapping on line 11, is indented 5: the keys of one mapping line up; indent them alike`},
		{"past a comment", "    text: 무엇을 도와드릴까요?\n    options:\n      - {id: ship, label: 배송, goto: shipping}\n      - {id: agent, label: 상담원 연결, handoff: general}\n  shipping:\n    text: 배송 메뉴입니다.\n",
			"    text: 무엇을 도와드릴까요?\n    options:\n      - {id: ship, label: 배송, goto: shipping}\n      - {id: agent, label: 상담원 연결, handoff: general}\n  shipping:\n      text: 배송 메뉴입니다.\n      # 배송 메뉴\n",
			`under.yaml:13:5: YAML syntax error: "options" is indented 4 spaces, but "text", the first key of the same mapping on line 11, is indented 6: the keys of one mapping line up; indent them alike`},
		{"past the first key's own values", "      timezone: Asia/Seoul\n      weekly: {mon-fri: [\"09:00-18:00\"]}\n",
			"       weekly:\n         mon-fri: [\"09:00-18:00\"]\n      timezone: Asia/Seoul\n",
			`under.yaml:27:7: YAML syntax error: "timezone" is indented 6 spaces, but "weekly", the first key of the same mapping on line 25, is indented 7: the keys of one mapping line up; indent them alike`},
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
