package configs

import "testing"

// TestBracedTextsNotPlaceholders: braces around anything but a name — an
// emoticon, a range of menu numbers — are text the bot master wrote, not a
// placeholder, so a config that has them loads (it did before placeholders
// were checked); a name in braces that the text does not fill is refused.
func TestBracedTextsNotPlaceholders(t *testing.T) {
	for _, line := range []string{
		`no_match: "잘 모르겠어요 {^_^;} 메뉴에서 골라 주세요."`,
		`no_match: "메뉴 번호 {1~5} 중에서 골라 주세요."`,
		`no_match: "괄호 { } 와 {} 도 그대로 보내요."`,
		`link_taken: "이미 맡았어요 {^^} ({code})"`,
	} {
		if _, err := Parse("texts.yaml", []byte(withTexts(t, line))); err != nil {
			t.Errorf("%s: got error %v, want the config to load", line, err)
		}
	}
	for _, line := range []string{
		`no_match: "잘 모르겠어요 {nxt}"`,
		`after_hours: "{next_open} 에 열어요"`,
		`no_match: "상담번호 {코드}"`,
	} {
		if _, err := Parse("texts.yaml", []byte(withTexts(t, line))); err == nil {
			t.Errorf("%s: got no error, want the placeholder refused", line)
		}
	}
}
