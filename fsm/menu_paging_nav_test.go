package fsm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// pagedMenu returns a menu of n text options labelled "옵션 1".."옵션 n".
func pagedMenu(text string, n int) *configs.Menu {
	m := &configs.Menu{Text: text}
	for i := 1; i <= n; i++ {
		m.Options = append(m.Options, configs.Option{ID: fmt.Sprint("o", i), Label: fmt.Sprint("옵션 ", i), Text: fmt.Sprint("옵션 ", i, " 안내")})
	}
	return m
}

// A menu over 10 options is paged with 더보기 (DESIGN §4). An option
// labelled like 더보기 gives way to the paging quick reply (a reply keeps
// one quick reply per text), so every page keeps its paging tap and the
// later options stay reachable; the option is still picked by its number,
// and baton validate warns about its label.
func TestOptionLabelledMoreKeepsPaging(t *testing.T) {
	cfg := testConfig()
	pg := pagedMenu("상품 목록이에요.", 12)
	pg.Options[2] = configs.Option{ID: "moreprod", Label: "더보기", Goto: "shipping"}
	cfg.Menus["pg"] = pg
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "pg", Label: "상품 목록", Goto: "pg"})
	e := newEngine(t, cfg, Options{})
	o := e.Step(welcomedBot(), text("상품 목록"))
	if o.Record != (TurnRecord{Kind: "menu", Node: "pg"}) {
		t.Fatalf("record %+v", o.Record)
	}
	more := 0
	for _, q := range o.Reply.QuickReplies {
		if q.Text == e.texts.More {
			more++
			if q.Tap == nil || q.Tap.N != "pg" || !strings.HasPrefix(q.Tap.O, pagePrefix) {
				t.Errorf("더보기 %+v is not the paging tap", q.Tap)
			}
		}
	}
	if more != 1 {
		t.Fatalf("page 1 of a 12-option menu: quick replies %v, want one 더보기, the paging tap", qrLabels(o.Reply))
	}
	p2 := e.Step(o.Conversation, tapIn(e.texts.More, *findQR(t, o.Reply, e.texts.More).Tap))
	if !hasQR(p2.Reply, "옵션 12") {
		t.Errorf("page 2: %v, want 옵션 12", qrLabels(p2.Reply))
	}
	if o = e.Step(o.Conversation, text("3")); o.Record.Node != "shipping" {
		t.Errorf("3 typed: %+v, want the option labelled 더보기 (goto shipping)", o.Record)
	}
}

// A fixed navigation quick reply (이전, 처음으로, 상담원 연결) is never the
// one a menu option of the same text hides: the option's quick reply gives
// way, unless it does the same (처음으로 with home: true stays as it is).
func TestNavReplyWinsOverSameLabelledOption(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["shipping"].Options[2] = configs.Option{ID: "more", Label: "처음으로", Goto: "shipping-more"}
	cfg.Menus["shipping"].Options[4] = configs.Option{ID: "vip", Label: "상담원 연결", Handoff: "vip"}
	e := newEngine(t, cfg, Options{})
	o := e.Step(welcomedBot(), text("주문/배송"))
	home, agent := findQR(t, o.Reply, e.texts.Home), findQR(t, o.Reply, e.texts.Agent)
	if home.Tap.N != nodeNav || agent.Tap.N != nodeNav {
		t.Errorf("처음으로 %+v, 상담원 연결 %+v: want the navigation taps", home.Tap, agent.Tap)
	}
	for _, l := range []string{e.texts.Home, e.texts.Agent} {
		n := 0
		for _, q := range o.Reply.QuickReplies {
			if q.Text == l {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s offered %d times in %v", l, n, qrLabels(o.Reply))
		}
	}
	// returns' own 처음으로 (home: true) does what the navigation one
	// does: it keeps its place.
	o = e.Step(welcomedBot(), text("교환/반품"))
	if got := findQR(t, o.Reply, e.texts.Home).Tap; got.N != "returns" {
		t.Errorf("returns' 처음으로: tap %+v, want the option's", got)
	}
}

// 상담원 연결 is the way to a human and stays on every page of a menu. A
// paged menu that a submenu leads to is shown with 이전 too, so its pages
// hold one option fewer (deepPageSize) to leave room for 더보기, 이전,
// 처음으로 and 상담원 연결. Every option is still on exactly one page, and
// a typed number still names the option of that position in the menu.
func TestPagedDeepSubmenuKeepsAgent(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "sub", Label: "하위 메뉴", Goto: "sub"})
	cfg.Menus["sub"] = &configs.Menu{Text: "하위", Options: []configs.Option{{ID: "pg", Label: "긴 목록", Goto: "pg"}}}
	cfg.Menus["pg"] = pagedMenu("긴 목록이에요.", 11)
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "sub"}
	o := e.Step(c, text("긴 목록"))
	if got := strings.Join(o.Conversation.MenuPath, ","); got != "main,sub,pg" {
		t.Fatalf("path %s", got)
	}
	seen := map[string]int{}
	for page := 1; page <= 2; page++ {
		for _, l := range []string{e.texts.More, e.texts.Back, e.texts.Home, e.texts.Agent} {
			if !hasQR(o.Reply, l) {
				t.Errorf("page %d: quick replies %v (%d), want %s", page, qrLabels(o.Reply), len(o.Reply.QuickReplies), l)
			}
		}
		for _, q := range o.Reply.QuickReplies {
			if strings.HasPrefix(q.Label, "옵션 ") {
				seen[q.Label]++
			}
		}
		o = e.Step(o.Conversation, tapIn(e.texts.More, *findQR(t, o.Reply, e.texts.More).Tap))
	}
	for i := 1; i <= 11; i++ {
		if n := seen[fmt.Sprint("옵션 ", i)]; n != 1 {
			t.Errorf("옵션 %d on %d pages, want exactly one", i, n)
		}
	}
	if o = e.Step(o.Conversation, text("9")); o.Record.Node != "pg/o9" {
		t.Errorf("9 typed: %+v, want 옵션 9", o.Record)
	}
	// big, which only main leads to, keeps 7 options a page.
	o = e.Step(welcomedBot(), text("전체 메뉴"))
	if !hasQR(o.Reply, "항목 7") || hasQR(o.Reply, "항목 8") {
		t.Errorf("big page 1: %v, want 항목 1-7", qrLabels(o.Reply))
	}
}
