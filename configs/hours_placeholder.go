package configs

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
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

// hoursTexts are the user texts (keys under texts) that may quote the hours
// with {hours} and {hours.<queue>} (fsm/hours_text.go fills them once per
// config version), each with the queue whose hours plain {hours} is:
// hoursOfQueue, the queue the reply is about (the one a user escalated to,
// whose after-hours reply, ticket or reopen notice it is, or whose wait
// ran out, for the wait-timeout apology); or hoursOfEscalation,
// escalation.queue's (the complaint reply).
var hoursTexts = map[string]string{
	"after_hours": hoursOfQueue, "after_hours_unknown": hoursOfQueue, "after_hours_unknown_no_reply": hoursOfQueue,
	"notify_scheduled": hoursOfQueue, "ticket_prompt": hoursOfQueue, "ticket_prompt_no_reply": hoursOfQueue,
	"ticket_created": hoursOfQueue, "ticket_created_no_reply": hoursOfQueue, "ticket_created_contact": hoursOfQueue,
	"complaint_after_hours": hoursOfEscalation, "complaint_after_hours_no_reply": hoursOfEscalation,
	"event_wait_timeout": hoursOfQueue, "event_wait_timeout_no_reply": hoursOfQueue,
}

// HoursTextKeys returns the keys under texts of the texts that may quote
// the hours (hoursTexts), sorted.
func HoursTextKeys() []string { return slices.Sorted(maps.Keys(hoursTexts)) }

const (
	hoursOfQueue      = "queue"
	hoursOfEscalation = "escalation"
)

// textHoursPlaceholders returns the hours placeholders texts.<key> fills
// for c: none for a text not in hoursTexts; else {hours} (for a text
// about escalation.queue only when there is one) and {hours.<queue>} for
// every queue.
func textHoursPlaceholders(c *Config, key string) []string {
	of, ok := hoursTexts[key]
	if !ok {
		return nil
	}
	ph := answerPlaceholders(c)
	if of == hoursOfQueue && len(c.Handoff.Queues) > 0 && !slices.Contains(ph, HoursPlaceholder) {
		ph = append([]string{HoursPlaceholder}, ph...)
	}
	return ph
}

// filledRunes returns the length of s once the hours placeholders are
// filled in, and " once {hours} is filled in" when s holds any (for the
// message), "" when it does not.
func (t *tree) filledRunes(c *Config, s string) (int, string) {
	if !strings.Contains(s, "{hours") {
		return utf8.RuneCountInString(s), ""
	}
	if t.hours == nil {
		t.hours = c.HoursFills(c.Texts)
	}
	return utf8.RuneCountInString(fillHours(s, t.hours)), " once {hours} is filled in"
}

// fillHours replaces each {name} of pairs (name, text, …) in s.
func fillHours(s string, pairs []string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// validateHoursTextLengths checks that each text of hoursTexts still fits a
// KakaoTalk text bubble once its hours are filled in, taking for {hours}
// in a text about any queue the longest of the queues' hours.
func (t *tree) validateHoursTextLengths(c *Config) {
	v := reflect.ValueOf(c.Texts)
	typ := v.Type()
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		val, _ := v.Field(i).Interface().(string)
		of, ok := hoursTexts[key]
		if !ok || !strings.Contains(val, "{hours") {
			continue
		}
		if of == hoursOfQueue && strings.Contains(val, HoursPlaceholder) {
			longest := ""
			for q := range c.Handoff.Queues {
				if h := c.QueueHoursText(q, c.Texts); utf8.RuneCountInString(h) > utf8.RuneCountInString(longest) {
					longest = h
				}
			}
			val = strings.ReplaceAll(val, HoursPlaceholder, longest)
		}
		if n, _ := t.filledRunes(c, val); n > MaxAnswerRunes {
			t.errAt(path{"texts", key}, "texts.%s is %d characters once {hours} is filled in; a KakaoTalk text bubble holds %d", key, n, MaxAnswerRunes)
		}
	}
}
