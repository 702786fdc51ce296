package configs

import (
	"os"
	"strings"
	"testing"
	"time"
)

func minimalWith(t *testing.T, extra string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + extra
}

func TestEventAPIValidation(t *testing.T) {
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"unknown kind", "event_api: {events: {lottery: 당첨 알림}}\n", `event_api.events: unknown kind "lottery"`},
		{"empty name", "event_api: {events: {reopen: \"\"}}\n", `event_api.events.reopen: the event name is empty`},
		{"shared name", "event_api: {events: {csat: 알림, reopen: 알림}}\n", `event_api.events.reopen: event name "알림" is also used by csat`},
		{"welcome block", "event_api: {events: {reopen: 웰컴 블록}}\n", `"웰컴 블록" is also a blocks.welcome name`},
		{"return block", "blocks: {returned: [상담 끝]}\nevent_api: {events: {csat: 상담 끝}}\n", `"상담 끝" is also a blocks.returned name`},
		{"plain http", "event_api: {base_url: \"http://bot-api.kakao.com\"}\n", `must use https`},
		{"price", "event_api: {won_per_message: 0}\n", `won_per_message must be more than 0`},
		{"rate", "event_api: {calls_per_second: -1}\n", `calls_per_second must be more than 0`},
		{"negative budget", "event_api: {daily_budget_won: -1}\n", `daily_budget_won must be 0 or more`},
		{"csat label without score", "texts: {csat_score: 점수}\n", `texts.csat_score must contain {score}`},
		{"csat label too long", "texts: {csat_score: \"{score}점 매우 만족스러웠어요 정말로\"}\n", `texts.csat_score is a quick-reply label`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := parseErrors(t, "eventapi.yaml", minimalWith(t, tc.extra))
			if !strings.Contains(errs.Error(), tc.want) {
				t.Fatalf("got %q, want an error containing %q", errs.Error(), tc.want)
			}
		})
	}
}

func TestEventAPIDefaults(t *testing.T) {
	cfg, err := Parse("eventapi.yaml", []byte(minimalWith(t, "event_api: {events: {reopen: 상담 재개 알림}, daily_budget_won: 1000}\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("loopback.yaml", []byte(minimalWith(t, "event_api: {base_url: \"http://127.0.0.1:9999\"}\n"))); err != nil {
		t.Fatalf("a loopback http test host: %v", err)
	}
	e := cfg.EventAPI
	if e.WonPerMessage != 15 || e.CallsPerSecond != 5 || e.StaleAfter.D() != 24*time.Hour || e.BaseURL != DefaultEventAPIBase {
		t.Fatalf("got %+v, want 15원, 5 calls/s, 24h, %s", e, DefaultEventAPIBase)
	}
	if e.EventAPIEnabled() {
		t.Fatal("enabled without a REST API key")
	}
	if cfg.Texts.CSATScore != "{score}점" || cfg.Texts.EventReopen == "" || cfg.Texts.CSATQuestion == "" {
		t.Fatalf("got texts %q %q %q, want the Korean defaults", cfg.Texts.CSATScore, cfg.Texts.EventReopen, cfg.Texts.CSATQuestion)
	}
}

// TestEventAPINamesTrimmed: an event name is validated trimmed, so it is
// also kept trimmed: Kakao runs the event block whose name matches exactly,
// and " 상담 재개 알림 " (quoted with spaces) used to pass validation and
// then be sent with its spaces, matching no block.
func TestEventAPINamesTrimmed(t *testing.T) {
	cfg, err := Parse("eventapi.yaml", []byte(minimalWith(t, "event_api: {events: {reopen: \" 상담 재개 알림 \"}}\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.EventAPI.Events["reopen"]; got != "상담 재개 알림" {
		t.Errorf("events.reopen: got %q, want %q", got, "상담 재개 알림")
	}
}
