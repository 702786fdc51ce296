package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// answerReworded returns testConfig at version v2 with one FAQ answer
// reworded: a reload that changes nothing about menus, queues or FAQ ids.
func answerReworded() *configs.Config {
	cfg := testConfig()
	cfg.Version = "v2"
	cfg.FAQ[0].Answer = "마이페이지 > 주문내역에서 송장번호를 눌러 확인해 주세요."
	return cfg
}

// TestClarifyNumberAfterReload: a clarify list ("1. 배송 조회 2. 배송비
// 3. 해외 배송") was shown under v1 and a reload drops it (its candidates'
// taps are stale after any reload, DESIGN §3 step 4). The user still reads
// its numbers: "2" names 배송비, so it gets what the candidate's tap gets,
// the stale-tap text and the current menu — never the main menu's option 2
// (교환/반품), which the user did not pick.
func TestClarifyNumberAfterReload(t *testing.T) {
	v1 := newEngine(t, testConfig(), Options{})
	asked := v1.Step(welcomedBot(), text("배송"))
	if asked.Record.Kind != "clarify" || len(asked.Conversation.Clarify) != 3 || asked.Conversation.Clarify[1] != "ship-fee" {
		t.Fatalf("setup: got %+v clarify %v, want a clarify of 3 with ship-fee second", asked.Record, asked.Conversation.Clarify)
	}
	v2 := newEngine(t, answerReworded(), Options{})
	for _, say := range []string{"2", "2번", "３"} {
		got := v2.Step(asked.Conversation, text(say))
		answered := got.Record.Kind == "faq" && got.Record.Node == "ship-fee"
		stale := strings.Contains(allText(got.Reply), v2.texts.StaleTap)
		if !answered && !stale {
			t.Errorf("%q under a clarify list after a reload: got record %+v, reply %q; want the ship-fee answer (or the stale text), not a main menu option",
				say, got.Record, allText(got.Reply))
		}
	}
	// A number past the list still picks the menu's option, and "0" goes home.
	if got := v2.Step(asked.Conversation, text("4")); got.Record.Kind == "stale" {
		t.Errorf("\"4\" past a list of three after a reload: got %+v, want the menu's option", got.Record)
	}
	if got := v2.Step(asked.Conversation, text("0")); got.Record != (TurnRecord{Kind: "menu", Node: "main"}) {
		t.Errorf("\"0\" after a reload: got %+v, want the main menu", got.Record)
	}
}

// TestTypedNumberInDeletedMenu: the user is in shipping-more (path main >
// shipping > shipping-more) and a reload deletes that menu; prepare resets
// the path to the main menu. The user types "1" for the option they saw
// there (해외 배송 기간). A tap on that option gets the stale text and the
// current menu (staleMenu); the typed number, which names the same option,
// gets the same, and is not re-read against a menu the user never saw (the
// main menu's option 1, 주문/배송).
func TestTypedNumberInDeletedMenu(t *testing.T) {
	cfg := testConfig()
	cfg.Version = "v2"
	delete(cfg.Menus, "shipping-more")
	sh := cfg.Menus["shipping"]
	opts := []configs.Option{}
	for _, o := range sh.Options {
		if o.ID != "more" {
			opts = append(opts, o)
		}
	}
	sh.Options = opts
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "shipping", "shipping-more"}
	tap := e.Step(c, tapIn("해외 배송 기간", Tap{V: "v1", N: "shipping-more", O: "intl", S: StateBot, H: "x"}))
	if !strings.Contains(allText(tap.Reply), e.texts.StaleTap) {
		t.Fatalf("setup: the tap got %q, want the stale text", allText(tap.Reply))
	}
	got := e.Step(c, text("1"))
	if !strings.Contains(allText(got.Reply), e.texts.StaleTap) {
		t.Errorf("\"1\" typed in a menu a reload deleted: got record %+v, reply %q; want the stale text and the current menu, as its tap gets",
			got.Record, allText(got.Reply))
	}
	// The menu shown with it is the one the next number is read against.
	if next := e.Step(got.Conversation, text("1")); next.Record != (TurnRecord{Kind: "menu", Node: "shipping"}) {
		t.Errorf("\"1\" on the turn after: got %+v, want the main menu's option 1 (shipping)", next.Record)
	}
}
