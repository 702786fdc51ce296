package configs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parseErrors parses src as name and returns the Errors, failing the test
// when the config loads or the error is of another kind.
func parseErrors(t *testing.T, name, src string) Errors {
	t.Helper()
	_, err := Parse(name, []byte(src))
	if err == nil {
		t.Fatalf("Parse(%s) succeeded, want errors", name)
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse(%s) error %T %v, want Errors", name, err, err)
	}
	return errs
}

func TestInvalidFixtures(t *testing.T) {
	tests := []struct {
		file string
		want string // exact "file:line:col: " plus the start of the message
	}{
		{"unknown_key", `11:5: unknown key "optons" in menu "shipping" (did you mean "options"?)`},
		{"unknown_top_key", `2:1: unknown key "welcom" at the top level (did you mean "welcome"?)`},
		{"wrong_type", `18:59: key "faq_misses" in escalation must be a whole number, not "two"`},
		{"wrong_type_list", `18:40: key "keywords" in escalation must be a list, not "상담원"`},
		{"duplicate_key", `11:5: duplicate key "text" (first defined at line 10)`},
		{"duplicate_menu", `9:3: duplicate key "main" (first defined at line 4)`},
		{"bad_duration", `2:15: invalid duration "30 minutes"`},
		{"bad_duration_number", `18:15: invalid duration "30" (a number needs a unit`},
		{"dangling_goto", `12:41: option "track" in menu "shipping": goto "trackng": no such menu`},
		{"dangling_faq", `12:40: option "track" in menu "shipping": faq "ship-trak": no FAQ entry has this id`},
		{"dangling_handoff", `8:45: option "agent" in menu "main": handoff "genral": no such queue`},
		{"dangling_welcome_menu", `2:30: welcome.menu "start": no such menu`},
		{"dangling_block_goto", `4:19: block "배송 블록": goto "tracking": no such menu`},
		{"block_two_actions", `4:29: block "배송 블록" has 2 actions (goto, faq)`},
		{"unreachable_menu", `9:3: menu "shipping" is unreachable`},
		{"duplicate_option_id", `13:14: duplicate option id "track" in menu "shipping"`},
		{"duplicate_faq_id", `18:9: duplicate FAQ id "ship-track"`},
		{"state_menu_id", `9:3: menu id "waiting" is a conversation state name`},
		{"state_option_id", `13:14: option "human" in menu "shipping": id "human" is a conversation state name`},
		{"state_faq_id", `15:9: FAQ "confirm": id "confirm" is a conversation state name`},
		{"label_too_long", `12:28: option "track" in menu "shipping": label "배송 조회 및 배송지 변경 안내" is 17 characters; Kakao allows 14`},
		{"two_actions", `13:44: option "top" in menu "shipping" has 2 actions (back, home)`},
		{"no_action", `13:9: option "top" in menu "shipping" has no action`},
		{"escalation_without_queue", `18:1: escalation has no queue`},
		{"escalation_unknown_queue", `18:21: escalation queue "vip": no such queue`},
		{"bad_queue_name", `21:5: queue name "General" must use only a-z, 0-9, _ and -`},
		{"unknown_dealer", `21:23: queue "general": target "dealer:happytalk": no dealer "happytalk"`},
		{"one_on_one_dealer", `21:23: queue "general": target "dealer:happytalk" is a 상담톡 dealer, but kakao.consultation is "one_on_one": the operator button opens the channel's 1:1 chat`},
		{"bad_target", `21:23: queue "general": target must be "notify" or "dealer:<name>"`},
		{"sangdamtalk_without_dealer", `2:23: consultation "sangdamtalk" needs a dealer`},
		{"bad_consultation", `2:23: consultation must be one_on_one or sangdamtalk, not "kakaotalk"`},
		{"bad_url", `13:38: option "web" in menu "shipping" link "www.sample-mall.co.kr" is not an absolute http(s) URL: write "https://www.sample-mall.co.kr"`},
		{"slack_pii", `27:71: a slack sink cannot have pii: true`},
		{"bad_notify_kind", `27:12: notify kind must be webhook or slack, not "email"`},
		{"bad_hours_window", `25:26: window "18:00-09:00" ends before it starts: a shift past midnight is two windows, "18:00-24:00" on that day and "00:00-09:00" on the next`},
		{"bad_hours_day", `25:16: day "mon-fry" must be mon, tue`},
		{"bad_timezone", `24:17: unknown timezone "Asia/Busan"`},
		{"bad_exception_date", `26:20: exception date "2026-13-01" is not a date: the month must be 01 to 12`},
		{"malformed_env", `3:21: unterminated ${`},
		{"soft_after_hard", `2:25: soft_deadline (3s) must be shorter than hard_deadline (2s)`},
		{"hard_too_long", `2:25: hard_deadline (5s) must be at most 4.5s`},
		{"rate_limit_zero", `2:30: rate_limit turns must be positive, not 0`},
		{"empty_question", `17:15: FAQ "ship-track" has no question: add question: with the question as a user would ask it`},
		{"empty_label", `8:27: option "ship" in menu "main" has no label: add label: with the button text (at most 14 characters)`},
		{"empty_answer", `17:13: FAQ "ship-track" has no answer: add answer: with the text the bot replies (at most 1000 characters)`},
		{"answer_too_long", `17:13: FAQ "ship-track" answer is 1001 characters; the limit is 1000`},
		{"empty_menu_text", `10:11: menu "shipping" has no text`},
		{"menu_duplicate_label", `13:26: menu "shipping": option 2 has the label "자세히 보기" of option 1: a user cannot tell them apart and only the first is offered`},
		{"option_blank_text", `13:37: option "note" in menu "shipping": text is blank`},
		{"too_many_options", `11:5: menu "shipping" has 52 options; at most 50`},
		{"syntax_error", `11:4: YAML syntax error:`},
		{"two_documents", `26:1: only one YAML document is allowed`},
		{"text_label_too_long", `3:16: texts.confirm_yes "네, 상담원과 연결해 주시면 좋겠어요" is a button label: 20 characters; Kakao allows 14`},
		{"menu_no_options", `10:3: menu "empty" has no options`},
		{"menu_bad_category", `11:15: menu "shipping": category "shiping": no FAQ entry has this category`},
		{"reserved_prefix_id", `13:14: option "~top" in menu "shipping": id "~top" starts with "~"`},
		{"intake_bad_name", `25:18: queue "general": intake field name "Order" must use only a-z, 0-9 and _`},
		{"intake_duplicate_name", `26:18: queue "general": intake field "order" is already field 1`},
		{"intake_no_prompt", `25:11: queue "general": intake field 1 has no prompt`},
		{"intake_bad_pattern", "25:56: queue \"general\": intake pattern \"[0-9+\" does not compile: error parsing regexp: missing closing ]: `[0-9+`"},
		{"intake_pattern_unanchorable", "25:56: queue \"general\": intake pattern \"\\\\QA-\" does not compile as a whole-answer match"},
		{"intake_prompt_too_long", `26:19: queue "general": intake prompt is 401 characters; the limit is 400`},
		{"intake_too_many", `28:11: queue "general": 4 intake fields; at most 3 are allowed`},
	}
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("got %d fixtures in testdata/invalid, want %d (one table row each)", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			name := "testdata/invalid/" + tt.file + ".yaml"
			cfg, err := Load(name)
			if err == nil {
				t.Fatalf("Load(%s) = %v, nil; want an error", name, cfg)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load(%s) error %T %v, want Errors", name, err, err)
			}
			if len(errs) != 1 {
				t.Errorf("got %d errors, want exactly 1:\n%v", len(errs), errs)
			}
			want := name + ":" + tt.want
			if got := errs[0].Error(); !strings.HasPrefix(got, want) {
				t.Errorf("got  %s\nwant %s…", got, want)
			}
			if strings.Contains(err.Error(), "\n") != (len(errs) > 1) {
				t.Errorf("Error() = %q: want one line per error", err.Error())
			}
		})
	}
}

func TestMinimalIsValid(t *testing.T) {
	if _, err := Load("testdata/valid/minimal.yaml"); err != nil {
		t.Fatalf("Load(minimal) = %v, want nil: every invalid fixture builds on it", err)
	}
}

func TestAllErrorsReported(t *testing.T) {
	src := `menus:
  main:
    text: hi
    options:
      - {id: a, label: 가, goto: nowhere}
      - {id: a, label: 나, faq: none}
  lost:
    text: nobody comes here
    options:
      - {id: x, label: 다, home: true}
faq:
  - {id: bot, question: q, answer: a}
`
	errs := parseErrors(t, "multi.yaml", src)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`multi.yaml:5:33: option "a" in menu "main": goto "nowhere": no such menu`,
		`multi.yaml:6:14: duplicate option id "a" in menu "main" (first used by option 1)`,
		`multi.yaml:6:32: option "a" in menu "main": faq "none": no FAQ entry has this id`,
		`multi.yaml:7:3: menu "lost" is unreachable: no goto leads to it from menu "main"`,
		`multi.yaml:12:10: FAQ "bot": id "bot" is a conversation state name (bot, confirm, waiting, human, after_hours); choose another`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestLoadExample(t *testing.T) {
	const file = "example.yaml"
	cfg, err := Load(file)
	if err != nil {
		t.Fatalf("Load(%s): %v", file, err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:])[:8]; cfg.Version != want {
		t.Errorf("got Version %q, want %q", cfg.Version, want)
	}
	if cfg.Path != file {
		t.Errorf("got Path %q, want %q", cfg.Path, file)
	}
	if n := len(cfg.FAQ); n < 30 {
		t.Errorf("got %d FAQ entries, want at least 30", n)
	}
	cats := map[string]bool{}
	for _, e := range cfg.FAQ {
		cats[e.Category] = true
		if n := len(e.Alternates); n < 1 || n > 5 {
			t.Errorf("FAQ %q has %d alternates, want 1-5", e.ID, n)
		}
		if e.Category == "" {
			t.Errorf("FAQ %q has no category", e.ID)
		}
	}
	if len(cats) < 6 {
		t.Errorf("got %d FAQ categories, want at least 6", len(cats))
	}
	if d := menuDepth(cfg, cfg.Welcome.Menu, map[string]bool{}); d < 3 {
		t.Errorf("got menu depth %d, want at least 3", d)
	}
	if got, want := cfg.Kakao.Consultation, "one_on_one"; got != want {
		t.Errorf("got consultation %q, want %q", got, want)
	}
	// one_on_one: every queue targets notify; the dealers section waits for 상담톡.
	if got, want := cfg.Handoff.Queues["vip"].Target, "notify"; got != want {
		t.Errorf("got vip target %q, want %q", got, want)
	}
	// vip asks for an order number before its handoff opens.
	wantIntake := []IntakeField{{Name: "order", Prompt: "빠른 확인을 위해 주문번호를 알려주세요. 없으면 '건너뛰기'를 눌러 주세요.",
		Pattern: "[A-Za-z0-9-]{4,20}", Optional: true}}
	if diff := cmp.Diff(wantIntake, cfg.Handoff.Queues["vip"].Intake); diff != "" {
		t.Errorf("vip intake (-want +got):\n%s", diff)
	}
	// Texts the example does not set take the defaults.
	if got, want := cfg.Texts.Home, DefaultTexts().Home; got != want {
		t.Errorf("got Texts.Home %q, want default %q", got, want)
	}
}

// menuDepth is the longest goto chain from name without revisiting a menu.
func menuDepth(c *Config, name string, seen map[string]bool) int {
	m, ok := c.Menus[name]
	if !ok || seen[name] {
		return 0
	}
	seen[name] = true
	defer delete(seen, name)
	best := 0
	for _, o := range m.Options {
		if o.Goto != "" {
			best = max(best, menuDepth(c, o.Goto, seen))
		}
	}
	return best + 1
}

func TestDefaults(t *testing.T) {
	for _, k := range []string{"BATON_SKILL_TOKEN", "BATON_SKILL_TEST_TOKEN"} {
		t.Setenv(k, "")
	}
	cfg, err := Load("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	checks := []struct {
		name      string
		got, want any
	}{
		{"consultation", cfg.Kakao.Consultation, "one_on_one"},
		{"token_header", cfg.Kakao.TokenHeader, "X-Baton-Token"},
		{"tokens", len(cfg.Kakao.Tokens), 0},
		{"soft_deadline", cfg.Server.SoftDeadline.D(), 2500 * time.Millisecond},
		{"hard_deadline", cfg.Server.HardDeadline.D(), 3 * time.Second},
		{"rate turns", cfg.Server.RateLimit.Turns, 10},
		{"rate per", cfg.Server.RateLimit.Per.D(), 10 * time.Second},
		{"rate burst", cfg.Server.RateLimit.Burst, 5},
		{"session_idle", cfg.SessionIdle.D(), 30 * time.Minute},
		{"rewelcome_after", cfg.Welcome.RewelcomeAfter.D(), 30 * day},
		{"faq_misses", cfg.Escalation.FAQMisses, 2},
		{"wait dealer", cfg.Handoff.WaitTimeout.Dealer.D(), 10 * time.Minute},
		{"wait notify", cfg.Handoff.WaitTimeout.Notify.D(), 30 * time.Minute},
		{"return_gap", cfg.Handoff.ReturnGap.D(), 10 * time.Minute},
		{"retention turns", cfg.Retention.Turns.D(), 90 * day},
		{"retention handoffs", cfg.Retention.Handoffs.D(), 90 * day},
		{"retention tickets", cfg.Retention.Tickets.D(), 365 * day},
		{"retention contacts", cfg.Retention.Contacts.D(), 30 * day},
		{"retention access_log", cfg.Retention.AccessLog.D(), 400 * day},
		{"event_api base_url", cfg.EventAPI.BaseURL, "https://bot-api.kakao.com"},
		{"callback hosts", strings.Join(cfg.Callback.Hosts, ","), "bot-api.kakao.com"},
		{"blocks welcome", strings.Join(cfg.Blocks.Welcome, ","), "웰컴 블록"},
		{"blocks fallback", strings.Join(cfg.Blocks.Fallback, ","), "폴백 블록"},
		{"blocks returned", strings.Join(cfg.Blocks.Returned, ","), "상담 종료"},
		{"texts", cfg.Texts, DefaultTexts()},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", c.name, diff)
		}
	}
}

func TestExplicitZeroFAQMissesKept(t *testing.T) {
	src := minimal(t)
	src = strings.Replace(src, "escalation: {queue: general, keywords: [상담원]}",
		"escalation: {queue: general, keywords: [상담원], faq_misses: 0}", 1)
	cfg, err := Parse("zero.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Escalation.FAQMisses != 0 {
		t.Errorf("got faq_misses %d, want 0 (explicitly off)", cfg.Escalation.FAQMisses)
	}
}

// minimal returns the valid minimal fixture's text.
func minimal(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want an error wrapping fs.ErrNotExist", err)
	}
	var errs Errors
	if errors.As(err, &errs) {
		t.Errorf("got Errors %v for an unreadable file, want a plain wrapped error", errs)
	}
}

func TestEmptyFile(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n"} {
		errs := parseErrors(t, "empty.yaml", src)
		if got, want := errs.Error(), "empty.yaml:1:1: the config is empty"; got != want {
			t.Errorf("Parse(%q): got %q, want %q", src, got, want)
		}
	}
}

func BenchmarkLoadExample(b *testing.B) {
	data, err := os.ReadFile("example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("example.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAllUnknownKeysReported(t *testing.T) {
	src := strings.Replace(minimal(t), "    text: 배송 메뉴입니다.\n", "    txt: 배송 메뉴입니다.\n", 1)
	src = strings.Replace(src, "bot: {name: 테스트몰}", "bot: {nmae: 테스트몰}", 1)
	src = strings.Replace(src, "{id: top, label: 처음으로, home: true}", "{id: top, lable: 처음으로, home: true}", 1)
	errs := parseErrors(t, "keys.yaml", src)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`keys.yaml:2:7: unknown key "nmae" in bot (did you mean "name"?)`,
		`keys.yaml:11:5: unknown key "txt" in menu "shipping" (did you mean "text"?)`,
		`keys.yaml:14:19: unknown key "lable" in option 2 of menu "shipping" (did you mean "label"?)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
