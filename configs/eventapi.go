package configs

import (
	"net"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Event API defaults (spec §6: 15원 per delivered message, VAT excluded; no
// documented rate limit, so Baton keeps its own modest one).
const (
	DefaultWonPerMessage  = 15
	DefaultCallsPerSecond = 5
	DefaultEventStale     = 24 * time.Hour
)

// Notification kinds an event_api.events key may name (store.Notify*).
var eventKinds = []string{"reopen", "ticket_reply", "wait_timeout", "csat"}

// EventAPIEnabled reports whether Baton may send Event API messages: a REST
// API key is set.
func (e EventAPI) EventAPIEnabled() bool { return strings.TrimSpace(e.RestAPIKey) != "" }

// Sends reports whether Baton can send Event API messages of kind (a
// notification kind such as "reopen" or "ticket_reply"): the API is enabled
// and kind has an event name.
func (e EventAPI) Sends(kind string) bool {
	return e.EventAPIEnabled() && strings.TrimSpace(e.Events[kind]) != ""
}

func (t *tree) applyEventAPIDefaults(c *Config) {
	e := &c.EventAPI
	if !t.has(path{"event_api", "won_per_message"}) {
		e.WonPerMessage = DefaultWonPerMessage
	}
	if !t.has(path{"event_api", "calls_per_second"}) {
		e.CallsPerSecond = DefaultCallsPerSecond
	}
	orDuration(&e.StaleAfter, DefaultEventStale)
}

// validateEventAPI checks the event names (known kinds, non-empty, unique,
// not the name of a welcome, return or fallback block), the price, the rate
// limit, and the CSAT score label.
func (t *tree) validateEventAPI(c *Config) {
	e := c.EventAPI
	ep := path{"event_api"}
	known := map[string]bool{}
	for _, k := range eventKinds {
		known[k] = true
	}
	reserved := map[string]string{}
	for _, b := range c.Blocks.Welcome {
		reserved[b] = "blocks.welcome"
	}
	for _, b := range c.Blocks.Returned {
		reserved[b] = "blocks.returned"
	}
	for _, b := range c.Blocks.Fallback {
		reserved[b] = "blocks.fallback"
	}
	kinds := make([]string, 0, len(e.Events))
	for k := range e.Events {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	seen := map[string]string{}
	for _, k := range kinds {
		name := strings.TrimSpace(e.Events[k])
		e.Events[k] = name // Kakao matches the event block's name exactly: send it as validated
		kp := ep.with("events").with(k)
		switch {
		case !known[k]:
			t.errAtKey(kp, "event_api.events: unknown kind %q (use %s)", k, strings.Join(eventKinds, ", "))
		case name == "":
			t.errAt(kp, "event_api.events.%s: the event name is empty", k)
		case seen[name] != "":
			t.errAt(kp, "event_api.events.%s: event name %q is also used by %s; each kind needs its own event block", k, name, seen[name])
		case reserved[name] != "":
			t.errAt(kp, "event_api.events.%s: %q is also a %s name; an event block must be a block of its own", k, name, reserved[name])
		}
		if name != "" && seen[name] == "" {
			seen[name] = k
		}
	}
	if u, err := url.Parse(e.BaseURL); err == nil && u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		t.errAt(ep.with("base_url"), "event_api base_url %q must use https: the REST API key travels in its header (http is for a loopback test host only)", e.BaseURL)
	}
	if e.WonPerMessage <= 0 {
		t.errAt(ep.with("won_per_message"), "won_per_message must be more than 0 (Kakao bills 15원 per message)")
	}
	if e.CallsPerSecond <= 0 {
		t.errAt(ep.with("calls_per_second"), "calls_per_second must be more than 0")
	}
	if strings.Contains(c.Texts.CSATScore, "{score}") {
		if n := len([]rune(strings.ReplaceAll(c.Texts.CSATScore, "{score}", "5"))); n > MaxLabelRunes {
			t.errAt(path{"texts", "csat_score"}, "texts.csat_score is a quick-reply label: %d characters; Kakao allows %d", n, MaxLabelRunes)
		}
	} else {
		t.errAt(path{"texts", "csat_score"}, "texts.csat_score must contain {score}")
	}
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
