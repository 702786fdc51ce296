package configs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MinRetention is the shortest retention period validate accepts for any
// kind of record: "90m" where "90d" was meant would otherwise delete a
// deployment's history within the hour.
const MinRetention = 24 * time.Hour

// RetentionPlaceholder in texts.privacy_notice is replaced by retention.turns
// (in Korean, e.g. "90일"), so the notice cannot disagree with the policy.
const RetentionPlaceholder = "{retention.turns}"

// validateRetention checks every retention period against MinRetention.
func (t *tree) validateRetention(c *Config) {
	r := c.Retention
	for _, f := range []struct {
		key string
		d   Duration
	}{
		{"turns", r.Turns}, {"handoffs", r.Handoffs}, {"tickets", r.Tickets}, {"contacts", r.Contacts},
		{"access_log", r.AccessLog}, {"notifications", r.Notifications}, {"timers", r.Timers}, {"outbox", r.Outbox},
		{"users", r.Users},
	} {
		if f.d.D() < MinRetention {
			t.errAt(path{"retention", f.key}, "retention.%s is %v; keep records at least 1d (did you mean d for days?)", f.key, f.d.D())
		}
	}
}

// noticePeriodRE finds periods written in a privacy notice: 90일, 2주, 3개월,
// 3 달, 1년.
var noticePeriodRE = regexp.MustCompile(`(\d+)\s*(일|주|개월|달|년)`)

// NoticePeriods returns the periods a privacy notice states, each as the
// shortest and longest duration it can mean (3개월 is 84 to 93 days, 1년 365
// or 366), in the order they appear.
func NoticePeriods(notice string) [][2]time.Duration {
	const day = 24 * time.Hour
	var out [][2]time.Duration
	for _, m := range noticePeriodRE.FindAllStringSubmatch(notice, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n <= 0 {
			continue
		}
		d := time.Duration(n) * day
		switch m[2] {
		case "일":
			out = append(out, [2]time.Duration{d, d})
		case "주":
			out = append(out, [2]time.Duration{7 * d, 7 * d})
		case "개월", "달":
			out = append(out, [2]time.Duration{28 * d, 31 * d})
		case "년":
			out = append(out, [2]time.Duration{365 * d, 366 * d})
		}
	}
	return out
}

// validatePrivacyNotice checks that the PIPA notice shown at collection
// states how long everything users type is kept: conversations (below) and
// the retentions of validateNoticeRetentions.
func (t *tree) validatePrivacyNotice(c *Config) {
	t.validateTurnsNotice(c)
	t.validateNoticeRetentions(c)
}

// validateTurnsNotice checks that the notice says how long conversations
// are kept and that it agrees with retention.turns: either through
// RetentionPlaceholder or a period (N일, N주, N개월, N년) that can mean
// retention.turns.
func (t *tree) validateTurnsNotice(c *Config) {
	notice := c.Texts.PrivacyNotice
	if strings.Contains(notice, RetentionPlaceholder) {
		return
	}
	turns := c.Retention.Turns.D()
	periods := NoticePeriods(notice)
	for _, p := range periods {
		if p[0] <= turns && turns <= p[1] {
			return
		}
	}
	at := path{"texts", "privacy_notice"}
	if len(periods) == 0 {
		t.errAt(at, "texts.privacy_notice does not say how long conversations are kept: write %s (replaced by retention.turns) or the period, e.g. %s",
			RetentionPlaceholder, koreanDays(turns))
		return
	}
	m := noticePeriodRE.FindString(notice)
	t.errAt(at, "texts.privacy_notice says conversations are kept %s but retention.turns is %s (%s): make them agree, or write %s",
		m, c.Retention.Turns.text(), koreanDays(turns), RetentionPlaceholder)
}

// text renders d the way a bot master writes it (90d, 36h).
func (d Duration) text() string {
	b, _ := d.MarshalText()
	return string(b)
}

// koreanDays renders d in whole days ("90일"), or hours below a day.
func koreanDays(d time.Duration) string {
	if d >= 24*time.Hour {
		return fmt.Sprintf("%d일", d/(24*time.Hour))
	}
	return fmt.Sprintf("%d시간", d/time.Hour)
}
