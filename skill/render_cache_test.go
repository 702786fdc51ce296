package skill

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestRenderCacheNeverServesAnotherReply: two different replies that carry
// the same CacheKey (an engine bug, or a key that is too coarse) must each
// get their own bytes.
func TestRenderCacheNeverServesAnotherReply(t *testing.T) {
	s, b := &Server{}, &bundle{}
	qr := []fsm.QuickReply{{Label: "처음으로", Tap: &fsm.Tap{V: "v1", N: "main", O: "top"}}}
	menu := fsm.Reply{Messages: []fsm.Message{{Text: "무엇을 도와드릴까요?"}}, QuickReplies: qr, CacheKey: "main"}
	link := fsm.Reply{Messages: []fsm.Message{{Card: &fsm.Card{Description: "샘플몰", Buttons: []fsm.Button{{Kind: fsm.ButtonLink, Label: "바로가기", URL: "https://example.com"}}}}}, QuickReplies: qr, CacheKey: "main"}
	tapChanged := fsm.Reply{Messages: menu.Messages, QuickReplies: []fsm.QuickReply{{Label: "처음으로", Tap: &fsm.Tap{V: "v2", N: "main", O: "top"}}}, CacheKey: "main"}

	first, _, err := s.render(b, &menu, false)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*fsm.Reply{"other message": &link, "other tap": &tapChanged} {
		want, err := Render(*r, false)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.render(b, r, false)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: got the cached bytes of another reply:\n%s\nwant\n%s", name, got, want)
		}
	}
	again, _, _ := s.render(b, &menu, false)
	if !bytes.Equal(again, first) {
		t.Fatal("the static reply is no longer served from its cache entry")
	}
	// The cache does not alias the engine's slices: mutating the reply
	// after rendering must not change what the cached entry is compared to.
	menu.QuickReplies[0].Label = "바뀜"
	fresh := fsm.Reply{Messages: []fsm.Message{{Text: "무엇을 도와드릴까요?"}},
		QuickReplies: []fsm.QuickReply{{Label: "처음으로", Tap: &fsm.Tap{V: "v1", N: "main", O: "top"}}}, CacheKey: "main"}
	if again, _, _ := s.render(b, &fresh, false); !bytes.Equal(again, first) {
		t.Fatalf("after the engine's slice changed: got %s, want the original bytes", again)
	}
}

// TestRenderCacheIsBounded: past maxCachedReplies distinct keys nothing more
// is kept, and replies past the bound still render correctly.
func TestRenderCacheIsBounded(t *testing.T) {
	s, b := &Server{}, &bundle{}
	for i := range maxCachedReplies + 50 {
		r := fsm.Reply{Messages: []fsm.Message{{Text: "답변 " + strconv.Itoa(i)}}, CacheKey: "k" + strconv.Itoa(i)}
		got, _, err := s.render(b, &r, false)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := Render(r, false); !bytes.Equal(got, want) {
			t.Fatalf("reply %d: got %s, want %s", i, got, want)
		}
	}
	n := 0
	b.cache.Range(func(any, any) bool { n++; return true })
	if n != maxCachedReplies || b.cached.Load() != maxCachedReplies {
		t.Fatalf("got %d cached replies (counter %d), want %d", n, b.cached.Load(), maxCachedReplies)
	}
}
