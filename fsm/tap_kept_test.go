package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// oldMenuTap returns the tap of the quick reply labelled label that engine
// e offers on menu path (empty: the main menu) in state bot.
func oldMenuTap(t *testing.T, e *Engine, path []string, label string) Tap {
	t.Helper()
	c := welcomedBot()
	c.MenuPath = path
	q := findQR(t, e.Step(c, text("")).Reply, label)
	if q.Tap == nil {
		t.Fatalf("quick reply %q has no tap", label)
	}
	return *q.Tap
}

func TestTapAfterReload(t *testing.T) {
	old := newEngine(t, testConfig(), Options{})
	shipping := []string{"main", "shipping"}
	tx := old.texts
	tests := []struct {
		name   string
		path   []string // where the old bubble was shown
		label  string   // the quick reply tapped on it
		reload func(*configs.Config)
		want   string // text of the answer, or tx.StaleTap
	}{
		{"an FAQ answer changed: the FAQ option still answers", shipping, "배송 조회",
			func(c *configs.Config) { c.FAQ[0].Answer = "송장번호로 조회하세요." }, "송장번호로 조회하세요."},
		{"a text option's text changed: the new text", nil, "운영 시간",
			func(c *configs.Config) { c.Menus["main"].Options[2].Text = "평일 10시부터 운영해요." }, "평일 10시부터 운영해요."},
		{"another menu changed: goto still works", nil, "주문/배송",
			func(c *configs.Config) { c.Menus["returns"].Text = "반품 메뉴예요." }, "주문/배송 메뉴입니다."},
		{"the menu's own text changed", shipping, "배송비",
			func(c *configs.Config) { c.Menus["shipping"].Text = "배송 메뉴예요." }, "3만원 이상 무료배송입니다."},
		{"the option was renamed: stale", shipping, "배송 조회",
			func(c *configs.Config) { c.Menus["shipping"].Options[0].Label = "택배 조회" }, tx.StaleTap},
		{"the option was removed: stale", shipping, "배송비",
			func(c *configs.Config) {
				m := c.Menus["shipping"]
				m.Options = append(m.Options[:1:1], m.Options[2:]...)
			}, tx.StaleTap},
		{"the option points elsewhere: stale", shipping, "배송 조회",
			func(c *configs.Config) { c.Menus["shipping"].Options[0].FAQ = "ship-fee" }, tx.StaleTap},
		{"the option's id changed: stale", shipping, "배송 조회",
			func(c *configs.Config) { c.Menus["shipping"].Options[0].ID = "track2" }, tx.StaleTap},
		{"the link changed: stale", nil, "홈페이지",
			func(c *configs.Config) { c.Menus["main"].Options[3].Link = "https://other.example.com" }, tx.StaleTap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp := oldMenuTap(t, old, tc.path, tc.label)
			cfg := testConfig()
			cfg.Version = "v2"
			tc.reload(cfg)
			e := newEngine(t, cfg, Options{})
			c := welcomedBot()
			c.MenuPath = tc.path
			o := e.Step(c, tapIn(tc.label, tp))
			got := allText(o.Reply)
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got %q, want it to contain %q", got, tc.want)
			}
			if stale := o.Record.Kind == "stale"; stale != (tc.want == tx.StaleTap) {
				t.Errorf("got record %+v, want stale %v", o.Record, tc.want == tx.StaleTap)
			}
		})
	}
}

func TestTapAfterReloadKeepsOtherChecks(t *testing.T) {
	old := newEngine(t, testConfig(), Options{})
	cfg := testConfig()
	cfg.Version = "v2"
	cfg.FAQ[0].Answer = "송장번호로 조회하세요."
	e := newEngine(t, cfg, Options{})
	tp := oldMenuTap(t, old, nil, "주문/배송")
	for _, tc := range []struct {
		name string
		tap  Tap
	}{
		{"a bubble from before taps carried a fingerprint", Tap{V: tp.V, N: tp.N, O: tp.O, S: tp.S}},
		{"made in another state", Tap{V: tp.V, N: tp.N, O: tp.O, S: StateAfterHours, H: tp.H}},
		{"a fingerprint of another option", Tap{V: tp.V, N: tp.N, O: "ret", S: tp.S, H: tp.H}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := e.Step(welcomedBot(), tapIn("주문/배송", tc.tap))
			if o.Record.Kind != "stale" {
				t.Errorf("got record %+v, want stale", o.Record)
			}
		})
	}
	t.Run("one_on_one waiting: answered as the bot", func(t *testing.T) {
		c := welcomedBot()
		c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", "general", t0.Add(-time.Minute)
		wt := oldMenuTap(t, old, nil, "주문/배송")
		wt.S = StateWaiting // as the menu offered while waiting stamps it
		o := e.Step(c, tapIn("주문/배송", wt))
		if got := allText(o.Reply); !strings.Contains(got, "주문/배송 메뉴입니다.") || !hasButton(o.Reply, ButtonOperator) {
			t.Errorf("got %q, want the shipping menu and the operator button again", got)
		}
	})
}

func TestPagingAndNavTapsAfterReload(t *testing.T) {
	old := newEngine(t, testConfig(), Options{})
	tx := old.texts
	big := []string{"main", "big"}
	deep := []string{"main", "shipping", "shipping-more"}
	faqEdit := func(c *configs.Config) { c.FAQ[0].Answer = "송장번호로 조회하세요." }
	tests := []struct {
		name   string
		path   []string // where the old bubble was shown
		label  string   // the quick reply tapped on it
		reload func(*configs.Config)
		want   string // text of the answer, or tx.StaleTap
	}{
		{"더보기 after an FAQ edit: page 2", big, tx.More, faqEdit, "항목 8"},
		{"더보기 after a label on the menu changed: page 2", big, tx.More,
			func(c *configs.Config) { c.Menus["big"].Options[9].Label = "열번째 항목" }, "열번째 항목"},
		{"더보기 after an option was removed: stale", big, tx.More,
			func(c *configs.Config) { c.Menus["big"].Options = c.Menus["big"].Options[1:] }, tx.StaleTap},
		{"더보기 after two options swapped: stale", big, tx.More,
			func(c *configs.Config) {
				o := c.Menus["big"].Options
				o[0], o[1] = o[1], o[0]
			}, tx.StaleTap},
		{"처음으로 after an FAQ edit: the main menu", deep, tx.Home, faqEdit, "무엇을 도와드릴까요?"},
		{"처음으로 after the main menu changed: the new one", deep, tx.Home,
			func(c *configs.Config) { c.Menus["main"].Text = "메인 메뉴예요." }, "메인 메뉴예요."},
		{"이전 after an FAQ edit: one level up", deep, tx.Back, faqEdit, "주문/배송 메뉴입니다."},
		{"이전 after the menu on the path was removed: stale", deep, tx.Back,
			func(c *configs.Config) {
				delete(c.Menus, "shipping-more")
				m := c.Menus["shipping"]
				m.Options = append(m.Options[:2:2], m.Options[3:]...)
			}, tx.StaleTap},
		{"상담원 연결 after an FAQ edit: the handoff", big, tx.Agent, faqEdit, "A7K2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp := oldMenuTap(t, old, tc.path, tc.label)
			cfg := testConfig()
			cfg.Version = "v2"
			tc.reload(cfg)
			e := newEngine(t, cfg, Options{})
			c := welcomedBot()
			c.MenuPath = tc.path
			o := e.Step(c, tapIn(tc.label, tp))
			got := allText(o.Reply) + strings.Join(qrLabels(o.Reply), "|")
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got %q, want it to contain %q", got, tc.want)
			}
			if stale := o.Record.Kind == "stale"; stale != (tc.want == tx.StaleTap) {
				t.Errorf("got record %+v, want stale %v", o.Record, tc.want == tx.StaleTap)
			}
		})
	}
}

// dropVIP removes the vip queue and what refers to it.
func dropVIP(c *configs.Config) {
	delete(c.Handoff.Queues, "vip")
	delete(c.Blocks.Map, "blk-vip")
	m := c.Menus["returns"]
	m.Options = append(m.Options[:1:1], m.Options[2:]...)
}

func TestConfirmTapsAfterReload(t *testing.T) {
	cfg1 := testConfig()
	cfg1.Escalation.Confirm = true
	old := newEngine(t, cfg1, Options{})
	tx := old.texts
	// asked returns the conversation in confirm for queue (asked by the
	// menu option labelled label on path) and the old question's tap
	// labelled answer.
	asked := func(t *testing.T, path []string, label, answer string) (Conversation, Tap) {
		t.Helper()
		c := welcomedBot()
		c.MenuPath = path
		o := old.Step(c, tapIn(label, oldMenuTap(t, old, path, label)))
		if o.Conversation.State != StateConfirm {
			t.Fatalf("got state %q, want %q", o.Conversation.State, StateConfirm)
		}
		q := findQR(t, o.Reply, answer)
		return o.Conversation, *q.Tap
	}
	returns := []string{"main", "returns"}
	tests := []struct {
		name          string
		path          []string
		label, answer string
		reload        func(*configs.Config)
		want          string // record kind
	}{
		{"네 after an FAQ edit: the handoff", nil, "상담원 연결", tx.ConfirmYes,
			func(c *configs.Config) { c.FAQ[0].Answer = "송장번호로 조회하세요." }, "handoff"},
		{"네 after the confirm texts changed: the handoff", nil, "상담원 연결", tx.ConfirmYes,
			func(c *configs.Config) {
				c.Texts.ConfirmQuestion, c.Texts.ConfirmYes = "상담사와 이야기할까요?", "네"
			}, "handoff"},
		{"네 after its queue was removed: stale", returns, "VIP 상담", tx.ConfirmYes,
			dropVIP, "stale"},
		{"아니요 after its queue was removed: declined", returns, "VIP 상담", tx.ConfirmNo,
			dropVIP, "menu"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, tp := asked(t, tc.path, tc.label, tc.answer)
			cfg := testConfig()
			cfg.Escalation.Confirm = true
			cfg.Version = "v2"
			tc.reload(cfg)
			e := newEngine(t, cfg, Options{})
			o := e.Step(c, tapIn(tc.answer, tp))
			if o.Record.Kind != tc.want {
				t.Fatalf("got record %+v (%q), want kind %q", o.Record, allText(o.Reply), tc.want)
			}
			if tc.want == "stale" && o.Conversation.State != StateConfirm {
				t.Errorf("got state %q, want the question asked again", o.Conversation.State)
			}
		})
	}
}
