package fsm

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// longGroupMenu is a menu of n options with 14-rune labels under a text of
// textRunes runes: its group list (numbered) is longer than one bubble.
func longGroupMenu(textRunes, n int) *configs.Menu {
	m := &configs.Menu{Text: strings.Repeat("가", textRunes)}
	for i := 1; i <= n; i++ {
		m.Options = append(m.Options, configs.Option{ID: fmt.Sprintf("l%02d", i), Label: fmt.Sprintf("가나다라마바사아자차카타%02d", i), Text: "안내"})
	}
	return m
}

// checkGroupList fails unless the reply lists every option of a
// longGroupMenu of n options within Kakao's limits (1-3 outputs, a
// simpleText of at most 1000 runes).
func checkGroupList(t *testing.T, r Reply, n int) {
	t.Helper()
	if len(r.Messages) < 1 || len(r.Messages) > maxMessages {
		t.Fatalf("%d outputs, want 1-%d", len(r.Messages), maxMessages)
	}
	for i, m := range r.Messages {
		if c := utf8.RuneCountInString(m.Text); c > maxTextRunes {
			t.Errorf("output %d: %d runes, over Kakao's %d", i, c, maxTextRunes)
		}
	}
	got := allText(r)
	for i := 1; i <= n; i++ {
		if l := fmt.Sprintf("%d. 가나다라마바사아자차카타%02d", i, i); !strings.Contains(got, l) {
			t.Errorf("group menu of %d options: %q not listed; text ends %q", n, l, tail(got, 60))
		}
	}
}

func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[len(r)-n:])
}

// A group chat numbers a menu's options in its text and typed numbers follow
// that list (DESIGN §3), so the list must show every number it accepts. A
// list longer than one simpleText (1000 runes) is not cut when the menu is
// compiled: the composer splits it at whitespace into the bubbles the reply
// does not use. Within baton validate's limits (text ≤ 400 runes, ≤ 50
// options, labels ≤ 14 runes) a list is at most about 1350 runes: two
// bubbles, so no config has to be refused for it.
func TestGroupLongMenuListsEveryOption(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["long"] = longGroupMenu(300, 40)
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "long", Label: "긴 메뉴", Goto: "long"})
	e := newEngine(t, cfg, Options{})
	in := text("6") // the group main menu hides 상담원 연결: 6 = 긴 메뉴
	in.Group = true
	o := e.Step(welcomedBot(), in)
	if o.Record != (TurnRecord{Kind: "menu", Node: "long"}) {
		t.Fatalf("6 in group: %+v", o.Record)
	}
	checkGroupList(t, o.Reply, 40)
	in = text("40")
	in.Group = true
	if o = e.Step(o.Conversation, in); o.Record.Node != "long/l40" {
		t.Errorf("40 in group: %+v, want option 40", o.Record)
	}
}

// The longest list baton validate lets through (a 400-rune text and 50
// options), shown under a message of its own (group_no_handoff) and the
// welcome notice of a new user, still lists every option: the short message
// shares a bubble with the list rather than cutting it, as the last message
// of a reply — the one that carries the turn's choices — is served first.
func TestGroupLongestMenuUnderNoticeAndText(t *testing.T) {
	cfg := testConfig()
	cfg.Menus["long"] = longGroupMenu(configs.MaxMenuText, configs.MaxMenuOptions)
	cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "long", Label: "긴 메뉴", Goto: "long"})
	e := newEngine(t, cfg, Options{})
	c := Conversation{UserKey: "u1", State: StateBot, ConfigVersion: "v1", MenuPath: []string{"main", "long"}}
	in := text("상담원 연결")
	in.Group = true
	o := e.Step(c, in)
	if o.Record.Kind != "group_no_handoff" {
		t.Fatalf("record %+v", o.Record)
	}
	if got := allText(o.Reply); !strings.Contains(got, e.texts.GroupNoHandoff) {
		t.Errorf("reply %q lacks group_no_handoff", got)
	}
	checkGroupList(t, o.Reply, configs.MaxMenuOptions)
}
