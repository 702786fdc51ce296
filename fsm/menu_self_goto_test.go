package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// An option that leads to the menu it is in ("다시 보기") shows the menu
// again without pushing it on the path a second time: it is no new level,
// so 이전 from it shows its parent (DESIGN §4: back pops menu_path).
func TestSelfGotoBackShowsParent(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "sub", Label: "하위 메뉴", Goto: "sub"})
	cfg.Menus["sub"] = &configs.Menu{Text: "하위", Options: []configs.Option{{ID: "s", Label: "자기 메뉴", Goto: "selfm"}}}
	cfg.Menus["selfm"] = &configs.Menu{Text: "자기 메뉴예요.", Options: []configs.Option{
		{ID: "again", Label: "다시 보기", Goto: "selfm"}, {ID: "t", Label: "안내", Text: "안내문"}}}
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "sub", "selfm"}
	o := e.Step(c, text("다시 보기"))
	if o.Record.Node != "selfm" || len(o.Conversation.MenuPath) != 3 {
		t.Fatalf("다시 보기: %+v, path %v", o.Record, o.Conversation.MenuPath)
	}
	back := findQR(t, o.Reply, e.texts.Back)
	o = e.Step(o.Conversation, tapIn(back.Label, *back.Tap))
	if o.Record.Node != "sub" {
		t.Errorf("이전 after a self-goto: got menu %q (path %v), want sub", o.Record.Node, o.Conversation.MenuPath)
	}
}
