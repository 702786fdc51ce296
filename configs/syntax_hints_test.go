package configs

import (
	"errors"
	"strings"
	"testing"
)

// TestSyntaxErrorHints: the everyday YAML slips are reported at the slip
// (not where the parser gave up, lines below) with what to do about it.
func TestSyntaxErrorHints(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           string // prefix of the first error, after "syntax.yaml:"
	}{
		{"tab indent", "    text: 배송 메뉴입니다.", "\ttext: 배송 메뉴입니다.",
			"11:1: YAML syntax error: a tab character: YAML indents with spaces only; replace the tab with spaces"},
		{"colon in a value", "text: 무엇을 도와드릴까요?", "text: 안내: 무엇을 도와드릴까요?",
			`6:11: YAML syntax error: mapping value is not allowed in this context; quote a value that holds ": "`},
		{"hash in a flow value", "label: 배송, goto: shipping}", "label: #1 배송, goto: shipping}",
			"8:9: YAML syntax error: the { here is not closed: add the }, or if it is there, find what hides it"},
		{"quote left open in a flow value", "label: 배송 조회,", `label: "배송 조회,`,
			`13:28: YAML syntax error: this " is not closed on its line, so the value runs on to line 26: close it with " (or drop it)`},
		{"quote left open in a text", "text: 배송 메뉴입니다.", `text: "배송 메뉴입니다.`,
			`11:11: YAML syntax error: this " is not closed on its line, so the value runs on to line 26: close it with "`},
		{"single quote left open", "text: 무엇을 도와드릴까요?", `text: '무엇을 도와드릴까요?`,
			`6:11: YAML syntax error: could not find end character of single-quoted text; close the quote at the end of its value, on this line`},
		{"'' inside a quote left open", "text: 무엇을 도와드릴까요?\n    options:\n      - {id: ship, label: 배송,",
			"text: '무엇을 ''도와''드릴까요?\n    options:\n      - {id: ship, label: '배송',",
			"6:11: YAML syntax error: this ' is not closed on its line, so the value runs on to line 8: close it with '"},
		{"quotes closed on their lines", "text: 무엇을 도와드릴까요?", `text: '무엇을 ''도와''드릴까요?' 네`,
			`6:29: YAML syntax error: value is not allowed in this context`},
		{"brace left open", "handoff: general}", "handoff: general",
			"9:9: YAML syntax error: the { here is not closed"},
		{"bracket left open", "keywords: [상담원]}", "keywords: [상담원, # 상담사]}",
			"19:40: YAML syntax error: the [ here is not closed: add the ]"},
		{"hash after a block scalar", "    answer: 마이페이지 > 주문내역에서 확인하세요.\nescalation: {queue: general,",
			"    answer: |\n      [안내 마이페이지 > 주문내역에서 확인하세요.\nescalation: {queue: general #1,",
			"20:13: YAML syntax error: the { here is not closed"},
		{"quoted brackets skipped", "label: 배송, goto: shipping}\n      - {id: agent, label: 상담원 연결,",
			"label: #배송, goto: shipping}\n      - {id: agent, label: \"상담원 }\",",
			"8:9: YAML syntax error: the { here is not closed"},
		{"block scalar skipped", "    answer: 마이페이지 > 주문내역에서 확인하세요.\nescalation: {queue: general, keywords: [상담원]}",
			"    answer: |\n      [안내 마이페이지 > 주문내역에서 확인하세요.\nescalation: {queue: general, keywords: [*상담 원]}",
			"20:45: YAML syntax error: ',' or ']' must be specified; quote a value"},
		{"star in a flow value", "label: 배송, goto", "label: *배송 안내, goto",
			"8:31: YAML syntax error: ',' or '}' must be specified; quote a value that holds , { } [ ] # or a quote, or starts with * & ! | > % @ or `"},
		{"alias", "label: 배송, goto", "label: *배송, goto",
			`8:28: YAML syntax error: could not find alias "배송"; a value that starts with * names an anchor (&name): quote it`},
		// A key indented deeper than the key above, whose value is on its
		// line: the parser reads the key as more of that value and points
		// at the value, a line above the slip.
		{"key indented one space too deep", "    answer: 마이페이지", "     answer: 마이페이지",
			`18:6: YAML syntax error: "answer" is indented 5 spaces, more than "question" on line 17 (4), so it reads as more of that value: indent it 4 spaces to line it up with "question" (or fewer, if it belongs higher up)`},
		{"key indented a level too deep", "    text: 무엇을 도와드릴까요?\n    options:", "    text: 무엇을 도와드릴까요?\n      options:",
			`7:7: YAML syntax error: "options" is indented 6 spaces, more than "text" on line 6 (4), so it reads as more of that value`},
		{"key indented under a top-level value", "bot: {name: 테스트몰}\nwelcome:", "bot: {name: 테스트몰}\nsession_idle: 30m\n  welcome:",
			`4:3: YAML syntax error: "welcome" is indented 2 spaces, more than "session_idle" on line 3 (0), so it reads as more of that value: start it at the beginning of the line, as "session_idle" does`},
		// The same after a comment line (and blank lines), or a comment on
		// the value's line: the comment ends the value, and the parser stops
		// at the deeper key itself.
		{"key indented too deep after a comment line", "    text: 무엇을 도와드릴까요?\n    options:", "    text: 무엇을 도와드릴까요?\n    # 메뉴\n      options:",
			`8:7: YAML syntax error: "options" is indented 6 spaces, more than "text" on line 6 (4), so it reads as more of that value: indent it 4 spaces`},
		{"key indented too deep after a comment and a blank line", "    text: 무엇을 도와드릴까요?\n    options:", "    text: 무엇을 도와드릴까요?\n\n      # 메뉴\n\n      options:",
			`10:7: YAML syntax error: "options" is indented 6 spaces, more than "text" on line 6 (4)`},
		{"key indented too deep after a commented value", "    text: 무엇을 도와드릴까요?\n    options:", "    text: 무엇을 도와드릴까요? # 첫 화면\n      options:",
			`7:7: YAML syntax error: "options" is indented 6 spaces, more than "text" on line 6 (4)`},
		{"item key indented too deep after a comment line", "    answer: 마이페이지", "    # 답변\n     answer: 마이페이지",
			`19:6: YAML syntax error: "answer" is indented 5 spaces, more than "question" on line 17 (4), so it reads as more of that value: indent it 4 spaces`},
		{"top-level key indented after a comment line", "bot: {name: 테스트몰}\nwelcome:", "bot: {name: 테스트몰}\nsession_idle: 30m\n# 첫 인사\n  welcome:",
			`5:3: YAML syntax error: "welcome" is indented 2 spaces, more than "session_idle" on line 3 (0), so it reads as more of that value: start it at the beginning of the line`},
		{"key indented too deep after a comment, under an item's key", "  - id: ship-track\n    question:", "  - id: ship-track # 배송\n     question:",
			`17:6: YAML syntax error: "question" is indented 5 spaces, more than "id" on line 16 (4)`},
		{"a Korean key-like line below stays a colon in a value", "    answer: 마이페이지 > 주문내역에서 확인하세요.",
			"    answer: 마이페이지 > 주문내역에서\n      안내: 확인하세요.",
			`18:13: YAML syntax error: mapping value is not allowed in this context; quote a value that holds ": "`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("minimal.yaml has no %q", tc.old)
			}
			_, err := Parse("syntax.yaml", []byte(strings.Replace(src, tc.old, tc.new, 1)))
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("got %v, want Errors", err)
			}
			if got, want := errs[0].Error(), "syntax.yaml:"+tc.want; !strings.HasPrefix(got, want) {
				t.Errorf("got  %s\nwant %s…", got, want)
			}
		})
	}
}
