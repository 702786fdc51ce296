package configs

import (
	"slices"

	"github.com/baton-chat/baton/faq"
)

// FAQEntries returns the FAQ entries for the matcher. A menu option's
// label that opens an entry (faq:) is one of that entry's Labels: a user
// who has seen "배송지 변경" in a menu and later types it anywhere means
// the entry the bot master put behind it. Labels answer only when typed
// exactly; they are not ranked, so adding a menu never shifts the
// matcher's answers to other questions.
func (c *Config) FAQEntries() []faq.Entry {
	entries := make([]faq.Entry, len(c.FAQ))
	byID := make(map[string]int, len(c.FAQ))
	for i, f := range c.FAQ {
		entries[i] = faq.Entry{ID: f.ID, Category: f.Category, Question: f.Question, Alternates: f.Alternates, Answer: f.Answer}
		byID[f.ID] = i
	}
	names := make([]string, 0, len(c.Menus))
	for name := range c.Menus {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		m := c.Menus[name]
		if m == nil {
			continue
		}
		for _, o := range m.Options {
			if i, ok := byID[o.FAQ]; ok && !slices.Contains(entries[i].Labels, o.Label) {
				entries[i].Labels = append(entries[i].Labels, o.Label)
			}
		}
	}
	return entries
}
