package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHoursPlaceholderWarnings: {hours} and {hours.<queue>} in an FAQ
// answer, a menu's text or a text option's text load quietly; a placeholder
// Baton does not fill there (the typo {hour}, a queue that does not exist)
// is a warning at the text, with the placeholder it probably meant.
func TestHoursPlaceholderWarnings(t *testing.T) {
	src := withFAQ(t, "  - {id: cs-hours, question: 상담 시간은요?, answer: \"상담 시간은 {hours}입니다.\"}\n"+
		"  - {id: cs-typo, question: 운영 시간은요?, answer: \"운영 시간은 {hour}입니다.\"}\n")
	src = strings.Replace(src, "    text: 배송 메뉴입니다.\n", "    text: \"배송 메뉴입니다. 상담 {hours.general}, {hours.vip}\"\n", 1)
	src = strings.Replace(src, "      - {id: top, label: 처음으로, home: true}\n",
		"      - {id: top, label: 처음으로, home: true}\n      - {id: when, label: 운영 시간, text: \"{hours.general}\"}\n", 1)
	cfg, err := Parse("hours.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`hours.yaml:11:11: menu "shipping" text has the placeholder {hours.vip}, which Baton does not fill: users would see it as written (Baton fills only {hours}, {hours.general})`,
		`hours.yaml:21:47: FAQ "cs-typo" answer has the placeholder {hour}, which Baton does not fill: users would see it as written (Baton fills only {hours}, {hours.general}) (did you mean "{hours}"?)`,
	}
	if diff := cmp.Diff(want, warningTexts(cfg)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
