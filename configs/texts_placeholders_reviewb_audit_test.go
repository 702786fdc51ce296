//go:build audit

package configs

import "testing"

// TestAuditBracedTextsNotPlaceholders shows that validateTextPlaceholders
// (s9-fixdocs, texts_placeholders.go) takes any brace pair without
// whitespace (placeholderRE) for a placeholder and refuses the config: a
// user text with a brace emoticon or a range such as {1~5}, valid before
// the merge, now stops serve at start-up and refuses every reload. Only
// names like {code} or {retention.turns} can be placeholders; the rest is
// text Baton sends as written, which is what the bot master typed.
func TestAuditBracedTextsNotPlaceholders(t *testing.T) {
	for _, line := range []string{
		`no_match: "잘 모르겠어요 {^_^;} 메뉴에서 골라 주세요."`,
		`no_match: "메뉴 번호 {1~5} 중에서 골라 주세요."`,
	} {
		if _, err := Parse("texts.yaml", []byte(withTexts(t, line))); err != nil {
			t.Errorf("%s: got error %v, want the config to load", line, err)
		}
	}
}
