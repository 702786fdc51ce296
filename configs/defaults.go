package configs

import (
	"reflect"
	"strings"
	"time"
)

// Default values (DESIGN §4). Durations and strings left zero take these;
// integers take them only when their key is absent, so an explicit 0 stays
// visible to validation.
const (
	DefaultConsultation   = "one_on_one"
	DefaultTokenHeader    = "X-Baton-Token"
	DefaultEventAPIBase   = "https://bot-api.kakao.com"
	DefaultCallbackHost   = "bot-api.kakao.com"
	DefaultTimezone       = "Asia/Seoul"
	DefaultFAQMisses      = 2
	DefaultRateTurns      = 10
	DefaultRateBurst      = 5
	DefaultSoftDeadline   = 2500 * time.Millisecond
	DefaultHardDeadline   = 3 * time.Second
	MaxHardDeadline       = 4500 * time.Millisecond
	DefaultRatePer        = 10 * time.Second
	DefaultSessionIdle    = 30 * time.Minute
	DefaultRewelcomeAfter = 30 * 24 * time.Hour
	DefaultDealerWait     = 10 * time.Minute
	DefaultNotifyWait     = 30 * time.Minute
	DefaultReturnGap      = 10 * time.Minute
	// DefaultOneOnOneIdle: a 1:1 chat may last hours; a day after it was
	// accepted it is over in every sense but Baton's.
	DefaultOneOnOneIdle = 24 * time.Hour
)

// Default retention periods.
const (
	DefaultRetainTurns     = 90 * 24 * time.Hour
	DefaultRetainHandoffs  = 90 * 24 * time.Hour
	DefaultRetainTickets   = 365 * 24 * time.Hour
	DefaultRetainContacts  = 30 * 24 * time.Hour
	DefaultRetainAccessLog = 400 * 24 * time.Hour
	DefaultRetainNotify    = 30 * 24 * time.Hour
	DefaultRetainTimers    = 14 * 24 * time.Hour // the stream's MaxAge: a late firing still finds its row
	DefaultRetainOutbox    = 7 * 24 * time.Hour
	DefaultRetainUsers     = 365 * 24 * time.Hour
)

// Default Open Builder block names.
var (
	defaultWelcomeBlocks  = []string{"웰컴 블록"}
	defaultFallbackBlocks = []string{"폴백 블록"}
	defaultReturnedBlocks = []string{"상담 종료"}
)

func orDuration(d *Duration, def time.Duration) {
	if *d == 0 {
		*d = Duration(def)
	}
}

func orString(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

// applyDefaults fills everything the file left out. It runs after env
// expansion, so "${X:-}" that came out empty also takes the default.
func (t *tree) applyDefaults(c *Config) {
	orString(&c.Kakao.Consultation, DefaultConsultation)
	orString(&c.Kakao.TokenHeader, DefaultTokenHeader)
	t.warnShortTokens(c.Kakao.Tokens) // tokens.go; before nonEmpty, which renumbers them
	c.Kakao.Tokens = nonEmpty(c.Kakao.Tokens)

	orDuration(&c.Server.SoftDeadline, DefaultSoftDeadline)
	orDuration(&c.Server.HardDeadline, DefaultHardDeadline)
	orDuration(&c.Server.RateLimit.Per, DefaultRatePer)
	if !t.has(path{"server", "rate_limit", "turns"}) {
		c.Server.RateLimit.Turns = DefaultRateTurns
	}
	if !t.has(path{"server", "rate_limit", "burst"}) {
		c.Server.RateLimit.Burst = DefaultRateBurst
	}

	if len(c.Blocks.Welcome) == 0 {
		c.Blocks.Welcome = append([]string(nil), defaultWelcomeBlocks...)
	}
	if len(c.Blocks.Fallback) == 0 {
		c.Blocks.Fallback = append([]string(nil), defaultFallbackBlocks...)
	}
	if len(c.Blocks.Returned) == 0 {
		c.Blocks.Returned = append([]string(nil), defaultReturnedBlocks...)
	}
	fillTexts(&c.Texts, DefaultTexts())

	orDuration(&c.Welcome.RewelcomeAfter, DefaultRewelcomeAfter)
	orDuration(&c.SessionIdle, DefaultSessionIdle)

	// faq_misses defaults to 2 only when escalation has somewhere to go:
	// without a queue there is no escalation at all.
	if c.Escalation.Queue != "" && !t.has(path{"escalation", "faq_misses"}) {
		c.Escalation.FAQMisses = DefaultFAQMisses
	}

	orDuration(&c.Handoff.WaitTimeout.Dealer, DefaultDealerWait)
	orDuration(&c.Handoff.DealerFailoverAfter, defaultDealerFailover(shortestDealerWait(c.Handoff)))
	orDuration(&c.Handoff.WaitTimeout.Notify, DefaultNotifyWait)
	orDuration(&c.Handoff.ReturnGap, DefaultReturnGap)
	if c.Handoff.OneOnOneIdle == 0 {
		c.Handoff.OneOnOneIdle = OffDuration(DefaultOneOnOneIdle)
	}
	for name, h := range c.Handoff.Hours {
		orString(&h.Timezone, DefaultTimezone)
		c.Handoff.Hours[name] = h
	}

	orString(&c.EventAPI.BaseURL, DefaultEventAPIBase)
	t.applyEventAPIDefaults(c)
	c.Callback.Hosts = splitHosts(c.Callback.Hosts)
	if len(c.Callback.Hosts) == 0 {
		c.Callback.Hosts = []string{DefaultCallbackHost}
	}

	orDuration(&c.Retention.Turns, DefaultRetainTurns)
	orDuration(&c.Retention.Handoffs, DefaultRetainHandoffs)
	orDuration(&c.Retention.Tickets, DefaultRetainTickets)
	orDuration(&c.Retention.Contacts, DefaultRetainContacts)
	orDuration(&c.Retention.AccessLog, DefaultRetainAccessLog)
	orDuration(&c.Retention.Notifications, DefaultRetainNotify)
	orDuration(&c.Retention.Timers, DefaultRetainTimers)
	orDuration(&c.Retention.Outbox, DefaultRetainOutbox)
	orDuration(&c.Retention.Users, DefaultRetainUsers)
}

// fillTexts sets every empty string field of t from def.
func fillTexts(t *Texts, def Texts) {
	tv, dv := reflect.ValueOf(t).Elem(), reflect.ValueOf(def)
	for i := 0; i < tv.NumField(); i++ {
		if f := tv.Field(i); f.Kind() == reflect.String && f.String() == "" {
			f.SetString(dv.Field(i).String())
		}
	}
}

// nonEmpty drops empty strings (tokens from unset variables).
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitHosts accepts comma-separated lists inside entries, so one
// BATON_CALLBACK_HOSTS variable can carry several hosts.
func splitHosts(hs []string) []string {
	var out []string
	for _, h := range hs {
		out = append(out, nonEmpty(strings.Split(h, ","))...)
	}
	return out
}
