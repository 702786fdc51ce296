package handoff

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// TestTicketExcerptCutsBetweenGraphemes: the excerpt sent without pii
// (Slack, and a pii:false webhook: "message is cut to 60 characters") used
// to cut after 60 runes, not user-perceived characters: a flag, a
// skin-toned or a ZWJ emoji at the cut was split, and agents read a stray
// regional letter or a different emoji before the "…". It now cuts between
// grapheme clusters, as skill.Truncate does.
func TestTicketExcerptCutsBetweenGraphemes(t *testing.T) {
	for _, tail := range []string{"🇰🇷", "👍🏽", "👨‍👩‍👧"} {
		msg := strings.Repeat("가", 59) + tail + " 빨리 연락 주세요"
		got := excerpt(msg)
		kept := strings.TrimSuffix(got, "…")
		if !strings.HasPrefix(msg, kept) {
			t.Fatalf("excerpt %q is not a prefix of the message", got)
		}
		// kept must end on a grapheme boundary of msg.
		rest, state, pos := msg, -1, 0
		for len(rest) > 0 && pos < len(kept) {
			var c string
			c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			pos += len(c)
		}
		if pos != len(kept) {
			t.Errorf("excerpt of \"가\"×59 + %q + …: ends %q: cut inside the grapheme %q (want the excerpt to stop before it)",
				tail, strings.TrimPrefix(got, strings.Repeat("가", 59)), tail)
		}
	}
}
