package configs

import (
	"strings"
	"time"
)

// Placeholders in texts.privacy_notice for the other periods the notice
// states, replaced like RetentionPlaceholder (in Korean, e.g. "365일").
const (
	TicketsPlaceholder  = "{retention.tickets}"
	ContactsPlaceholder = "{retention.contacts}"
)

// noticeRetention is a retention of something users typed that the privacy
// notice must state, besides retention.turns (validatePrivacyNotice).
type noticeRetention struct {
	key         string // under retention
	what        string // for the error: what is kept that long
	placeholder string
	d           Duration
}

// noticeRetentions returns the retentions, besides turns, of user text that
// the privacy notice must state: tickets (the message left out of hours,
// always possible), and contacts (the number tickets.ask_contact asks for,
// and handoff intake answers) when the config collects either.
func noticeRetentions(c *Config) []noticeRetention {
	out := []noticeRetention{{"tickets", "left messages (tickets)", TicketsPlaceholder, c.Retention.Tickets}}
	collects := c.Tickets.AskContact
	for _, q := range c.Handoff.Queues {
		collects = collects || len(q.Intake) > 0
	}
	if collects {
		out = append(out, noticeRetention{"contacts", "contacts and intake answers", ContactsPlaceholder, c.Retention.Contacts})
	}
	return out
}

// validateNoticeRetentions checks that the privacy notice states every
// period of noticeRetentions: through its placeholder, or a period (N일,
// N주, N개월, N년) that can mean it. A notice that names only the turns'
// period would promise users that a ticket kept 365 days is gone after 90.
func (t *tree) validateNoticeRetentions(c *Config) {
	notice := c.Texts.PrivacyNotice
	periods := NoticePeriods(notice)
	for _, r := range noticeRetentions(c) {
		if stated(notice, r.placeholder, periods, r.d.D()) {
			continue
		}
		t.errAt(path{"texts", "privacy_notice"}, "texts.privacy_notice does not say how long %s are kept: retention.%s is %s (%s); write %s or the period",
			r.what, r.key, r.d.text(), koreanDays(r.d.D()), r.placeholder)
	}
}

// stated reports whether notice states d: placeholder, or a period that can
// mean d.
func stated(notice, placeholder string, periods [][2]time.Duration, d time.Duration) bool {
	if strings.Contains(notice, placeholder) {
		return true
	}
	for _, p := range periods {
		if p[0] <= d && d <= p[1] {
			return true
		}
	}
	return false
}
