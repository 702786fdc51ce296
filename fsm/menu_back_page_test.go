package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// backPageConfig is testConfig with pg, a 12-option menu under main (7
// options a page: 옵션 8-12 on page 2) whose 옵션 9 is a text, 옵션 10 leads
// to sub and 옵션 11 answers ship-fee; sub has a back option.
func backPageConfig() *configs.Config {
	cfg := testConfig()
	pg := pagedMenu("상품 목록이에요.", 12)
	pg.Options[9] = configs.Option{ID: "o10", Label: "옵션 10", Goto: "sub"}
	pg.Options[10] = configs.Option{ID: "o11", Label: "옵션 11", FAQ: "ship-fee"}
	cfg.Menus["pg"] = pg
	cfg.Menus["sub"] = &configs.Menu{Text: "하위 메뉴예요.", Options: []configs.Option{
		{ID: "x", Label: "하위 안내", Text: "안내"}, {ID: "b", Label: "돌아가기", Back: true}}}
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "pg", Label: "상품 목록", Goto: "pg"})
	return cfg
}

// onPage2 reports whether r offers pg's second page (옵션 8-12) before
// 더보기, not its first (the main menu's entries may follow 더보기).
func onPage2(r Reply) bool {
	var page Reply
	for _, q := range r.QuickReplies {
		if q.Label == configs.DefaultTexts().More {
			break
		}
		page.QuickReplies = append(page.QuickReplies, q)
	}
	return hasQR(page, "옵션 8") && hasQR(page, "옵션 12") && !hasQR(page, "옵션 1")
}

// pgPage2 shows pg and taps 더보기: the user is on page 2.
func pgPage2(t *testing.T, e *Engine) Outcome {
	t.Helper()
	c := welcomedBot()
	c.MenuPath = []string{"main", "pg"}
	o := e.Step(c, text(""))
	o = e.Step(o.Conversation, tapIn(e.texts.More, *findQR(t, o.Reply, e.texts.More).Tap))
	if !onPage2(o.Reply) {
		t.Fatalf("setup: not on page 2: %v", qrLabels(o.Reply))
	}
	return o
}

func tapOption(t *testing.T, e *Engine, o Outcome, label string) Outcome {
	t.Helper()
	q := findQR(t, o.Reply, label)
	return e.Step(o.Conversation, tapIn(q.Label, *q.Tap))
}

// A user who picks an option on page 2 of a paged menu and comes back to
// the menu sees the page they picked it from, not page 1: 이전 (tapped or
// typed) and a back option from the submenu show the parent at the page
// holding the option that leads there, and a text, FAQ or link option
// shows its own page again under its reply. Nothing new is stored: the
// page follows from the option (menu_path keeps menu ids only).
func TestBackReturnsToPickedPage(t *testing.T) {
	e := newEngine(t, backPageConfig(), Options{})
	for _, back := range []string{"이전 tapped", "이전 typed", "back option"} {
		o := pgPage2(t, e)
		o = tapOption(t, e, o, "옵션 10")
		if o.Record.Node != "sub" {
			t.Fatalf("옵션 10: %+v", o.Record)
		}
		switch back {
		case "이전 tapped":
			o = tapOption(t, e, o, e.texts.Back)
		case "이전 typed":
			o = e.Step(o.Conversation, text("이전"))
		case "back option":
			o = tapOption(t, e, o, "돌아가기")
		}
		if o.Record.Node != "pg" || !onPage2(o.Reply) {
			t.Errorf("%s from sub: %+v %v, want pg's page 2", back, o.Record, qrLabels(o.Reply))
		}
	}
	o := tapOption(t, e, pgPage2(t, e), "옵션 9")
	if o.Record.Kind != "text" || !onPage2(o.Reply) {
		t.Errorf("text option on page 2: %+v %v, want its text and page 2", o.Record, qrLabels(o.Reply))
	}
	o = tapOption(t, e, pgPage2(t, e), "옵션 11")
	if o.Record.Kind != "faq" || !onPage2(o.Reply) {
		t.Errorf("FAQ option on page 2: %+v %v, want the answer and page 2", o.Record, qrLabels(o.Reply))
	}
	wantNavRoom(t, "FAQ option on page 2", o.Reply, e.texts.NotHelpful, e.texts.More, e.texts.Home, e.texts.Agent)
	// Page 1 still comes back as page 1.
	c := welcomedBot()
	c.MenuPath = []string{"main", "pg"}
	o = e.Step(c, text(""))
	o = tapOption(t, e, o, "옵션 2")
	if hasQR(o.Reply, "옵션 8") || !hasQR(o.Reply, "옵션 1") {
		t.Errorf("text option on page 1: %v, want page 1", qrLabels(o.Reply))
	}
}

// The main menu pages too: 이전 from a submenu its second page leads to
// shows that page.
func TestBackToPagedMainMenuPage(t *testing.T) {
	cfg := backPageConfig()
	cfg.Menus["main"] = cfg.Menus["pg"]
	delete(cfg.Menus, "pg")
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "sub"}
	o := e.Step(c, text("이전"))
	if o.Record.Node != "main" || len(o.Conversation.MenuPath) != 0 || !onPage2(o.Reply) {
		t.Errorf("이전 from sub: %+v path %v %v, want the main menu's page 2", o.Record, o.Conversation.MenuPath, qrLabels(o.Reply))
	}
}
