package configs

import (
	"strings"
	"testing"
)

// A notify sink's url is a secret (a Slack webhook's path is its token:
// notify_id.go, secrets.go, urlOrigin); warnings reach serve's log at start
// and the reload history. An annotation "#cs-alerts" after the url (a Slack
// channel name) is warned about without the url (it was quoted whole).
func TestCommentCutWarningQuotesNoSecretURL(t *testing.T) {
	const hook = "https://hooks.slack.com/services/T0001/B0001/SeCrEtToKeN123"
	src := minimal(t) + "notify:\n  - kind: slack\n    url: " + hook + " #cs-alerts\n"
	cfg, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Notify[0].URL != hook {
		t.Fatalf("url %q", cfg.Notify[0].URL)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "SeCrEtToKeN123") {
			t.Errorf("warning prints the secret webhook url: %s", w.Error())
		}
	}
}

// The same for a dealer's secret followed by a "#prod" note.
func TestCommentCutWarningQuotesNoSecret(t *testing.T) {
	src := minimal(t) + "dealers:\n  happytalk:\n    url: https://dealer.example.com\n    secret: Zq8sN1vQ2xLk7Pw3 #prod\n"
	cfg, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "Zq8sN1vQ2xLk7Pw3") {
			t.Errorf("warning prints the dealer secret: %s", w.Error())
		}
	}
}

// Queue names may hold "-" (queueNameRE), so {hours.<queue>} may too, and
// it is checked as any placeholder: in a text that fills none (no_match),
// or with a typo, it is refused (an FAQ answer: a warning). placeholderRE
// stopped at "-", and such a text reached users as written.
func TestDashedQueuePlaceholderChecked(t *testing.T) {
	base := strings.Replace(minimal(t), "    general: {target: notify, hours: office}\n",
		"    general: {target: notify, hours: office}\n    vip-line: {target: notify, hours: office}\n", 1)
	for _, tc := range []struct{ name, extra string }{
		{"text that fills none", "texts:\n  no_match: \"상담 시간은 {hours.vip-line}이에요.\"\n"},
		{"typo in an hours text", "texts:\n  after_hours: \"지금은 닫았어요. 상담 시간: {hours.vip-lien}, 다음 {next}\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("x.yaml", []byte(base+tc.extra))
			if err == nil {
				t.Errorf("loaded without an error (warnings %v); users would see the placeholder as written: no_match=%q after_hours=%q",
					cfg.Warnings, cfg.Texts.NoMatch, cfg.Texts.AfterHours)
			}
		})
	}
	// FAQ answers: a typo of a dashed queue's placeholder is not even warned about.
	cfg, err := Parse("x.yaml", []byte(strings.Replace(base, "answer: 마이페이지 > 주문내역에서 확인하세요.", "answer: \"상담 시간: {hours.vip-lien}\"", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) == 0 {
		t.Errorf("FAQ answer with {hours.vip-lien} (a typo of {hours.vip-line}): no warning")
	}
}

// A shift that ends at midnight is commonly written "22:00-00:00". The
// error said to split it into "22:00-24:00" and "00:00-00:00" on the next
// day, but "00:00-00:00" is itself refused (empty window). It says to write
// "22:00-24:00".
func TestMidnightEndHint(t *testing.T) {
	_, err := ParseWindow("22:00-00:00")
	if err == nil {
		t.Fatal("want an error")
	}
	if _, err2 := ParseWindow("00:00-00:00"); err2 != nil && strings.Contains(err.Error(), `"00:00-00:00"`) {
		t.Errorf("ParseWindow(22:00-00:00) = %v\n  it tells the bot master to write \"00:00-00:00\", which is refused too: %v", err, err2)
	}
	if !strings.Contains(err.Error(), `"22:00-24:00"`) {
		t.Errorf("ParseWindow(22:00-00:00) = %v, want it to name \"22:00-24:00\"", err)
	}
}
