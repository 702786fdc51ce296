package kakaospec

import (
	"fmt"
	"strings"
	"testing"
)

// Spec §3.8 "carouselHeader | title 2 lines, description 3 lines",
// "imageTitle | title 2 lines, description 1 line", §3.4 itemCard "head |
// {title} | no | 1 line", "basicCard title ... (carousel: max 2 lines)".
// A line ends at every mandatory line break (Unicode UAX #14 BK/CR/LF/NL:
// "\r", "\n", "\r\n", U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR,
// U+0085 NEL), not only at "\n": the clients break lines at all of them (and
// Baton's own skill.SplitText treats "\n\r\u2028\u2029" as line breaks).
// Validate counted only "\n", so a 3-line head or a 3-line carousel title
// passed; each of these bodies is rejected.
func TestLineLimitsCountEveryLineBreak(t *testing.T) {
	list := `"itemList":[{"title":"t","description":"d"}]`
	for _, br := range []struct{ name, esc string }{
		{"CR", `\r`}, {"U+2028", `\u2028`}, {"U+2029", `\u2029`}, {"NEL", `\u0085`},
	} {
		tests := []struct{ name, body string }{
			{"itemCard head 2 lines (§3.4: 1 line)",
				wrap(`{"itemCard":{` + list + `,"head":{"title":"첫째` + br.esc + `둘째"}}}`)},
			{"imageTitle description 2 lines (§3.8: 1 line)",
				wrap(`{"itemCard":{` + list + `,"imageTitle":{"title":"t","description":"첫째` + br.esc + `둘째"}}}`)},
			{"carousel basicCard title 3 lines (§3.8: 2 lines)",
				wrap(`{"carousel":{"type":"basicCard","items":[{"title":"a` + br.esc + `b` + br.esc + `c","thumbnail":{"imageUrl":"` + img + `"}}]}}`)},
			{"itemList description 3 lines (§3.4: 2 lines)",
				wrap(`{"itemCard":{"itemList":[{"title":"t","description":"a` + br.esc + `b` + br.esc + `c"}]}}`)},
		}
		for _, tt := range tests {
			t.Run(br.name+"/"+tt.name, func(t *testing.T) {
				if err := Validate([]byte(tt.body)); err == nil {
					t.Errorf("Validate = nil, want an error (line break %s not counted)", br.name)
				}
			})
		}
	}
}

// Spec §3.11 (group bots): "Mentions: put {{#mentions.user1}} in
// simpleText.text and top-level "extra":{"mentions":{"user1":{"type":
// "botUserKey","id":"..."}}}; type is botUserKey or appUserId; SimpleText
// only; ≤ 15 per response." and §3.8 "group bots: mentions per response |
// ≤ 15". Validate accepted any top-level "extra" unchecked: 16 mentions and
// a mention of an unknown type passed; both are rejected.
func TestGroupMentionsChecked(t *testing.T) {
	var ms []string
	var refs []string
	for i := 1; i <= 16; i++ {
		ms = append(ms, fmt.Sprintf(`"u%d":{"type":"botUserKey","id":"k%d"}`, i, i))
		refs = append(refs, fmt.Sprintf("{{#mentions.u%d}}", i))
	}
	sixteen := `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"` + strings.Join(refs, " ") +
		`"}}]},"extra":{"mentions":{` + strings.Join(ms, ",") + `}}}`
	if err := Validate([]byte(sixteen)); err == nil {
		t.Errorf("16 mentions: Validate = nil, want an error (§3.11: ≤ 15 per response)")
	}
	badType := `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"{{#mentions.u1}}"}}]},` +
		`"extra":{"mentions":{"u1":{"type":"plusfriendUserKey","id":"k1"}}}}`
	if err := Validate([]byte(badType)); err == nil {
		t.Errorf("mention type plusfriendUserKey: Validate = nil, want an error (§3.11: botUserKey or appUserId)")
	}
}

// Spec §3.6 Button "webLinkUrl | URL; only http/https accepted", §3.4
// simpleImage "imageUrl | URL 형식". A URL cannot hold a raw space character
// (RFC 3986); Validate's url check rejected only " \n\t" (and the control
// characters url.Parse refuses), so U+3000 / U+00A0 / U+2028 inside a URL
// passed; both bodies are rejected.
func TestURLWithUnicodeWhitespaceRefused(t *testing.T) {
	for _, u := range []string{`https://example.com/a\u3000b`, `https://example.com/a\u00a0b`, `https://example.com/a\u2028b`} {
		btn := wrap(`{"textCard":{"description":"d","buttons":[{"label":"열기","action":"webLink","webLinkUrl":"` + u + `"}]}}`)
		if err := Validate([]byte(btn)); err == nil {
			t.Errorf("webLinkUrl %s: Validate = nil, want an error", u)
		}
		im := wrap(`{"simpleImage":{"imageUrl":"` + u + `"}}`)
		if err := Validate([]byte(im)); err == nil {
			t.Errorf("imageUrl %s: Validate = nil, want an error", u)
		}
	}
}
