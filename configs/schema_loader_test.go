package configs

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// These tests keep baton.schema.json, which editors check a config with,
// in agreement with the loader, which decides: each case is a whole config
// file, loaded first to prove the loader's verdict, then validated against
// the schema, which must say the same. A schema that refuses what Baton
// loads marks a good config wrong in the editor; one that accepts what
// Baton refuses hides the mistake until baton validate.

// agreeCase is a whole config file and whether Baton loads it.
type agreeCase struct {
	name string
	src  string
	why  string // for a config Baton refuses: part of its error, proving why
}

// minimalReplace is minimal.yaml with old replaced by new (old must occur).
func minimalReplace(t *testing.T, old, new string) string {
	t.Helper()
	m := minimal(t)
	if !strings.Contains(m, old) {
		t.Fatalf("minimal.yaml has no %q", old)
	}
	return strings.Replace(m, old, new, 1)
}

// schemaAgrees checks that baton.schema.json and the loader agree on each
// case: wantLoad says what the loader is expected to do (checked first, so
// the test proves the loader's verdict), and the schema must say the same.
// Every ${VAR} is unset, so only its default (if any) is seen by the loader.
func schemaAgrees(t *testing.T, wantLoad bool, cases []agreeCase) {
	t.Helper()
	root := loadSchema(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, loadErr := ParseWith("x.yaml", []byte(c.src), Options{Env: func(string) (string, bool) { return "", false }})
			if (loadErr == nil) != wantLoad {
				t.Fatalf("precondition: Baton load error = %v, want load ok = %v", loadErr, wantLoad)
			}
			if loadErr != nil && !strings.Contains(loadErr.Error(), c.why) {
				t.Fatalf("precondition: Baton refuses for another reason: %v (want %q)", loadErr, c.why)
			}
			var doc any
			if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
				t.Fatal(err)
			}
			errs := schemaErrors(t, root, root, "config", doc)
			switch {
			case wantLoad && len(errs) > 0:
				t.Errorf("Baton loads this config but baton.schema.json flags it (the editor marks a valid config wrong):\n%s", strings.Join(errs, "\n"))
			case !wantLoad && len(errs) == 0:
				t.Errorf("Baton refuses this config (%v) but baton.schema.json accepts it (the editor shows no problem)", loadErr)
			}
		})
	}
}

// afterWeekly is minimal.yaml with lines added to the office hours.
func afterWeekly(t *testing.T, add string) string {
	t.Helper()
	const w = "      weekly: {mon-fri: [\"09:00-18:00\"]}\n"
	return minimalReplace(t, w, w+add)
}

// withFAQLink is minimal.yaml with a link under its FAQ entry.
func withFAQLink(t *testing.T, link string) string {
	t.Helper()
	const a = "    answer: 마이페이지 > 주문내역에서 확인하세요.\n"
	return minimalReplace(t, a, a+"    link: "+link+"\n")
}

// withIdle is minimal.yaml with handoff.one_on_one_idle set to v.
func withIdle(t *testing.T, v string) string {
	t.Helper()
	return minimalReplace(t, "handoff:\n", "handoff:\n  one_on_one_idle: "+v+"\n")
}

// $defs/duration_or_off, like ParseOffDuration, takes off or a duration
// above zero, and refuses a zero duration in any spelling.
func TestSchemaOneOnOneIdleZero(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"0s", withIdle(t, "0s"), `invalid duration "0s"`},
		{"0d", withIdle(t, "0d"), `invalid duration "0d"`},
		{"0.0h", withIdle(t, "0.0h"), `invalid duration "0.0h"`},
		{"0d0m", withIdle(t, "0d0m"), `invalid duration "0d0m"`},
	})
	schemaAgrees(t, true, []agreeCase{
		{"off", withIdle(t, `"off"`), ""},
		{"1d", withIdle(t, "1d"), ""},
		{"0d30m", withIdle(t, "0d30m"), ""},
		{".5h", withIdle(t, ".5h"), ""},
	})
}

// $defs/link requires label and url, as validateFAQ does; the url scheme
// is matched without regard to case, as CheckLinkURL does.
func TestSchemaLinkNeedsLabelAndURL(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"no label", withFAQLink(t, `{url: "https://www.example.com/orders"}`), "link has no label"},
		{"no url", withFAQLink(t, `{label: 주문내역}`), "link is empty"},
		{"space in url", withFAQLink(t, `{label: 주문내역, url: "https://www.example.com/my orders"}`), "contains whitespace"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"both", withFAQLink(t, `{label: 주문내역, url: "https://www.example.com/orders"}`), ""},
		{"upper-case scheme", withFAQLink(t, `{label: 주문내역, url: "HTTPS://WWW.EXAMPLE.COM/orders"}`), ""},
	})
}

// $defs/id refuses ids starting with @ or ~, which idProblem reserves for
// Baton's own nodes, for menus, options and FAQ entries.
func TestSchemaReservedIDPrefix(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"option id @", minimalReplace(t, "{id: track,", `{id: "@track",`), `starts with "@"`},
		{"faq id ~", strings.ReplaceAll(minimal(t), "ship-track", "~ship-track"), `starts with "~"`},
		{"menu id @", strings.ReplaceAll(minimal(t), "shipping", "\"@shipping\""), `starts with "@"`},
	})
	schemaAgrees(t, true, []agreeCase{
		{"@ inside", minimalReplace(t, "{id: track,", `{id: "track@2",`), ""},
	})
}

// $defs/option has exactly one action, counted as Option.actions counts
// them: a non-empty string or back/home true.
func TestSchemaOptionExactlyOneAction(t *testing.T) {
	const top = "{id: top, label: 처음으로, home: true}"
	schemaAgrees(t, false, []agreeCase{
		{"no action", minimalReplace(t, top, "{id: top, label: 처음으로}"), "has no action"},
		{"home false", minimalReplace(t, top, "{id: top, label: 처음으로, home: false}"), "has no action"},
		{"two actions", minimalReplace(t, top, "{id: top, label: 처음으로, home: true, goto: main}"), "has 2 actions"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"back false beside home", minimalReplace(t, top, "{id: top, label: 처음으로, home: true, back: false}"), ""},
		{"empty goto beside home", minimalReplace(t, top, `{id: top, label: 처음으로, goto: "", home: true}`), ""},
	})
}

// The texts Baton uses as button labels (validateTextLabels) are at most 14
// characters; texts.csat_score (validateEventAPI) must contain {score} and
// is at most 14 characters once {score} is replaced by the digit.
func TestSchemaTextLabelsMaxLength(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"home", minimalWith(t, "texts: {home: 처음 메뉴로 돌아가기 버튼입니다}\n"), "is a button label"},
		{"leave_message", minimalWith(t, "texts: {leave_message: 상담원에게 메시지를 남겨 주세요}\n"), "is a button label"},
		{"intake_skip", minimalWith(t, "texts: {intake_skip: 이 질문은 건너뛰고 다음으로 가기}\n"), "is a button label"},
		{"csat_score without {score}", minimalWith(t, "texts: {csat_score: 점}\n"), "must contain {score}"},
		{"csat_score too long", minimalWith(t, "texts: {csat_score: \"{score}점 - 아주 만족스러웠어요\"}\n"), "is a quick-reply label"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"home 14", minimalWith(t, "texts: {home: 처음으로 돌아가기 버튼}\n"), ""},
		{"csat_score 13 once filled", minimalWith(t, "texts: {csat_score: \"{score}점 - 아주 만족했어요\"}\n"), ""},
		{"csat_score twice", minimalWith(t, "texts: {csat_score: \"{score}점 ({score}/5)\"}\n"), ""},
	})
}

// event_api.events takes the four kinds validateEventAPI knows, each with
// a non-blank event name.
func TestSchemaEventKinds(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"typo", minimalWith(t, "event_api: {events: {reopn: 상담 재개 알림}}\n"), `unknown kind "reopn"`},
		{"blank name", minimalWith(t, "event_api: {events: {reopen: \" \"}}\n"), "the event name is empty"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"all four", minimalWith(t, "event_api: {events: {reopen: 상담 재개 알림, ticket_reply: 문의 답변, wait_timeout: 상담 대기 사과, csat: 상담 만족도}}\n"), ""},
	})
}

// $defs/hours checks weekly and exceptions keys, holidays items and
// $defs/windows items as validateHours, ParseDays, CheckDate and
// ParseWindow do.
func TestSchemaHoursShapes(t *testing.T) {
	const weekly = `{mon-fri: ["09:00-18:00"]}`
	schemaAgrees(t, false, []agreeCase{
		{"weekly day name", minimalReplace(t, "mon-fri:", "monday:"), `day "monday" must be`},
		{"weekly range backwards", minimalReplace(t, "mon-fri:", "fri-mon:"), `day range "fri-mon" runs backwards`},
		{"exception date", afterWeekly(t, "      exceptions: {\"12/24\": []}\n"), "must be YYYY-MM-DD"},
		{"exception 29 Feb of a common year", afterWeekly(t, "      exceptions: {\"2026-02-29\": []}\n"), "2026-02 has 28 days"},
		{"holiday calendar", afterWeekly(t, "      holidays: [KR]\n"), `holiday calendar "KR" must be a name`},
		{"window 25:00", minimalReplace(t, "09:00-18:00", "09:00-25:00"), "must be HH:MM-HH:MM"},
		{"window 24:30", minimalReplace(t, "09:00-18:00", "09:00-24:30"), "must be HH:MM-HH:MM"},
		{"window 09:60", minimalReplace(t, "09:00-18:00", "09:60-18:00"), "must be HH:MM-HH:MM"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"weekly case and list", minimalReplace(t, weekly, `{Mon-Fri: ["09:00-18:00"], "sat, SUN": ["10:00-24:00"]}`), ""},
		{"exception 29 Feb of a leap year", afterWeekly(t, "      exceptions: {\"2028-02-29\": []}\n"), ""},
		{"holiday calendar from env", afterWeekly(t, "      holidays: [\"${BATON_HOLIDAYS:-kr}\"]\n"), ""},
		{"window to midnight", minimalReplace(t, "09:00-18:00", "00:00-24:00"), ""},
	})
}

// dealers names are [a-z0-9_-]+, as validateEndpoints wants.
func TestSchemaDealerName(t *testing.T) {
	const dealer = ": {url: \"https://dealer.example.com\", secret: \"Zq8sN1vQ2xLk7Pw3Zq8sN1vQ2xLk7Pw3\"}}\n"
	schemaAgrees(t, false, []agreeCase{
		{"uppercase dealer", minimalWith(t, "dealers: {HappyTalk"+dealer), `dealer name "HappyTalk" must use only`},
	})
	schemaAgrees(t, true, []agreeCase{
		{"slug", minimalWith(t, "dealers: {happy_talk-2"+dealer), ""},
	})
}

// callback.hosts items are bare host names (comma lists allowed), as
// validateEndpoints wants after splitHosts.
func TestSchemaCallbackHost(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"url", minimalWith(t, "callback: {hosts: [\"https://bot-api.kakao.com\"]}\n"), "must be a bare host name"},
		{"port", minimalWith(t, "callback: {hosts: [\"bot-api.kakao.com:443\"]}\n"), "must be a bare host name"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"comma list", minimalWith(t, "callback: {hosts: [\"bot-api.kakao.com, ai.example.com\"]}\n"), ""},
		{"env", minimalWith(t, "callback: {hosts: [\"${BATON_CALLBACK_HOSTS:-bot-api.kakao.com}\"]}\n"), ""},
	})
}

// $defs/option link is an absolute http(s) URL, as FAQ links are
// (CheckLinkURL for both).
func TestSchemaOptionLinkURL(t *testing.T) {
	const top = "{id: top, label: 처음으로, home: true}"
	schemaAgrees(t, false, []agreeCase{
		{"no scheme", minimalReplace(t, top, "{id: web, label: 홈페이지, link: www.example.com}"), "is not an absolute http(s) URL"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"https", minimalReplace(t, top, "{id: web, label: 홈페이지, link: \"https://www.example.com\"}"), ""},
	})
}

// $defs/notify refuses pii: true on a slack sink, as validateEndpoints does.
func TestSchemaSlackPII(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"slack pii", minimalWith(t, "notify: [{kind: slack, url: \"https://hooks.slack.com/services/x\", pii: true}]\n"), "a slack sink cannot have pii: true"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"slack no pii", minimalWith(t, "notify: [{kind: slack, url: \"https://hooks.slack.com/services/x\", pii: false}]\n"), ""},
		{"webhook pii", minimalWith(t, "notify: [{kind: webhook, url: \"https://hooks.example.com/x\", secret: \"Zq8sN1vQ2xLk7Pw3Zq8sN1vQ2xLk7Pw3\", pii: true}]\n"), ""},
	})
}

// retention periods are at least 1d (MinRetention); zero takes the default.
func TestSchemaRetentionMin(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"12h", minimalWith(t, "retention: {contacts: 12h}\n"), "keep records at least 1d"},
		{"90m", minimalWith(t, "retention: {turns: 90m}\n"), "keep records at least 1d"},
		{"23h59m", minimalWith(t, "retention: {outbox: 23h59m}\n"), "keep records at least 1d"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"1d", minimalWith(t, "retention: {outbox: 1d}\n"), ""},
		{"24h", minimalWith(t, "retention: {outbox: 24h}\n"), ""},
		{"1440m", minimalWith(t, "retention: {outbox: 1440m}\n"), ""},
		{"2160h", minimalWith(t, "retention: {turns: 2160h}\n"), ""},
		{"0s default", minimalWith(t, "retention: {outbox: 0s}\n"), ""},
	})
}

// server.hard_deadline is at most MaxHardDeadline (4.5s); zero takes the
// default.
func TestSchemaHardDeadlineMax(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"5s", minimalWith(t, "server: {hard_deadline: 5s}\n"), "must be at most 4.5s"},
		{"4.6s", minimalWith(t, "server: {hard_deadline: 4.6s}\n"), "must be at most 4.5s"},
		{"4501ms", minimalWith(t, "server: {hard_deadline: 4501ms}\n"), "must be at most 4.5s"},
		{"1m", minimalWith(t, "server: {hard_deadline: 1m}\n"), "must be at most 4.5s"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"4.5s", minimalWith(t, "server: {hard_deadline: 4.5s}\n"), ""},
		{"4500ms", minimalWith(t, "server: {hard_deadline: 4500ms}\n"), ""},
		{"4s500ms", minimalWith(t, "server: {hard_deadline: 4s500ms}\n"), ""},
		{"0s default", minimalWith(t, "server: {hard_deadline: 0s}\n"), ""},
	})
}

// kakao.token_header is an HTTP header name (validateTokens); empty takes
// the default.
func TestSchemaTokenHeader(t *testing.T) {
	schemaAgrees(t, false, []agreeCase{
		{"space", minimalWith(t, "kakao: {token_header: X Baton Token}\n"), "is not an HTTP header name"},
		{"hangul", minimalWith(t, "kakao: {token_header: 토큰}\n"), "is not an HTTP header name"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"token chars", minimalWith(t, "kakao: {token_header: X-Api_Key.v2}\n"), ""},
		{"empty default", minimalWith(t, "kakao: {token_header: \"\"}\n"), ""},
		{"env", minimalWith(t, "kakao: {token_header: \"${BATON_TOKEN_HEADER:-X-Baton-Token}\"}\n"), ""},
	})
}

// escalation needs a queue once keywords or complaints are set, faq_misses
// is 1 or more or confirm is true (validateEscalation).
func TestSchemaEscalationNeedsQueue(t *testing.T) {
	const esc = "escalation: {queue: general, keywords: [상담원]}"
	schemaAgrees(t, false, []agreeCase{
		{"keywords without queue", minimalReplace(t, esc, "escalation: {keywords: [상담원]}"), "escalation has no queue"},
		{"complaints without queue", minimalReplace(t, esc, "escalation: {complaints: [최악]}"), "escalation has no queue"},
		{"faq_misses without queue", minimalReplace(t, esc, "escalation: {faq_misses: 1}"), "escalation has no queue"},
		{"confirm with empty queue", minimalReplace(t, esc, "escalation: {queue: \"\", confirm: true}"), "escalation has no queue"},
	})
	schemaAgrees(t, true, []agreeCase{
		{"all off", minimalReplace(t, esc, "escalation: {keywords: [], faq_misses: 0, confirm: false}"), ""},
	})
}

// Baton expands ${VAR} and ${VAR:-default} in string values before it
// validates them, so every enum or pattern of a string value also accepts a
// value holding such a reference (the schema cannot know what it expands to).
func TestSchemaEnvInPatternedStrings(t *testing.T) {
	schemaAgrees(t, true, []agreeCase{
		{"faq link url", withFAQLink(t, `{label: 주문내역, url: "${SHOP_URL:-https://www.example.com}/orders"}`), ""},
		{"consultation", minimalWith(t, "kakao: {consultation: \"${BATON_CONSULTATION:-one_on_one}\"}\n"), ""},
		{"queue target", minimalReplace(t, "{target: notify,", "{target: \"${GENERAL_TARGET:-notify}\","), ""},
		{"notify kind", minimalWith(t, "notify: [{kind: \"${SINK_KIND:-webhook}\", url: \"https://hooks.example.com/x\"}]\n"), ""},
		{"notify id", minimalWith(t, "notify: [{id: \"${SINK_ID:-ops}\", kind: webhook, url: \"https://hooks.example.com/x\"}]\n"), ""},
		{"window", minimalReplace(t, `"09:00-18:00"`, `"${OFFICE_HOURS:-09:00-18:00}"`), ""},
	})
	// $$ is a literal dollar: "$${X}" is the text "${X}", judged as written.
	schemaAgrees(t, false, []agreeCase{
		{"escaped dollar", minimalWith(t, "kakao: {consultation: \"$${BATON_CONSULTATION}\"}\n"), "consultation must be one_on_one or sangdamtalk"},
	})
}

// $defs/duration takes what ParseDuration takes: time.ParseDuration's forms
// (".5h", "1.h") after an optional day count.
func TestSchemaDurationForms(t *testing.T) {
	schemaAgrees(t, true, []agreeCase{
		{".5h", minimalWith(t, "session_idle: .5h\n"), ""},
		{"1d.5h", minimalWith(t, "session_idle: 1d.5h\n"), ""},
		{"1.h", minimalWith(t, "session_idle: 1.h\n"), ""},
		{"Greek mu", minimalWith(t, "session_idle: 1h5000000μs\n"), ""},
	})
	schemaAgrees(t, false, []agreeCase{
		{"day after hours", minimalWith(t, "session_idle: 1h1d\n"), `invalid duration "1h1d"`},
		{"negative", minimalWith(t, "session_idle: -5m\n"), `invalid duration "-5m"`},
		{"no unit", minimalWith(t, "session_idle: \"5\"\n"), `invalid duration "5"`},
	})
}

// schemaAt returns the schema at a slash-separated path of keys from the
// root ("$defs/duration", "properties/server/properties/hard_deadline").
func schemaAt(t *testing.T, root map[string]any, at string) map[string]any {
	t.Helper()
	s := root
	for _, k := range strings.Split(at, "/") {
		next, ok := s[k].(map[string]any)
		if !ok {
			t.Fatalf("baton.schema.json has no %s (at %q)", at, k)
		}
		s = next
	}
	return s
}

// sample is a string the loader judges by itself; schemaDiffers, when set,
// says why the schema cannot judge it the same (a rule a pattern cannot
// express).
type sample struct {
	in            string
	schemaDiffers string
}

// TestSchemaPatternsMatchLoader holds each patterned schema of a single
// value beside the loader function that judges it, over the forms a bot
// master may write: they agree except where a case says why they cannot.
func TestSchemaPatternsMatchLoader(t *testing.T) {
	root := loadSchema(t)
	durations := []sample{
		{in: "30m"}, {in: "90s"}, {in: "12h"}, {in: "90d"}, {in: "1d12h"}, {in: "0d"}, {in: "0s"}, {in: "0"},
		{in: "1d0"}, {in: "1.5h"}, {in: ".5h"}, {in: "1.h"}, {in: "1d.5h"}, {in: "2h45m30.5s"}, {in: "300ms"},
		{in: "10us"}, {in: "10µs"}, {in: "10μs"}, {in: "10ns"}, {in: "0.0h"}, {in: "0d0m"}, {in: "00d00s"}, {in: ".0s"},
		{in: "24h"}, {in: "23h59m"}, {in: "1440m"}, {in: "1439m"}, {in: "86400s"}, {in: "86399s"}, {in: "2160h"},
		{in: "4.5s"}, {in: "4.50s"}, {in: "4.51s"}, {in: "4500ms"}, {in: "4501ms"}, {in: "4s500ms"}, {in: "4s501ms"},
		{in: "3s999ms"}, {in: "5s"}, {in: "1m"}, {in: "3s"},
		{in: ""}, {in: "d"}, {in: "5"}, {in: "."}, {in: ".h"}, {in: "1h1d"}, {in: "1dd"}, {in: "-5m"}, {in: "1 h"},
		{in: "30 minutes"}, {in: "1w"}, {in: "1D"}, {in: "off"}, {in: "${SESSION_IDLE:-30m}"},
	}
	parses := func(s string) (Duration, bool) { d, err := ParseDuration(s); return d, err == nil && s != "" }
	check := func(name, at string, samples []sample, loader func(string) bool, extra ...sample) {
		t.Run(name, func(t *testing.T) {
			s := schemaAt(t, root, at)
			for _, c := range append(samples, extra...) {
				schemaOK := len(schemaErrors(t, root, s, name, c.in)) == 0
				loaderOK := loader(c.in)
				switch {
				case c.schemaDiffers == "" && schemaOK != loaderOK:
					t.Errorf("%q: the loader accepts it: %v, the schema: %v", c.in, loaderOK, schemaOK)
				case c.schemaDiffers != "" && schemaOK == loaderOK:
					t.Errorf("%q: listed as judged otherwise by the schema (%s), but both say %v", c.in, c.schemaDiffers, loaderOK)
				}
			}
		})
	}
	// Edge cases of time.ParseDuration that the patterns leave out: a sign
	// and blanks around the value.
	signed := []sample{
		{in: "+5m", schemaDiffers: "a sign"}, {in: "-0s", schemaDiffers: "a sign"}, {in: " 30m", schemaDiffers: "blanks around"},
	}
	check("duration", "$defs/duration", durations, func(s string) bool { _, ok := parses(s); return ok }, signed...)
	check("duration_or_off", "$defs/duration_or_off", durations, func(s string) bool {
		_, err := ParseOffDuration(s)
		return err == nil && s != ""
	}, sample{in: "+5m", schemaDiffers: "a sign"})
	check("retention", "$defs/retention", durations, func(s string) bool {
		d, ok := parses(s)
		return ok && (d == 0 || d.D() >= MinRetention)
	}, sample{in: "23h60m", schemaDiffers: "a day only in the sum of its parts"},
		sample{in: "12h12h", schemaDiffers: "a day only in the sum of its parts"})
	check("hard_deadline", "properties/server/properties/hard_deadline", durations, func(s string) bool {
		d, ok := parses(s)
		return ok && d.D() <= MaxHardDeadline
	}, sample{in: "1s3500ms", schemaDiffers: "milliseconds past a second"},
		sample{in: "4000000us", schemaDiffers: "micro- and nanoseconds"})

	check("weekly day", "$defs/hours/properties/weekly/propertyNames", []sample{
		{in: "mon"}, {in: "sun"}, {in: "mon-fri"}, {in: "mon-mon"}, {in: "sat-sun"}, {in: "Mon-Fri"}, {in: "SAT"},
		{in: "sat,sun"}, {in: "sat, sun"}, {in: " mon - fri"}, {in: "mon,wed,fri"}, {in: "mon-wed,fri-sun"},
		{in: "fri-mon"}, {in: "sun-mon"}, {in: "monday"}, {in: "mon-"}, {in: "mon-tue-wed"}, {in: "mon,,tue"}, {in: ""},
		{in: "월"}, {in: "weekdays"},
	}, func(s string) bool { _, err := ParseDays(s); return err == nil })
	check("exception date", "$defs/hours/properties/exceptions/propertyNames", []sample{
		{in: "2026-12-24"}, {in: "2026-01-31"}, {in: "2026-04-30"}, {in: "2026-04-31"}, {in: "2026-02-28"},
		{in: "2026-02-29"}, {in: "2028-02-29"}, {in: "2100-02-29"}, {in: "2000-02-29"}, {in: "2026-13-01"},
		{in: "2026-00-10"}, {in: "2026-01-00"}, {in: "2026-1-5"}, {in: "12/24"}, {in: "20261224"}, {in: ""},
	}, func(s string) bool { return CheckDate(s) == nil })
	check("window", "$defs/windows/items", []sample{
		{in: "09:00-18:00"}, {in: "00:00-24:00"}, {in: "23:59-24:00"}, {in: " 09:00-18:00 "}, {in: "09:00-24:01"},
		{in: "09:00-25:00"}, {in: "24:00-24:00"}, {in: "09:60-18:00"}, {in: "9:00-18:00"}, {in: "09:00~18:00"},
		{in: "09:00 - 18:00"}, {in: ""}, {in: "${OFFICE_HOURS:-09:00-18:00}"},
		{in: "18:00-09:00", schemaDiffers: "the start after the end"},
		{in: "09:00-09:00", schemaDiffers: "an empty window"},
	}, func(s string) bool {
		if strings.Contains(s, "${") {
			return true // expanded before ParseWindow
		}
		_, err := ParseWindow(s)
		return err == nil
	})
	check("token_header", "properties/kakao/properties/token_header", []sample{
		{in: "X-Baton-Token"}, {in: "x_api.key"}, {in: "!#$%&'*+-.^_`|~"}, {in: ""}, {in: "X Baton Token"},
		{in: "X-Token:"}, {in: "토큰"}, {in: "X/Token"}, {in: "${BATON_TOKEN_HEADER:-X-Baton-Token}"},
	}, func(s string) bool { return s == "" || strings.Contains(s, "${") || isHeaderName(s) })
	check("link url", "$defs/linkURL", []sample{
		{in: "https://www.example.com"}, {in: "http://example.com/a?b=c#d"}, {in: "HTTPS://EXAMPLE.COM"},
		{in: "https://"}, {in: "https:///path"}, {in: "www.example.com"}, {in: "ftp://example.com"},
		{in: "https://example.com/a b"}, {in: "https://example.com/\t"}, {in: "mailto:a@example.com"}, {in: ""},
		{in: "https://example.com/" + strings.Repeat("a", 2100)}, {in: "${SHOP_URL:-https://www.example.com}/orders"},
		{in: "https://example.com/%zz", schemaDiffers: "a URL that does not parse"},
	}, func(s string) bool { return strings.Contains(s, "${") || CheckLinkURL(s) == nil })
	check("callback host", "properties/callback/properties/hosts/items", []sample{
		{in: "bot-api.kakao.com"}, {in: "bot-api.kakao.com, ai.example.com"}, {in: "a.example.com,"}, {in: ""},
		{in: "https://bot-api.kakao.com"}, {in: "bot-api.kakao.com:443"}, {in: "user@host"}, {in: "bot api.kakao.com"},
		{in: "${BATON_CALLBACK_HOSTS:-bot-api.kakao.com}"},
	}, func(s string) bool {
		if strings.Contains(s, "${") {
			return true
		}
		for _, h := range splitHosts([]string{s}) {
			if strings.ContainsAny(h, "/:@ ") {
				return false
			}
		}
		return true
	})
	check("id", "$defs/id", []sample{
		{in: "main"}, {in: "ship-track"}, {in: "track@2"}, {in: "@track"}, {in: "~track"}, {in: ""}, {in: "waiting"},
		{in: "after_hours"},
	}, func(s string) bool { return idProblem(s) == "" })
	csat := func(s string) bool {
		return s == "" || strings.Contains(s, "${") || strings.Contains(s, "{score}") &&
			utf8.RuneCountInString(strings.ReplaceAll(s, "{score}", "5")) <= MaxLabelRunes
	}
	check("csat_score", "properties/texts/properties/csat_score", []sample{
		{in: ""}, {in: "{score}점"}, {in: "점"}, {in: "{score}점 - 아주 만족했어요"}, {in: "{score}점 - 아주 만족스러웠어요"},
		{in: "{score}점 ({score}/5)"}, {in: "{score}/{score}/{score}/{score}"},
		{in: "{score}{score}{score}{score}{score}{score}", schemaDiffers: "more than three {score}"},
	}, csat)
}

// TestSchemaRefsHaveNoSiblingAssertions: schemaErrors follows a $ref and
// ignores what sits beside it, so beside a $ref the schema holds only
// annotations (description, default); an assertion there would go untested.
func TestSchemaRefsHaveNoSiblingAssertions(t *testing.T) {
	root := loadSchema(t)
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["$ref"]; ok {
				for k := range v {
					if k != "$ref" && k != "description" && k != "default" {
						t.Errorf("%s: %q beside $ref", at, k)
					}
				}
			}
			for k, sub := range v {
				walk(at+"/"+k, sub)
			}
		case []any:
			for i, sub := range v {
				walk(fmt.Sprintf("%s/%d", at, i), sub)
			}
		}
	}
	walk("#", root)
}
