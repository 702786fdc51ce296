package fsm

import (
	"os"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestKeywordLabelWarningAgreesWithEngine checks that configs warns about
// an escalation keyword exactly when the engine hands a short request about
// one of the menu's goto, FAQ, text or link labels ("<label> 해주세요") to an
// agent because of that keyword.
func TestKeywordLabelWarningAgreesWithEngine(t *testing.T) {
	src, err := os.ReadFile("../configs/testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const kwLine = "keywords: [상담원]"
	if !strings.Contains(string(src), kwLine) {
		t.Fatalf("minimal.yaml has no %q line", kwLine)
	}
	for _, tc := range []struct {
		kw   string
		want bool
	}{
		{"배송", true},    // the first word of 배송 and 배송 조회
		{"배송 조회", true}, // a label, as a long keyword
		{"배송조회", true},  // the same, folded
		{"조회", false},   // short: counts only as a message's first word
		{"송조", false},   // short, inside a word
		{"상담원", false},  // only in a handoff option's label
		{"사람", false},   // in no label
	} {
		kw := tc.kw
		t.Run(kw, func(t *testing.T) {
			cfg, err := configs.Parse("kw.yaml", []byte(strings.Replace(string(src), kwLine, "keywords: ["+kw+"]", 1)))
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range cfg.Warnings {
				warned = warned || strings.HasPrefix(w.Msg, "escalation keyword ")
			}
			e := newEngine(t, cfg, Options{})
			escalated := false
			for _, m := range cfg.Menus {
				for _, o := range m.Options {
					if o.Handoff != "" || o.Back || o.Home {
						continue
					}
					out := e.Step(welcomedBot(), text(o.Label+" 해주세요"))
					escalated = escalated || (out.Open != nil && out.Open.Reason == ReasonKeyword)
				}
			}
			if warned != tc.want || escalated != tc.want {
				t.Errorf("keyword %q: got warned %v and a label request escalated %v, want both %v; warnings %v", kw, warned, escalated, tc.want, cfg.Warnings)
			}
		})
	}
}
