package fsm

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestHoursPlaceholderFollowsConfig: an FAQ answer, a menu's text and a
// text option quoting {hours} or {hours.<queue>} say the hours of the
// config the engine was built from, in the words of its texts.hours_*, so
// changing handoff.hours or those words (a reload) changes what the bot
// tells users, and the static replies of the two config versions are
// cached apart.
func TestHoursPlaceholderFollowsConfig(t *testing.T) {
	cfg := testConfig()
	cfg.Handoff.Hours = map[string]configs.Hours{"office": {Timezone: "Asia/Seoul",
		Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}, Holidays: []string{"kr"}}}
	cfg.FAQ[4].Answer = "상담원 채팅 운영 시간은 {hours}입니다."
	cfg.Menus = cloneMenus(cfg.Menus)
	cfg.Menus["main"].Options[2].Text = "운영 시간: {hours.general}"
	cfg.Menus["returns"].Text = "교환/반품 메뉴입니다. VIP 상담은 {hours.vip}"
	reloaded := *cfg
	reloaded.Version = "v2"
	reloaded.Handoff.Hours = map[string]configs.Hours{"office": {Timezone: "Asia/Seoul",
		Weekly: map[string][]string{"mon-fri": {"10:00-19:00"}, "sat": {"10:00-13:00"}}, Holidays: []string{"kr"}}}
	reloaded.Handoff.Queues = map[string]configs.Queue{"general": {Target: "notify", Hours: "office"}, "vip": {Target: "notify"}}
	reloaded.Texts.HoursListSep, reloaded.Texts.HoursAlwaysOpen = " / ", "24시간 상담" // the bot master's words

	for _, tc := range []struct {
		cfg                     *configs.Config
		answer, option, returns string
	}{
		{cfg, "상담원 채팅 운영 시간은 평일 09:00~18:00, 주말·공휴일 휴무입니다.", "운영 시간: 평일 09:00~18:00, 주말·공휴일 휴무",
			"교환/반품 메뉴입니다. VIP 상담은 평일 09:00~18:00, 주말·공휴일 휴무"},
		{&reloaded, "상담원 채팅 운영 시간은 평일 10:00~19:00 / 토요일 10:00~13:00 / 일요일·공휴일 휴무입니다.",
			"운영 시간: 평일 10:00~19:00 / 토요일 10:00~13:00 / 일요일·공휴일 휴무", "교환/반품 메뉴입니다. VIP 상담은 24시간 상담"},
	} {
		e := newEngine(t, tc.cfg, Options{})
		c := welcomedBot()
		c.ConfigVersion = tc.cfg.Version
		got := e.Step(c, text("상담원 운영 시간이 언제예요?"))
		if s := allText(got.Reply); !strings.Contains(s, tc.answer) || strings.Contains(s, "{") {
			t.Errorf("%s: FAQ answer: got %q, want %q", tc.cfg.Version, s, tc.answer)
		}
		if got.Reply.CacheKey == "" || !strings.Contains(got.Reply.CacheKey, "/"+tc.cfg.Version+"/") {
			t.Errorf("%s: FAQ answer cache key %q: want a static key of this version", tc.cfg.Version, got.Reply.CacheKey)
		}
		opt := e.Step(c, text("운영 시간"))
		if s := allText(opt.Reply); !strings.Contains(s, tc.option) {
			t.Errorf("%s: text option: got %q, want %q", tc.cfg.Version, s, tc.option)
		}
		ret := e.Step(c, text("교환/반품"))
		if s := allText(ret.Reply); !strings.Contains(s, tc.returns) {
			t.Errorf("%s: menu text: got %q, want %q", tc.cfg.Version, s, tc.returns)
		}
	}
}

// TestHoursPlaceholderInTexts: the texts a user sees when the hours matter
// quote them too — after_hours and after_hours_unknown and the ticket
// prompt with the hours of the queue the user asked for, the wait-timeout
// apology with those of the queue the user waited for, the complaint
// reply out of hours with escalation.queue's — filled when the engine is
// built, and the static after-hours replies of two queues are cached
// apart.
func TestHoursPlaceholderInTexts(t *testing.T) {
	cfg := testConfig()
	cfg.Handoff.Hours = map[string]configs.Hours{
		"office":  {Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}, Holidays: []string{"kr"}},
		"vipdesk": {Weekly: map[string][]string{"mon-sat": {"10:00-20:00"}}}}
	cfg.Handoff.Queues = map[string]configs.Queue{"general": {Target: "notify", Hours: "office"}, "vip": {Target: "notify", Hours: "vipdesk"}}
	cfg.Texts.AfterHours = "지금은 상담 시간({hours})이 아니에요. 다음 상담 시간은 {next}입니다."
	cfg.Texts.AfterHoursUnknown = "지금은 상담 시간({hours})이 아니에요."
	cfg.Texts.ComplaintAfterHours = "불편을 드려 죄송해요. 상담 시간은 {hours}예요."
	cfg.Texts.TicketPrompt = "메시지를 남겨 주세요. {hours.general} 중에 확인할게요."
	cfg.Texts.EventWaitTimeout = "늦어져 죄송해요. 상담 시간은 {hours}예요."
	cfg.Escalation.Complaints = []string{"최악"}
	const general, vip = "평일 09:00~18:00, 주말·공휴일 휴무", "월~토요일 10:00~20:00, 일요일 휴무"
	closed := map[string]bool{"general": true, "vip": true}
	e := newEngine(t, cfg, Options{Hours: hoursStub{closed: closed, next: t0.Add(23 * time.Hour)}})
	unknown := newEngine(t, cfg, Options{Hours: hoursStub{closed: closed}})
	if got := e.textsFor("vip").AfterHours; !strings.Contains(got, vip) {
		t.Errorf("vip's after_hours, rendered at New: got %q, want %q in it", got, vip)
	}
	for _, tc := range []struct {
		e         *Engine
		say, want string
	}{
		{e, "상담원", "지금은 상담 시간(" + general + ")이 아니에요. 다음 상담 시간은"},
		{e, "VIP 상담", "지금은 상담 시간(" + vip + ")이 아니에요. 다음 상담 시간은"},
		{unknown, "상담원", "지금은 상담 시간(" + general + ")이 아니에요."},
		{unknown, "VIP 상담", "지금은 상담 시간(" + vip + ")이 아니에요."},
		{e, "진짜 최악이네요", "불편을 드려 죄송해요. 상담 시간은 " + general + "예요."},
	} {
		in := text(tc.say)
		if tc.say == "VIP 상담" { // the mapped block of the vip queue
			in = text("")
			in.BlockID = "blk-vip"
		}
		o := tc.e.Step(welcomedBot(), in)
		if s := allText(o.Reply); !strings.HasPrefix(s, tc.want) || strings.Contains(s, "{") {
			t.Errorf("%s: got %q, want it to start with %q", tc.say, s, tc.want)
		}
	}
	for queue, want := range map[string]string{"vip": vip, "general": general, "": general, "gone": general} {
		o := e.Event(welcomedBot(), eventIn("대기 사과"), &Notice{Kind: NoticeWaitTimeout, Queue: queue})
		if s, want := allText(o.Reply), "늦어져 죄송해요. 상담 시간은 "+want+"예요."; !strings.HasPrefix(s, want) {
			t.Errorf("wait-timeout apology for a handoff on %q: got %q, want it to start with %q", queue, s, want)
		}
	}
	vipIn := text("")
	vipIn.BlockID = "blk-vip"
	a, b := unknown.Step(welcomedBot(), text("상담원")), unknown.Step(welcomedBot(), vipIn)
	if a.Reply.CacheKey == "" || a.Reply.CacheKey == b.Reply.CacheKey {
		t.Errorf("after_hours_unknown of general and vip: cache keys %q and %q, want two static keys", a.Reply.CacheKey, b.Reply.CacheKey)
	}
	leave := findQR(t, a.Reply, configs.DefaultTexts().LeaveMessage)
	prompt := unknown.Step(a.Conversation, tapIn(leave.Label, *leave.Tap))
	if s, want := strings.TrimSpace(allText(prompt.Reply)), "메시지를 남겨 주세요. "+general+" 중에 확인할게요."; s != want {
		t.Errorf("ticket prompt: got %q, want %q", s, want)
	}
}

// cloneMenus copies menus deep enough to edit texts and options.
func cloneMenus(menus map[string]*configs.Menu) map[string]*configs.Menu {
	out := make(map[string]*configs.Menu, len(menus))
	for id, m := range menus {
		cp := *m
		cp.Options = append([]configs.Option(nil), m.Options...)
		out[id] = &cp
	}
	return out
}

// TestExampleQuotesItsHours: configs/example.yaml's cs-hours answer states
// the hours of its handoff.hours, not a copy of them.
func TestExampleQuotesItsHours(t *testing.T) {
	e, _ := exampleShop(t)
	const want = "상담원 채팅은 이렇게 운영해요: 평일 09:00~18:00(12:00~13:00 제외), 주말·공휴일 휴무."
	if got := e.faqs["cs-hours"].answer; !strings.HasPrefix(got, want) {
		t.Errorf("cs-hours answer: got %q, want it to start with %q", got, want)
	}
}

// TestHoursTextsAllFilled: every text configs lets quote the hours
// (configs.HoursTextKeys) has them filled by the engine, so none reaches a
// user with the braces the validator let through.
func TestHoursTextsAllFilled(t *testing.T) {
	keys := configs.HoursTextKeys()
	cfg := testConfig()
	v := reflect.ValueOf(&cfg.Texts).Elem()
	set := map[string]bool{}
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if slices.Contains(keys, key) {
			v.Field(i).SetString(key + " {hours} {hours.vip}")
			set[key] = true
		}
	}
	if len(set) != len(keys) {
		t.Fatalf("texts fields set: %v, want all of %v", set, keys)
	}
	e := newEngine(t, cfg, Options{})
	for _, tx := range []*configs.Texts{&e.texts, e.textsFor("general"), e.textsFor("vip")} {
		w := reflect.ValueOf(tx).Elem()
		for i := range w.NumField() {
			if s := w.Field(i).String(); strings.Contains(s, "{hours") {
				t.Errorf("texts.%s: got %q, want the hours filled in", w.Type().Field(i).Tag.Get("yaml"), s)
			}
		}
	}
}
