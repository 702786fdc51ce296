package skill

import (
	"testing"
)

// Spec §3.4 itemCard "head | {title} | no | 1 line", "imageTitle | {title
// (req., max 2 lines), description (1 line)...}", "itemList | Array<{title
// (req., max 6자), description (req., max 2 lines)}>", §3.4 basicCard "title
// ... (carousel: max 2 lines)", §3.8 "carouselHeader | title 2 lines,
// description 3 lines". A line ends at every mandatory line break (UAX #14:
// "\r", "\n", "\r\n", U+2028, U+2029, U+0085), not only "\n"; Baton itself
// treats "\n\r\u2028\u2029" as line breaks in SplitText (splitWords). The
// builders' hardLines used to count "\n" only, so these over-long bubbles
// were built; every constructor below returns an error wrapping
// ErrInvalidResponse.
func TestLineLimitsCountEveryLineBreak(t *testing.T) {
	list := []Item{{Title: "t", Description: "d"}}
	for _, br := range []struct{ name, s string }{
		{"CR", "\r"}, {"U+2028", "\u2028"}, {"U+2029", "\u2029"}, {"NEL", "\u0085"},
	} {
		two := "첫째" + br.s + "둘째"
		three := "a" + br.s + "b" + br.s + "c"
		four := three + br.s + "d"
		cases := []struct {
			name  string
			build func() error
		}{
			{"itemCard head 2 lines (1 allowed)", func() error {
				_, err := NewItemCard(ItemCardSpec{ItemList: list, Head: &ItemHead{Title: two}})
				return err
			}},
			{"imageTitle description 2 lines (1 allowed)", func() error {
				_, err := NewItemCard(ItemCardSpec{ItemList: list, ImageTitle: &ImageTitle{Title: "t", Description: two}})
				return err
			}},
			{"itemList description 3 lines (2 allowed)", func() error {
				_, err := NewItemCard(ItemCardSpec{ItemList: []Item{{Title: "t", Description: three}}})
				return err
			}},
			{"carousel basicCard title 3 lines (2 allowed)", func() error {
				bc, err := NewBasicCard(BasicCardSpec{Title: three, Thumbnail: Thumbnail{ImageURL: testImg}})
				if err != nil {
					return err
				}
				_, err = NewCarousel(nil, bc)
				return err
			}},
			{"carousel header description 4 lines (3 allowed)", func() error {
				bc, err := NewBasicCard(BasicCardSpec{Title: "t", Thumbnail: Thumbnail{ImageURL: testImg}})
				if err != nil {
					return err
				}
				_, err = NewCarousel(&CarouselHeader{Title: "t", Description: four, ImageURL: testImg}, bc)
				return err
			}},
		}
		for _, c := range cases {
			t.Run(br.name+"/"+c.name, func(t *testing.T) {
				if err := c.build(); err == nil {
					t.Errorf("built without error; want ErrInvalidResponse (line break %s not counted)", br.name)
				}
			})
		}
	}
}

// Spec §3.6 Button "webLinkUrl | URL; only http/https accepted", §3.4
// simpleImage "imageUrl | URL 형식", §3.5 Thumbnail/Link URLs. A URL cannot
// hold a raw space character (RFC 3986), and configs.CheckLinkURL, which the
// builders use, promises "an absolute http or https URL ... without
// whitespace" — but it only looked for ASCII " \t\r\n", so a URL pasted with
// an ideographic space (U+3000, common in Korean text), a no-break space or
// a line separator was put into a bubble. Every such URL is now refused
// with an error wrapping ErrInvalidResponse.
func TestURLWithUnicodeWhitespaceRefused(t *testing.T) {
	for _, u := range []string{
		"https://example.com/배송\u3000조회",
		"https://example.com/a\u00a0b",
		"https://example.com/a\u2028b",
	} {
		if _, err := WebLinkButton("열기", u); err == nil {
			t.Errorf("WebLinkButton(%q) = nil error, want ErrInvalidResponse (whitespace in URL)", u)
		}
		if _, err := NewSimpleImage(u, ""); err == nil {
			t.Errorf("NewSimpleImage(%q) = nil error, want ErrInvalidResponse (whitespace in URL)", u)
		}
	}
}
