package configs

import (
	"slices"
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

// TestHoursPlaceholderInTexts: {hours} and {hours.<queue>} load in the
// texts a user sees when the hours matter; another queue's name, {hours}
// in a text about escalation.queue when there is none, or {hours} in a text
// that is not about the hours is refused at file:line:col; and a text, a
// menu's text or an FAQ answer that fits its bubble as written but not once
// the hours are filled in is refused there too.
func TestHoursPlaceholderInTexts(t *testing.T) {
	if _, err := Parse("texts.yaml", []byte(withTexts(t, `after_hours: "상담 시간({hours}) 외예요. 다음은 {next}"`,
		`complaint_after_hours: "죄송해요. 상담 시간: {hours.general}"`, `event_wait_timeout: "늦어져 죄송해요. {hours}"`,
		`ticket_created_no_reply: "접수했어요 ({code}). {hours}에 다시 문의해 주세요."`))); err != nil {
		t.Fatalf("texts quoting the hours: got %v, want no error", err)
	}
	noEscalation := strings.Replace(minimal(t), "escalation: {queue: general, keywords: [상담원]}\n", "", 1)
	long := strings.Repeat("가", 390)
	for _, tc := range []struct{ src, at, want string }{
		{withTexts(t, `after_hours: "{hours.vip} 외예요"`), `after_hours:`, "texts.after_hours has the unknown placeholder {hours.vip}"},
		{withTexts(t, `cancelled: "취소했어요. {hours}"`), `cancelled:`, "texts.cancelled has the placeholder {hours}: this text fills none"},
		{noEscalation + "texts:\n  complaint_after_hours: \"{hours}\"\n", `complaint_after_hours:`,
			"texts.complaint_after_hours has the unknown placeholder {hours}: this text fills only {hours.general}"},
		{withTexts(t, `after_hours: "`+strings.Repeat("가", 980)+`{hours}"`), `after_hours:`,
			"texts.after_hours is 1001 characters once {hours} is filled in; a KakaoTalk text bubble holds 1000"},
		{strings.Replace(minimal(t), "text: 배송 메뉴입니다.", "text: "+long+"{hours}", 1), long,
			`menu "shipping" text is 411 characters once {hours} is filled in; the limit is 400`},
		{withFAQ(t, "  - {id: cs, question: 상담 시간은요?, answer: \""+strings.Repeat("가", 990)+"{hours}\"}\n"), "cs,",
			`FAQ "cs" answer is 1011 characters once {hours} is filled in; the limit is 1000`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			errs := parseErrors(t, "texts.yaml", tc.src)
			lines := strings.Split(tc.src, "\n")
			line := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, tc.at) }) + 1
			if len(errs) != 1 || errs[0].Line != line || !strings.Contains(errs[0].Msg, tc.want) {
				t.Errorf("got %v, want one error on line %d with %q", errs, line, tc.want)
			}
		})
	}
}
