package fsm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// wantNavRoom fails unless r offers at most Kakao's 10 quick replies, no
// text twice, and each of labels.
func wantNavRoom(t *testing.T, what string, r Reply, labels ...string) {
	t.Helper()
	if n := len(r.QuickReplies); n > maxQuickReplies {
		t.Errorf("%s: %d quick replies %v, over Kakao's %d", what, n, qrLabels(r), maxQuickReplies)
	}
	seen := map[string]bool{}
	for _, q := range r.QuickReplies {
		if seen[q.Text] {
			t.Errorf("%s: %q offered twice in %v", what, q.Text, qrLabels(r))
		}
		seen[q.Text] = true
	}
	for _, l := range labels {
		if !hasQR(r, l) {
			t.Errorf("%s: quick replies %v (%d), want %s", what, qrLabels(r), len(r.QuickReplies), l)
		}
	}
}

// walkPages follows a menu's 더보기 from the page o shows until it comes
// back round, checking every page with wantNavRoom, and returns how many
// pages showed each option label starting with prefix (before 더보기).
func walkPages(t *testing.T, e *Engine, o Outcome, what, prefix string, nav ...string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	first := ""
	for page := 1; page <= 20; page++ {
		wantNavRoom(t, fmt.Sprintf("%s, page %d", what, page), o.Reply, nav...)
		var opts []string
		for _, q := range o.Reply.QuickReplies {
			if q.Label == e.texts.More {
				break // the main menu's entries may follow a page of it
			}
			if strings.HasPrefix(q.Label, prefix) {
				opts = append(opts, q.Label)
			}
		}
		if len(opts) > 0 && opts[0] == first {
			return seen
		}
		if page == 1 && len(opts) > 0 {
			first = opts[0]
		}
		for _, l := range opts {
			seen[l]++
		}
		if !hasQR(o.Reply, e.texts.More) {
			return seen
		}
		o = e.Step(o.Conversation, tapIn(e.texts.More, *findQR(t, o.Reply, e.texts.More).Tap))
	}
	t.Fatalf("%s: 더보기 never came back to the first page", what)
	return nil
}

// 상담원 연결 is the way to a human: every menu a 1:1 user can escalate
// from offers it, with 이전 on a menu a submenu leads to and 처음으로 below
// the main menu, all within Kakao's 10 quick replies. A menu of 10 options
// or fewer whose options and navigation replies would still pass 10 is
// paged like a longer one (a main menu of 10, a submenu of 9, a deeper one
// of 8), so no option is dropped either; one that fits stays on one page.
func TestMenuOptionsLeaveRoomForNavigation(t *testing.T) {
	for _, tc := range []struct {
		where string // main, sub (main → it) or deep (main → sub → it)
		n     int
		paged bool
	}{
		{"main", 9, false}, {"main", 10, true},
		{"sub", 8, false}, {"sub", 9, true}, {"sub", 10, true},
		{"deep", 7, false}, {"deep", 8, true}, {"deep", 9, true}, {"deep", 10, true},
	} {
		name := fmt.Sprintf("%s of %d", tc.where, tc.n)
		t.Run(name, func(t *testing.T) {
			cfg := testConfig()
			pg := pagedMenu("메뉴예요.", tc.n)
			c := welcomedBot()
			in := text("") // empty input: the current menu again
			var nav []string
			switch tc.where {
			case "main":
				// The other menus are left unreachable (fsm compiles them
				// anyway): main has exactly n options.
				cfg.Menus["main"] = pg
				nav = []string{e0Agent}
			case "sub":
				cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "pg", Label: "긴 목록", Goto: "pg"})
				cfg.Menus["pg"] = pg
				c.MenuPath = []string{"main", "pg"}
				nav = []string{e0Home, e0Agent}
			case "deep":
				cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "sub", Label: "하위 메뉴", Goto: "sub"})
				cfg.Menus["sub"] = &configs.Menu{Text: "하위", Options: []configs.Option{{ID: "pg", Label: "긴 목록", Goto: "pg"}}}
				cfg.Menus["pg"] = pg
				c.MenuPath = []string{"main", "sub", "pg"}
				nav = []string{e0Back, e0Home, e0Agent}
			}
			e := newEngine(t, cfg, Options{})
			o := e.Step(c, in)
			if got := hasQR(o.Reply, e.texts.More); got != tc.paged {
				t.Errorf("paged %v, want %v: %v", got, tc.paged, qrLabels(o.Reply))
			}
			seen := walkPages(t, e, o, name, "옵션 ", nav...)
			for i := 1; i <= tc.n; i++ {
				if k := seen[fmt.Sprint("옵션 ", i)]; k != 1 {
					t.Errorf("옵션 %d on %d pages, want exactly one", i, k)
				}
			}
		})
	}
}

// The navigation labels wantNavRoom looks for (configs.DefaultTexts).
var (
	e0Back  = configs.DefaultTexts().Back
	e0Home  = configs.DefaultTexts().Home
	e0Agent = configs.DefaultTexts().Agent
	e0More  = configs.DefaultTexts().More
)

// An option labelled like a navigation reply that does what that reply does
// shares its quick reply with it: the example shop's 주문/배송 (7 options,
// 이전 and 처음으로 with back/home: true) still fits one page with 상담원
// 연결.
func TestExampleMenusFitOnePage(t *testing.T) {
	e, _ := exampleShop(t)
	for _, path := range [][]string{nil, {"main", "shipping"}, {"main", "returns"}, {"main", "shipping", "tracking"}} {
		c := welcomedBot()
		c.ConfigVersion = e.version
		c.MenuPath = path
		o := e.Step(c, text(""))
		what := fmt.Sprint("menu ", path)
		if hasQR(o.Reply, e.texts.More) {
			t.Errorf("%s is paged: %v", what, qrLabels(o.Reply))
		}
		m := e.menus[o.Record.Node]
		for _, opt := range m.options {
			if !hasQR(o.Reply, opt.label) {
				t.Errorf("%s: option %q missing from %v", what, opt.label, qrLabels(o.Reply))
			}
		}
		wantNavRoom(t, what, o.Reply, e.texts.Agent)
	}
}

// An FAQ answer picked from a menu offers the menu's options again under
// the answer, with 도움이 안 됐어요 first: 상담원 연결 (and 이전, 처음으로,
// 더보기) stays among the 10 quick replies — the menu's options give way,
// not the way to a human. The example shop's 주문/배송 → 배송 기간 is one
// such answer; the pages of a paged (deep) menu are others.
func TestFAQAnswerUnderMenuKeepsAgent(t *testing.T) {
	t.Run("example", func(t *testing.T) {
		e, _ := exampleShop(t)
		c := welcomedBot()
		c.ConfigVersion = e.version
		o := e.Step(c, tapIn("주문/배송", Tap{V: e.version, N: "main", O: "ship", S: StateBot}))
		o = e.Step(o.Conversation, tapIn("배송 기간", Tap{V: e.version, N: "shipping", O: "time", S: StateBot}))
		if o.Record.Kind != "faq" {
			t.Fatalf("record %+v", o.Record)
		}
		wantNavRoom(t, "배송 기간's answer", o.Reply, e.texts.NotHelpful, e.texts.Home, e.texts.Agent)
	})
	for _, deep := range []bool{false, true} {
		t.Run(fmt.Sprint("paged deep=", deep), func(t *testing.T) {
			cfg := testConfig()
			pg := pagedMenu("긴 목록이에요.", 14)
			for _, i := range []int{0, 8} { // 옵션 1 on page 1, 옵션 9 on page 2
				pg.Options[i] = configs.Option{ID: pg.Options[i].ID, Label: pg.Options[i].Label, FAQ: "ship-fee"}
			}
			cfg.Menus["pg"] = pg
			c := welcomedBot()
			nav := []string{e0More, e0Home, e0Agent}
			if deep {
				cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "sub", Label: "하위 메뉴", Goto: "sub"})
				cfg.Menus["sub"] = &configs.Menu{Text: "하위", Options: []configs.Option{{ID: "pg", Label: "긴 목록", Goto: "pg"}}}
				c.MenuPath = []string{"main", "sub", "pg"}
				nav = append(nav, e0Back)
			} else {
				cfg.Menus["main"].Options = append(cfg.Menus["main"].Options, configs.Option{ID: "pg", Label: "긴 목록", Goto: "pg"})
				c.MenuPath = []string{"main", "pg"}
			}
			e := newEngine(t, cfg, Options{})
			o := e.Step(c, text(""))
			for _, id := range []string{"o1", "o9"} {
				a := e.Step(o.Conversation, tapIn(id, Tap{V: e.version, N: "pg", O: id, S: StateBot, H: e.menus["pg"].byID[id].hash}))
				if a.Record.Kind != "faq" {
					t.Fatalf("%s: record %+v", id, a.Record)
				}
				wantNavRoom(t, "answer of "+id, a.Reply, append(nav, e.texts.NotHelpful)...)
			}
		})
	}
}
