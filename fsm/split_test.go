package fsm

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// TestSplitText checks splitText over generated texts of Hangul words,
// jamo, emoji ZWJ sequences and unbroken runs, at sizes around the limits:
// every piece within n runes, at most max pieces, nothing lost or cut
// inside a grapheme cluster when the text fits, an ellipsis when not.
func TestSplitText(t *testing.T) {
	words := []string{"배송", "조회는", "마이페이지에서", "ㅋㅋㅋ", "👩‍👩‍👧‍👦", "🇰🇷", "가나다라마바사아자차카타파하", "e\u0301", "1,000원"}
	rng := rand.New(rand.NewPCG(7, 8))
	noSpace := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	for run := range 2000 {
		n := 5 + rng.IntN(60)
		max := 1 + rng.IntN(3)
		var b strings.Builder
		for b.Len() == 0 || utf8.RuneCountInString(b.String()) < rng.IntN(n*max+n) {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(4) > 0 {
				b.WriteString([]string{" ", "\n", "  "}[rng.IntN(3)])
			}
		}
		s := strings.TrimSpace(b.String())
		pieces := splitText(s, n, max)
		if len(pieces) == 0 || len(pieces) > max {
			t.Fatalf("run %d: %d pieces, want 1..%d", run, len(pieces), max)
		}
		for i, p := range pieces {
			if c := utf8.RuneCountInString(p); c > n {
				t.Fatalf("run %d: piece %d has %d runes, want ≤ %d: %q", run, i, c, n, p)
			}
		}
		joined := strings.Join(pieces, "")
		if strings.HasSuffix(pieces[len(pieces)-1], ellipsis) && !strings.HasSuffix(s, ellipsis) {
			continue // did not fit: the last piece is cut, checked by truncateText's tests
		}
		if noSpace(joined) != noSpace(s) {
			t.Fatalf("run %d: pieces %q lose text of %q", run, pieces, s)
		}
		// Each piece counted on its own: a cut inside a cluster makes two.
		got := 0
		for _, p := range pieces {
			got += uniseg.GraphemeClusterCount(noSpace(p))
		}
		if want := uniseg.GraphemeClusterCount(noSpace(s)); got != want {
			t.Fatalf("run %d: %d grapheme clusters in the pieces, %d in the text: a cut went inside one (%q)", run, got, want, pieces)
		}
	}
}

// TestLongTextTakesSpareBubbles: a ticket answer longer than one bubble is
// delivered in the bubbles the event reply does not use, whole, instead of
// cut at 1,000 characters; past three bubbles it is cut.
func TestLongTextTakesSpareBubbles(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	word := "배송은 2~3일 걸립니다. "
	for _, tt := range []struct {
		runes     int
		wantMsgs  int
		wantWhole bool
	}{
		{900, 1, true},
		{1500, 2, true},
		{2500, 3, true},
		{4000, 3, false},
	} {
		answer := strings.TrimSpace(strings.Repeat(word, tt.runes/utf8.RuneCountInString(word)+1))
		answer = string([]rune(answer)[:tt.runes])
		o := e.Event(Conversation{UserKey: "u", State: StateBot}, Input{}, &Notice{Kind: NoticeTicketReply, Answer: answer})
		msgs := o.Reply.Messages
		if len(msgs) != tt.wantMsgs {
			t.Errorf("%d runes: got %d messages, want %d", tt.runes, len(msgs), tt.wantMsgs)
		}
		var all strings.Builder
		for i, m := range msgs {
			if m.Card != nil || utf8.RuneCountInString(m.Text) > maxTextRunes {
				t.Errorf("%d runes: message %d is not a text within %d runes", tt.runes, i, maxTextRunes)
			}
			all.WriteString(m.Text)
		}
		squeeze := strings.NewReplacer(" ", "", "\n", "")
		if got := strings.Contains(squeeze.Replace(all.String()), squeeze.Replace(answer)); got != tt.wantWhole {
			t.Errorf("%d runes: answer delivered whole %v, want %v", tt.runes, got, tt.wantWhole)
		}
	}
}
