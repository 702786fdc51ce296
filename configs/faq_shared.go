package configs

import (
	"fmt"

	"github.com/baton-chat/baton/faq"
)

// validateSharedFAQTexts warns about a question or alternate that another
// FAQ entry lists too (as the matcher compares them: faq.ExactKey). Typed
// as written, a text of one entry is answered from that entry; a text of
// two is not, and is left to the ranking, which may pick either or ask.
func (t *tree) validateSharedFAQTexts(c *Config) {
	type firstUse struct {
		entry int
		what  string
	}
	first := map[string]firstUse{}
	for i, e := range c.FAQ {
		for k := -1; k < len(e.Alternates); k++ {
			text, p, what := e.Question, path{"faq", i, "question"}, "the question"
			if k >= 0 {
				text, p, what = e.Alternates[k], path{"faq", i, "alternates", k}, fmt.Sprintf("alternate %d", k+1)
			}
			key := faq.ExactKey(text)
			if key == "" {
				continue
			}
			f, seen := first[key]
			switch {
			case !seen:
				first[key] = firstUse{entry: i, what: what}
			case f.entry != i:
				t.warnAt(p, "%s of %s, %q, is also %s of %s: typed as written it answers neither directly (the matcher ranks them or asks); keep it in one entry",
					what, faqName(c, i), text, f.what, faqName(c, f.entry))
			}
		}
	}
}

// faqName names FAQ entry i for a message: FAQ "id", or FAQ entry N.
func faqName(c *Config, i int) string {
	if id := c.FAQ[i].ID; id != "" {
		return fmt.Sprintf("FAQ %q", id)
	}
	return fmt.Sprintf("FAQ entry %d", i+1)
}
