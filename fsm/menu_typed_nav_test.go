package fsm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// moreOptionConfig is testConfig with pg, a 12-option menu whose third
// option is labelled 더보기 (goto shipping), under main, or under main → sub
// when deep.
func moreOptionConfig(deep bool) (*configs.Config, Conversation) {
	cfg := testConfig()
	pg := pagedMenu("상품 목록이에요.", 12)
	pg.Options[2] = configs.Option{ID: "moreprod", Label: "더보기", Goto: "shipping"}
	cfg.Menus["pg"] = pg
	c := welcomedBot()
	if deep {
		cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "sub", Label: "하위 메뉴", Goto: "sub"})
		cfg.Menus["sub"] = &configs.Menu{Text: "하위", Options: []configs.Option{{ID: "pg", Label: "상품 목록", Goto: "pg"}}}
		c.MenuPath = []string{"main", "sub", "pg"}
	} else {
		cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "pg", Label: "상품 목록", Goto: "pg"})
		c.MenuPath = []string{"main", "pg"}
	}
	return cfg, c
}

// 더보기 typed on a paged menu — or its quick reply tapped and delivered
// without Baton's extra — pages the menu as the quick reply does: an option
// labelled 더보기 gives way to the paging reply in text as in quick replies
// (DESIGN §4; its number still picks it). The conversation does not keep
// the page shown, so typed it shows the second page, the one 더보기 leads
// to from the first. Spacing aside ("더 보기") it is the same word. A group
// chat, which lists every option by number and pages nothing, picks the
// option.
func TestTypedMorePagesMenu(t *testing.T) {
	for _, deep := range []bool{false, true} {
		t.Run(fmt.Sprint("deep=", deep), func(t *testing.T) {
			cfg, c := moreOptionConfig(deep)
			e := newEngine(t, cfg, Options{})
			last := "옵션 8" // first option of page 2: 7 a page, 6 when deep
			if deep {
				last = "옵션 7"
			}
			for _, say := range []string{"더보기", "더 보기", "더보기요"} {
				o := e.Step(c, text(say))
				if o.Record != (TurnRecord{Kind: "menu", Node: "pg"}) || !hasQR(o.Reply, last) || hasQR(o.Reply, "옵션 1") {
					t.Errorf("%q typed: record %+v, quick replies %v; want pg's second page", say, o.Record, qrLabels(o.Reply))
				}
				if got := strings.Join(o.Conversation.MenuPath, ","); got != strings.Join(c.MenuPath, ",") {
					t.Errorf("%q typed: path %s, want %v", say, got, c.MenuPath)
				}
			}
			// The quick reply's text, sent with a button trigger but no extra.
			in := text(e.texts.More)
			in.Trigger = "QUICKREPLY_BUTTON_MESSAGE"
			if o := e.Step(c, in); o.Record.Node != "pg" || !hasQR(o.Reply, last) {
				t.Errorf("더보기 tapped without its extra: %+v %v, want pg's second page", o.Record, qrLabels(o.Reply))
			}
			if o := e.Step(c, text("3")); o.Record.Node != "shipping" {
				t.Errorf("3 typed: %+v, want the option labelled 더보기 (goto shipping)", o.Record)
			}
			g := text("더보기")
			g.Group = true
			if o := e.Step(c, g); o.Record.Node != "shipping" {
				t.Errorf("더보기 typed in a group chat: %+v, want the option (goto shipping)", o.Record)
			}
		})
	}
}

// Typed 더보기 pages a paged menu with no option of that label too (it was
// a no-match); on a menu that fits one page an option labelled 더보기 is
// offered as it is and typed picks it.
func TestTypedMoreWithoutOption(t *testing.T) {
	cfg := testConfig()
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "big"}
	o := e.Step(c, text("더보기"))
	if o.Record != (TurnRecord{Kind: "menu", Node: "big"}) || !hasQR(o.Reply, "항목 8") {
		t.Errorf("더보기 typed on big: %+v %v, want its second page", o.Record, qrLabels(o.Reply))
	}

	cfg = testConfig()
	cfg.Menus["shipping"].Options[2] = configs.Option{ID: "more", Label: "더보기", Goto: "shipping-more"}
	e = newEngine(t, cfg, Options{})
	c.MenuPath = []string{"main", "shipping"}
	if o = e.Step(c, text("더보기")); o.Record.Node != "shipping-more" {
		t.Errorf("더보기 typed on an unpaged menu with that option: %+v, want the option", o.Record)
	}
}

// 처음으로, 이전 and 상담원 연결 typed where the reply offers them as
// navigation quick replies do what typed without the same-labelled option
// they would do: the option gave way to the navigation reply (its quick
// reply is not shown), so the text — or the navigation reply's tap that
// lost its extra — is not read as the option. Its number still picks it;
// where the navigation reply is not offered (이전 on a menu the main menu
// leads to, a group chat) the option is shown and picked as before.
func TestTypedNavLabelWinsOverSameLabelledOption(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["shipping"].Options[2] = configs.Option{ID: "more", Label: "처음으로", Goto: "shipping-more"}
	cfg.Menus["shipping"].Options[4] = configs.Option{ID: "vip", Label: "상담원 연결", Handoff: "vip"}
	cfg.Menus["shipping"].Options = append(cfg.Menus["shipping"].Options, configs.Option{ID: "prev", Label: "이전", Goto: "returns"})
	cfg.Menus["shipping-more"].Options = append(cfg.Menus["shipping-more"].Options, configs.Option{ID: "prev", Label: "이전", Goto: "returns"})
	e := newEngine(t, cfg, Options{})
	at := func(path ...string) Conversation {
		c := welcomedBot()
		c.MenuPath = path
		return c
	}
	if o := e.Step(at("main", "shipping"), text("처음으로")); o.Record.Node != "main" || len(o.Conversation.MenuPath) != 0 {
		t.Errorf("처음으로 typed at shipping: %+v path %v, want the main menu", o.Record, o.Conversation.MenuPath)
	}
	o := e.Step(at("main", "shipping"), text("상담원 연결"))
	if o.Open == nil || o.Open.Queue != "general" {
		t.Errorf("상담원 연결 typed at shipping: open %+v, record %+v, want a handoff to escalation.queue general", o.Open, o.Record)
	}
	if o := e.Step(at("main", "shipping", "shipping-more"), text("이전")); o.Record.Node != "shipping" {
		t.Errorf("이전 typed at shipping-more (이전 offered): %+v, want shipping", o.Record)
	}
	// Not offered: shipping is one level below main, so 이전 is not a
	// navigation reply there and the option is shown.
	if o := e.Step(at("main", "shipping"), text("이전")); o.Record.Node != "returns" {
		t.Errorf("이전 typed at shipping (no 이전 reply): %+v, want the option (goto returns)", o.Record)
	}
	if o := e.Step(at("main", "shipping"), text("3")); o.Record.Node != "shipping-more" {
		t.Errorf("3 typed: %+v, want the option labelled 처음으로", o.Record)
	}
	g := text("처음으로")
	g.Group = true
	if o := e.Step(at("main", "shipping"), g); o.Record.Node != "shipping-more" {
		t.Errorf("처음으로 typed in a group chat: %+v, want the option", o.Record)
	}
}
