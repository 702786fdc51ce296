package configs

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// didYouMean returns ` (did you mean "x"?)` naming the candidate closest to
// name, a reference that names nothing, when it looks like a typo of it: at
// most two edits, and at most half of name's characters. It returns ""
// otherwise. Ties go to the candidate first in sorted order.
func didYouMean(name string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if d := editDistance(name, c); d < bestD && 2*d <= utf8.RuneCountInString(name) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// DidYouMean is the suggestion the config errors give a name that names
// nothing, for a name checked outside this package (a holiday calendar,
// which `baton validate` looks up among the calendars serve would load):
// ` (did you mean "x"?)` naming the candidate closest to name when it looks
// like a typo of it, else "".
func DidYouMean(name string, candidates []string) string { return didYouMean(name, candidates) }

// menuIDs, faqIDs and queueNames list what a goto, faq or handoff may name.
func menuIDs(c *Config) []string    { return slices.Collect(maps.Keys(c.Menus)) }
func queueNames(c *Config) []string { return slices.Collect(maps.Keys(c.Handoff.Queues)) }
func faqIDList(c *Config) []string {
	ids := make([]string, 0, len(c.FAQ))
	for _, e := range c.FAQ {
		ids = append(ids, e.ID)
	}
	return ids
}
