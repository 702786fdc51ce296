package handoff

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestLinksParseOneSpelling checks that a token has exactly one valid
// spelling: another last character of the payload or of the signature that
// decodes to the same bytes (low trailing bits flipped), or an embedded
// newline, is refused.
func TestLinksParseOneSpelling(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	l := NewLinks([]byte("key-1"), "http://admin.example")
	l.Now = func() time.Time { return now }
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

	for _, id := range []string{"01HLINK", "01HLINKX", "01HLINKXY"} { // payload lengths ≡ 0, 1, 2 mod 3
		tok := l.Token(id, LinkEnd, now.Add(time.Hour))
		if _, _, err := l.Parse(tok); err != nil {
			t.Fatalf("%s: Parse(valid token): got %v, want nil", id, err)
		}
		p, sig, _ := strings.Cut(tok, ".")
		var variants []string
		for _, c := range alphabet {
			if p[len(p)-1] != byte(c) {
				variants = append(variants, p[:len(p)-1]+string(c)+"."+sig)
			}
			if sig[len(sig)-1] != byte(c) {
				variants = append(variants, p+"."+sig[:len(sig)-1]+string(c))
			}
		}
		variants = append(variants, tok+"\n", p+"\r\n."+sig, p+"."+sig[:4]+"\n"+sig[4:], p+"=."+sig, p+"."+sig+"==")
		for _, v := range variants {
			if gotID, _, err := l.Parse(v); !errors.Is(err, ErrBadLink) {
				t.Errorf("%s: Parse(%q): got %q %v, want ErrBadLink", id, v, gotID, err)
			}
		}
	}
}

// TestLinksParseFlippedLowBits is the reviewers' case: the signature's last
// character with its low bits flipped decodes, leniently, to the same MAC.
func TestLinksParseFlippedLowBits(t *testing.T) {
	now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	l := NewLinks([]byte("key-1"), "http://admin.example")
	l.Now = func() time.Time { return now }
	tok := l.Token("01HLINK", LinkAccept, now.Add(time.Hour))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, tok[len(tok)-1])
	for _, flip := range []int{1, 2, 3, 15} { // 128-bit MAC in 22 characters: 4 trailing bits
		bad := tok[:len(tok)-1] + string(alphabet[last^flip])
		if _, _, err := l.Parse(bad); !errors.Is(err, ErrBadLink) {
			t.Errorf("last character's low bits ^%d (%q): got %v, want ErrBadLink", flip, bad, err)
		}
	}
}
