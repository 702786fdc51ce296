package configs

import "github.com/baton-chat/baton/faq"

// FAQEntries returns the config's FAQ as the matcher's entries, in file order.
func (c *Config) FAQEntries() []faq.Entry {
	entries := make([]faq.Entry, len(c.FAQ))
	for i, f := range c.FAQ {
		entries[i] = faq.Entry{ID: f.ID, Category: f.Category, Question: f.Question, Alternates: f.Alternates, Answer: f.Answer}
	}
	return entries
}
