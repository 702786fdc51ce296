package configs

import "fmt"

// warnFAQCategoryTypos warns about an FAQ entry whose category no menu has
// but that is one or two letters off one a menu has ("event" beside a menu
// of category "events"): the entry loads, but that menu never puts it first,
// and nothing else would say so. A category no menu has and that resembles
// none (the example's "cs") is a grouping of its own and passes.
func (t *tree) warnFAQCategoryTypos(c *Config) {
	menuCats := map[string]bool{}
	for _, m := range c.Menus {
		if m != nil && m.Category != "" {
			menuCats[m.Category] = true
		}
	}
	var cands []string
	for cat := range menuCats {
		cands = append(cands, cat)
	}
	for i, e := range c.FAQ {
		if e.Category == "" || menuCats[e.Category] {
			continue
		}
		hint := didYouMean(e.Category, cands)
		if hint == "" {
			continue
		}
		who := fmt.Sprintf("FAQ entry %d", i+1)
		if e.ID != "" {
			who = fmt.Sprintf("FAQ %q", e.ID)
		}
		t.warnAt(path{"faq", i, "category"}, "%s: category %q: no menu has this category, so no menu puts the entry first%s", who, e.Category, hint)
	}
}
