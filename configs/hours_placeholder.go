package configs

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// HoursPlaceholder in an FAQ answer, a menu's text or a text option's text
// is replaced by the opening hours of escalation.queue, in Korean ("평일
// 09:00~18:00(12:00~13:00 제외), 주말·공휴일 휴무"), and "{hours.<queue>}"
// by those of that queue. The engine renders them once per config version
// (HoursFills, fsm/hours_text.go), so a change of handoff.hours reaches every answer
// that quotes them.
const HoursPlaceholder = "{hours}"

// QueueHoursPlaceholder is the placeholder for queue's opening hours:
// "{hours.<queue>}".
func QueueHoursPlaceholder(queue string) string { return "{hours." + queue + "}" }

// answerPlaceholders returns the placeholders the engine fills in FAQ
// answers and menu texts for c, sorted: {hours} when escalation.queue names
// a queue, and {hours.<queue>} for every queue.
func answerPlaceholders(c *Config) []string {
	var out []string
	if _, ok := c.Handoff.Queues[c.Escalation.Queue]; ok {
		out = append(out, HoursPlaceholder)
	}
	for _, q := range slices.Sorted(maps.Keys(c.Handoff.Queues)) {
		out = append(out, QueueHoursPlaceholder(q))
	}
	return out
}

// warnAnswerPlaceholders warns about a {placeholder} in an FAQ answer, a
// menu's text or a text option's text that the engine does not fill (a
// typo such as {hour}, or {hours} with no escalation.queue): users would
// see it as written, braces included. These texts may hold braces of their
// own, so it is a warning, not an error.
func (t *tree) warnAnswerPlaceholders(c *Config) {
	known := answerPlaceholders(c)
	check := func(p path, who, s string) {
		for _, ph := range placeholderRE.FindAllString(s, -1) {
			if slices.Contains(known, ph) {
				continue
			}
			fills := "fills none here"
			if len(known) > 0 {
				fills = "fills only " + strings.Join(known, ", ")
			}
			t.warnAt(p, "%s has the placeholder %s, which Baton does not fill: users would see it as written (Baton %s)%s",
				who, ph, fills, didYouMean(ph, known))
		}
	}
	for i, e := range c.FAQ {
		check(path{"faq", i, "answer"}, fmt.Sprintf("FAQ %q answer", e.ID), e.Answer)
	}
	for _, name := range t.menuOrder(c) {
		m := c.Menus[name]
		if m == nil {
			continue
		}
		check(path{"menus", name, "text"}, fmt.Sprintf("menu %q text", name), m.Text)
		for i, o := range m.Options {
			check(path{"menus", name, "options", i, "text"}, fmt.Sprintf("menu %q option %d text", name, i+1), o.Text)
		}
	}
}
