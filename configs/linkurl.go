package configs

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// MaxLinkURLBytes is Baton's own cap on any URL it puts in a Kakao bubble
// (Kakao documents none).
const MaxLinkURLBytes = 2048

// CheckLinkURL reports whether s may go into a Kakao bubble as a link or
// image URL: an absolute http or https URL with a host, at most
// MaxLinkURLBytes bytes and without whitespace. It is the one rule shared by
// the loader (menu option link, FAQ link.url), the engine (지식+ landingUrl)
// and the skill response builders; the error says what is wrong and never
// wraps a sentinel.
func CheckLinkURL(s string) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	if len(s) > MaxLinkURLBytes {
		return fmt.Errorf("is %d bytes, want at most %d", len(s), MaxLinkURLBytes)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 { // a no-break or ideographic space too
		return fmt.Errorf("contains whitespace")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("does not parse: %w", err)
	}
	if sch := strings.ToLower(u.Scheme); (sch != "http" && sch != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}
