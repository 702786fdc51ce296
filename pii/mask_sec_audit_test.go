//go:build audit

package pii

import (
	"strings"
	"testing"
)

// TestAuditMaskMissesCommonPhoneForms shows a bug: docs/ops.md ("Masking")
// promises that phone numbers become `*` before a user's text is stored or
// sent, but Mask (pii/mask.go rePhone: at most one separator character
// between groups, ASCII digits only) leaves common ways of typing a number
// untouched — "(010) 1234-5678", spaced dashes, full-width digits. The
// ticket intake's phoneDigits (fsm/intake.go) accepts several of these as a
// contact, so the very number kept encrypted for masters is also stored
// in the clear in turns (see TestAuditContactNumberInTranscript).
func TestAuditMaskMissesCommonPhoneForms(t *testing.T) {
	for _, in := range []string{
		"(010) 1234-5678",
		"010 - 1234 - 5678",
		"010-1234 -5678",
		"０１０-１２３４-５６７８",
		"010–1234–5678", // en dash (smart punctuation)
	} {
		got := Mask(in)
		if strings.Contains(got, "5678") || strings.Contains(got, "５６７８") {
			t.Errorf("Mask(%q): got %q, want the subscriber digits starred", in, got)
		}
	}
}
