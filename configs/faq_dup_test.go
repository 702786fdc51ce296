package configs

import (
	"strings"
	"testing"
)

// withFAQ is the minimal config with entries appended to its faq list.
func withFAQ(t *testing.T, entries string) string {
	t.Helper()
	const last = "    answer: 마이페이지 > 주문내역에서 확인하세요.\n"
	src := minimal(t)
	if !strings.Contains(src, last) {
		t.Fatal("testdata/valid/minimal.yaml changed: its FAQ entry's answer line is gone")
	}
	return strings.Replace(src, last, last+entries, 1)
}

// TestDuplicateFAQIDNamesFirstLine: a duplicate FAQ id names the line of
// the entry that used it first, so the bot master need not count entries.
func TestDuplicateFAQIDNamesFirstLine(t *testing.T) {
	errs := parseErrors(t, "dup.yaml", withFAQ(t, "  - id: ship-track\n    question: 택배 어디쯤 왔어요?\n    answer: 배송 조회를 눌러 주세요.\n"))
	want := `dup.yaml:19:9: duplicate FAQ id "ship-track" (first used by entry 1, line 16): give each entry its own id`
	if got := errs.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
