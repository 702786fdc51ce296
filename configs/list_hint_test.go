package configs

import (
	"strings"
	"testing"
)

// TestListHints: one value where a list is wanted is shown as a list of one;
// a value with commas is a list whose brackets were left out.
func TestListHints(t *testing.T) {
	const esc = "escalation: {queue: general, keywords: [상담원]}"
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"holiday calendar", `weekly: {mon-fri: ["09:00-18:00"]}`, "weekly: {mon-fri: [\"09:00-18:00\"]}\n      holidays: kr",
			`list.yaml:27:17: key "holidays" in handoff.hours.office must be a list, not "kr" (a list of one: [kr])`},
		{"alternate", "    question: 배송 조회는 어떻게 하나요?", "    question: 배송 조회는 어떻게 하나요?\n    alternates: 택배 어디쯤 왔어요?",
			`list.yaml:18:17: key "alternates" in faq[0] must be a list, not "택배 어디쯤 왔어요?" (a list of one: [택배 어디쯤 왔어요?])`},
		{"quoted", esc, "escalation: {queue: general, keywords: \"1:1 문의\"}",
			`list.yaml:19:40: key "keywords" in escalation must be a list, not "1:1 문의" (a list of one: ["1:1 문의"])`},
		{"brackets left out", esc, "escalation:\n  queue: general\n  keywords: 상담원, 사람 불러",
			`list.yaml:21:13: key "keywords" in escalation must be a list, not "상담원, 사람 불러" (write a list in [ ], its items separated by commas: [a, b])`},
		{"a mapping", esc, "escalation: {queue: general, keywords: {상담원: 1}}",
			`list.yaml:19:40: key "keywords" in escalation must be a list, not a mapping`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("minimal.yaml has no %q", tc.old)
			}
			errs := parseErrors(t, "list.yaml", strings.Replace(src, tc.old, tc.new, 1))
			if got := errs.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
