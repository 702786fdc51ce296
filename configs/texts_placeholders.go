package configs

import (
	"reflect"
	"slices"
	"strings"
)

// textPlaceholders lists, per user text (its key under texts), the
// {placeholders} Baton fills in when it renders the text. A text not listed
// fills none. The link page texts (texts.link_*) have their own check
// (validateLinkTexts).
var textPlaceholders = map[string][]string{
	"privacy_notice":         {RetentionPlaceholder, TicketsPlaceholder, ContactsPlaceholder},
	"handoff_card":           {"{code}"},
	"waiting_status":         {"{position}", "{eta}", "{code}"},
	"waiting_one_on_one":     {"{code}"},
	"waiting_status_unknown": {"{code}"},
	"waiting_dealer_failure": {"{code}"},
	"human_dealer_failure":   {"{code}"},
	"after_hours":            {"{next}"},
	"eta":                    {"{minutes}"},
	"eta_hours":              {"{h}"},
	"eta_hours_half":         {"{h}"},
	"eta_long":               {"{h}"},
	"ticket_created":         {"{code}"},
	"event_ticket_reply":     {"{answer}"},
	"csat_score":             {"{score}"}, // required: validateEventAPI

	// The words of the hours placeholders (HoursText).
	"hours_named_days": {"{days}"},
	"hours_closed":     {"{days}"},
	"hours_gaps":       {"{gaps}"},
	"hours_zone":       {"{zone}"},

	// Variants used when no ticket answer can reach the user in the chat.
	"ticket_created_no_reply":         {"{code}"},
	"ticket_created_no_reply_busy":    {"{code}"},
	"ticket_created_contact":          {"{code}"},
	"waiting_dealer_failure_no_reply": {"{code}"},
}

// requiredPlaceholders are the placeholders a text cannot do without (the
// text exists to carry what they are filled with), with what would be lost.
var requiredPlaceholders = map[string][2]string{
	"event_ticket_reply": {"{answer}", "the agent's answer to the ticket would never reach the user"},
	"hours_named_days":   {"{days}", "{hours} would leave out the days written by name"},
	"hours_closed":       {"{days}", "{hours} would not say which days are closed"},
	"hours_gaps":         {"{gaps}", "{hours} would not say when a split shift is closed"},
	"hours_zone":         {"{zone}", "{hours} would not name the time zone of its times"},
}

// validateTextPlaceholders checks every user text's {placeholders} against
// textPlaceholders: any other one (a typo such as {nxt}) would reach users
// as typed, braces included. A text missing its required placeholder is an
// error too.
func (t *tree) validateTextPlaceholders(c *Config) {
	v := reflect.ValueOf(c.Texts)
	typ := v.Type()
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		val, ok := v.Field(i).Interface().(string)
		if !ok || key == "" || strings.HasPrefix(key, "link_") {
			continue
		}
		at, allowed := path{"texts", key}, textPlaceholders[key]
		if ph := textHoursPlaceholders(c, key); len(ph) > 0 {
			allowed = append(slices.Clone(allowed), ph...)
		}
		for _, p := range placeholderRE.FindAllString(val, -1) {
			switch {
			case slices.Contains(allowed, p):
			case len(allowed) == 0:
				t.errAt(at, "texts.%s has the placeholder %s: this text fills none, so users would see it as written", key, p)
			default:
				t.errAt(at, "texts.%s has the unknown placeholder %s: this text fills only %s", key, p, strings.Join(allowed, ", "))
			}
		}
		if req, ok := requiredPlaceholders[key]; ok && !strings.Contains(val, req[0]) {
			t.errAt(at, "texts.%s has no %s: %s", key, req[0], req[1])
		}
	}
}
