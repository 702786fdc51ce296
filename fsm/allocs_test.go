//go:build !race

package fsm

import (
	"strings"
	"testing"
)

// TestSlowStaticReplyAllocs holds a menu tap and an FAQ answer — the
// replies the renderer caches by CacheKey — to the allocations this version
// measures: each key is one allocation (not one per builder growth) and an
// answer's reply id is made once per config. Lower the ceilings when a
// change cuts more; raise them only with a reason in the commit.
func TestSlowStaticReplyAllocs(t *testing.T) {
	menus, err := New(generatedConfig(10), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	faqs := newEngine(t, testConfig(), Options{})
	home, c := welcomedBot(), welcomedBot()
	c.MenuPath = []string{"main", "m5"}
	for _, tc := range []struct {
		name string
		e    *Engine
		c    Conversation
		in   Input
		key  string
		max  float64
	}{
		{"menu", menus, c, tapIn("다음", Tap{V: "v1", N: "m5", O: "next", S: StateBot}), "menu/", 5},
		// From the main menu the path is made whole, in one allocation.
		{"menu from home", menus, home, tapIn("다음", Tap{V: "v1", N: "main", O: "next", S: StateBot}), "menu/", 4},
		{"faq", faqs, c, text("배송비 얼마"), "answer/", 8},
	} {
		o := tc.e.Step(tc.c, tc.in)
		if k := o.Reply.CacheKey; !strings.HasPrefix(k, tc.key) {
			t.Fatalf("%s: got cache key %q, want one starting %q", tc.name, k, tc.key)
		}
		if tc.c.MenuPath == nil && strings.Join(o.Conversation.MenuPath, ",") != "main,m1" {
			t.Fatalf("%s: got path %v, want main,m1", tc.name, o.Conversation.MenuPath)
		}
		got := testing.AllocsPerRun(200, func() { tc.e.Step(tc.c, tc.in) })
		if got > tc.max {
			t.Errorf("%s: got %v allocations per Step, want at most %v", tc.name, got, tc.max)
		}
	}
}
