package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKeywordLabelWarnings: an escalation keyword found in a menu label (as
// the engine finds it: a long one anywhere, a short one as the first word)
// is warned about at the keyword, once, naming the first such label.
// fsm's TestKeywordLabelWarningAgreesWithEngine checks the rule against the
// engine.
func TestKeywordLabelWarnings(t *testing.T) {
	const tail = ": a short message about it is handed to an agent instead of being answered by the menu or FAQ; keep keywords to words that ask for a person (상담원, 사람)"
	for _, tc := range []struct {
		keywords string
		want     []string
	}{
		{"[상담원, 배송]", []string{`kw.yaml:19:46: escalation keyword "배송" is in the label "배송" of option "ship" in menu "main"` + tail}},
		{"[상담원, \"배송 조회\"]", []string{`kw.yaml:19:46: escalation keyword "배송 조회" is in the label "배송 조회" of option "track" in menu "shipping"` + tail}},
		{"[조회, 상담원, 송조]", nil},
		{"[상담원 연결, 사람]", nil},
	} {
		t.Run(tc.keywords, func(t *testing.T) {
			src := strings.Replace(minimal(t), "keywords: [상담원]", "keywords: "+tc.keywords, 1)
			cfg, err := Parse("kw.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range cfg.Warnings {
				got = append(got, w.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
