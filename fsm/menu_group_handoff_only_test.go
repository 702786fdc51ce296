package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// A group chat never hands off (DESIGN §3): its menus are numbered without
// their handoff options. A menu of handoff options only would list nothing
// there, so the option leading to it is left out of the group list too
// (groupOptions) and the numbers follow the list shown; its label typed
// anyway gets texts.group_no_handoff with the current menu, never a bare
// menu with nothing to pick. 1:1 chats still offer it.
func TestGroupHandoffOnlyMenu(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["agents"] = &configs.Menu{Text: "상담 메뉴예요.", Options: []configs.Option{
		{ID: "a", Label: "일반 상담", Handoff: "general"}, {ID: "b", Label: "VIP 상담", Handoff: "vip"}}}
	// A menu whose only option leads to the handoff-only one lists
	// nothing in a group either.
	cfg.Menus["via"] = &configs.Menu{Text: "상담 안내예요.", Options: []configs.Option{
		{ID: "ag", Label: "상담 메뉴", Goto: "agents"}}}
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options,
		configs.Option{ID: "ag", Label: "상담 메뉴", Goto: "agents"},
		configs.Option{ID: "via", Label: "상담 안내", Goto: "via"},
		configs.Option{ID: "last", Label: "마지막 안내", Text: "마지막 안내예요."})
	e := newEngine(t, cfg, Options{})
	group := func(u string) Input { in := text(u); in.Group = true; return in }

	o := e.Step(welcomedBot(), group("처음으로"))
	list := allText(o.Reply)
	if strings.Contains(list, "상담 메뉴") || strings.Contains(list, "상담 안내") || !strings.Contains(list, "6. 마지막 안내") {
		t.Errorf("group main menu %q: want 상담 메뉴 and 상담 안내 left out, 6. 마지막 안내", list)
	}
	if o = e.Step(welcomedBot(), group("6")); o.Record.Node != "main/last" {
		t.Errorf("6 in group: %+v, want the option listed as 6 (마지막 안내)", o.Record)
	}
	for _, label := range []string{"상담 메뉴", "상담 안내"} {
		o = e.Step(welcomedBot(), group(label))
		if got := allText(o.Reply); o.Record.Kind != "group_no_handoff" || !strings.Contains(got, e.texts.GroupNoHandoff) {
			t.Errorf("group, %s typed: %q (record %+v), want group_no_handoff", label, got, o.Record)
		}
	}
	if o = e.Step(welcomedBot(), text("상담 메뉴")); o.Record != (TurnRecord{Kind: "menu", Node: "agents"}) || !hasQR(o.Reply, "VIP 상담") {
		t.Errorf("1:1, 상담 메뉴: %+v %v, want the menu of handoffs", o.Record, qrLabels(o.Reply))
	}
}
