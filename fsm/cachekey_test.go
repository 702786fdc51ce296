package fsm

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCacheKeyOnlyForTheMenuItself: a menu page has its key. A link card, an
// option's text or any other message shown above the same menu's quick
// replies must not share the menu's key (they may have keys of their own:
// TestSlowCacheKeyNamesOneReply).
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
	seen := map[string]string{menu.CacheKey: "the menu"}
	for _, opt := range []string{"link", "text", "faq"} {
		r := tap(opt)
		if other, dup := seen[r.CacheKey]; dup {
			t.Fatalf("option %s: reply %+v has CacheKey %q, the key of %s", opt, r.Messages, r.CacheKey, other)
		}
		if r.CacheKey != "" {
			seen[r.CacheKey] = "option " + opt
		}
	}
}

// TestCacheKeyForFAQAnswers: a typed question answered by the FAQ is a
// config-only reply with its own key (never a menu's); every switch that
// changes its bytes (the answer, the state its taps carry, 상담원 on top)
// changes the key, and an answer that carries anything else (the privacy
// notice of a never-welcomed user) has none.
func TestCacheKeyForFAQAnswers(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	c := welcomedBot()
	answer := func(c Conversation, u string) Reply {
		t.Helper()
		o := e.Step(c, text(u))
		if o.Record.Kind != "faq" {
			t.Fatalf("%q: got record %+v, want an FAQ answer", u, o.Record)
		}
		return o.Reply
	}
	track := answer(c, "배송 조회 어떻게 해요")
	if !strings.HasPrefix(track.CacheKey, "answer/") {
		t.Fatalf("got CacheKey %q, want an answer key", track.CacheKey)
	}
	again := c
	again.FAQMisses = 1
	if got := answer(again, "배송 조회 어떻게 해요"); got.CacheKey != track.CacheKey || !reflect.DeepEqual(got, track) {
		t.Errorf("the same answer twice: got key %q and %+v, want key %q and %+v", got.CacheKey, got, track.CacheKey, track)
	}
	keys := map[string]string{"track": track.CacheKey}
	for name, u := range map[string]string{"fee": "배송비 얼마", "agentTop": "상담원 운영 시간이 언제예요?"} {
		r := answer(c, u)
		for other, k := range keys {
			if r.CacheKey == k {
				t.Errorf("%s: got the key of %s (%q)", name, other, k)
			}
		}
		keys[name] = r.CacheKey
	}
	fresh := welcomedBot()
	fresh.WelcomedAt = time.Time{}
	if r := answer(fresh, "배송 조회 어떻게 해요"); r.CacheKey == "" || r.CacheKey == track.CacheKey {
		t.Errorf("an answer with the privacy notice: got CacheKey %q, want one of its own (not %q)", r.CacheKey, track.CacheKey)
	}
}

// TestCacheKeyForWelcome: the first welcome (greeting, privacy notice and
// main menu) is config-only too, but a user who is not a friend gets the
// add-channel hint and so another key; equal keys mean equal replies.
func TestCacheKeyForWelcome(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	welcome := func(key string, friend bool) Reply {
		t.Helper()
		in := welcomeIn(friend)
		o := e.Step(Conversation{UserKey: key, State: StateBot}, in)
		if !o.Welcomed || len(o.Reply.Messages) != 2 {
			t.Fatalf("got Welcomed %v and %d messages, want the full welcome", o.Welcomed, len(o.Reply.Messages))
		}
		return o.Reply
	}
	a, b, stranger := welcome("u1", true), welcome("u2", true), welcome("u3", false)
	if a.CacheKey == "" || a.CacheKey != b.CacheKey || !reflect.DeepEqual(a, b) {
		t.Errorf("two friends' welcomes: got keys %q and %q, want one key for equal replies", a.CacheKey, b.CacheKey)
	}
	if stranger.CacheKey == "" || stranger.CacheKey == a.CacheKey || reflect.DeepEqual(stranger.Messages, a.Messages) {
		t.Errorf("a stranger's welcome: got key %q (a friend's is %q), want another key for another reply", stranger.CacheKey, a.CacheKey)
	}
}
