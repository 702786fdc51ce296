package fsm

import (
	"strings"
	"testing"
)

// TestGreetingIsGreetedBack: a hello typed alone, that the example shop's
// FAQ has no answer for, gets the welcome text and the menu's quick replies
// — not texts.no_match — and is no FAQ miss (a greeting and then one real
// miss does not offer an agent); a hello with a question still asks the
// FAQ.
func TestGreetingIsGreetedBack(t *testing.T) {
	e, cfg := exampleShop(t)
	for _, say := range []string{"안녕하세요", "안녕하세요~", "안녕하세요!!", "안녕하세요 ㅎㅎ", "안녕", "저기요", "hello", "반갑습니다"} {
		t.Run(say, func(t *testing.T) {
			o := e.Step(welcomedBot(), text(say))
			got := allText(o.Reply)
			if o.Record.Kind != "greeting" || !strings.Contains(got, cfg.Welcome.Text) || strings.Contains(got, e.texts.NoMatch) {
				t.Fatalf("%q: got %+v %q, want the welcome text as a greeting", say, o.Record, got)
			}
			if o.Conversation.FAQMisses != 0 {
				t.Errorf("%q: got %d FAQ misses, want 0", say, o.Conversation.FAQMisses)
			}
			if len(o.Reply.QuickReplies) == 0 {
				t.Errorf("%q: no quick replies, want the menu's", say)
			}
			// A real miss after the hello is the first miss, not the second.
			o2 := e.Step(o.Conversation, text("쿼크 글루온 플라스마"))
			if o2.Record.Kind != "no_match" || o2.Conversation.FAQMisses != 1 {
				t.Errorf("%q then a miss: got %+v with %d misses, want no_match with 1", say, o2.Record, o2.Conversation.FAQMisses)
			}
		})
	}
	o := e.Step(welcomedBot(), text("안녕하세요 배송 언제 와요?"))
	if o.Record.Kind != "faq" {
		t.Errorf("a hello with a question: got %+v, want an FAQ answer", o.Record)
	}
}
