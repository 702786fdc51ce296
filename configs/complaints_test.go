package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestComplaintsValidation: escalation.complaints is checked like the
// keywords, at the offending item: an empty or one-character phrase is an
// error, a phrase that is also a keyword or is listed twice a warning, and
// complaints without an escalation queue are refused.
func TestComplaintsValidation(t *testing.T) {
	const line = "escalation: {queue: general, keywords: [상담원]}"
	for _, tc := range []struct {
		name, escalation string
		errs, warnings   []string
	}{
		{"fine", "escalation: {queue: general, keywords: [상담원], complaints: [최악, 짜증, 몇 번을 말]}", nil, nil},
		{"empty", `escalation: {queue: general, keywords: [상담원], complaints: [최악, " "]}`,
			[]string{`c.yaml:19:64: escalation complaint 2 is empty`}, nil},
		{"one character", "escalation: {queue: general, keywords: [상담원], complaints: [화]}",
			[]string{`c.yaml:19:60: escalation complaint "화" is one character: it would match the start of too many words; use a longer phrase (짜증, 최악)`}, nil},
		{"keyword", "escalation: {queue: general, keywords: [상담원], complaints: [상담 원]}",
			nil, []string{`c.yaml:19:60: escalation complaint "상담 원" is also an escalation keyword, which already offers a human`}},
		{"twice", "escalation: {queue: general, keywords: [상담원], complaints: [짜증, 짜 증]}",
			nil, []string{`c.yaml:19:64: escalation complaint "짜 증" is listed twice`}},
		{"no queue", "escalation: {complaints: [최악]}",
			[]string{`c.yaml:19:1: escalation has no queue: set escalation.queue to one of handoff.queues`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if !strings.Contains(src, line) {
				t.Fatalf("minimal.yaml lacks %q", line)
			}
			cfg, err := Parse("c.yaml", []byte(strings.Replace(src, line, tc.escalation, 1)))
			var gotErrs, gotWarnings []string
			if err != nil {
				errs, ok := err.(Errors)
				if !ok {
					t.Fatalf("Parse: got %v, want Errors", err)
				}
				for _, e := range errs {
					gotErrs = append(gotErrs, e.Error())
				}
			} else {
				for _, w := range cfg.Warnings {
					gotWarnings = append(gotWarnings, w.Error())
				}
			}
			if diff := cmp.Diff(tc.errs, gotErrs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.warnings, gotWarnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
