package fsm

import "testing"

// TestCacheKeyOnlyForTheMenuItself: a reply may carry a CacheKey only when it
// is exactly a menu page. A link card, an option's text or any other message
// shown above the same menu's quick replies must not share the menu's key.
func TestCacheKeyOnlyForTheMenuItself(t *testing.T) {
	e, err := New(generatedConfig(10), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := welcomedBot()
	c.MenuPath = []string{"main", "m3"}
	tap := func(opt string) Reply {
		return e.Step(c, tapIn(opt, Tap{V: "v1", N: "m3", O: opt, S: StateBot})).Reply
	}
	menu := tap("next") // goes to m4: the menu itself
	if menu.CacheKey == "" {
		t.Fatalf("a plain menu page has no CacheKey: %+v", menu)
	}
	for _, opt := range []string{"link", "text", "faq"} {
		if r := tap(opt); r.CacheKey != "" {
			t.Fatalf("option %s: reply %+v has CacheKey %q, want none (it is not the bare menu)", opt, r.Messages, r.CacheKey)
		}
	}
}
