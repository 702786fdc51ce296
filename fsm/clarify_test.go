package fsm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// clarified is the conversation and reply after "배송", which the test
// matcher answers with a clarify of ship-track, ship-fee and intl.
func clarified(t *testing.T, e *Engine, group bool) Outcome {
	t.Helper()
	in := text("배송")
	in.Group = group
	o := e.Step(welcomedBot(), in)
	if o.Record.Kind != "clarify" || len(o.Conversation.Clarify) != 3 {
		t.Fatalf("got %+v clarify %v, want a clarify of 3", o.Record, o.Conversation.Clarify)
	}
	return o
}

// candidateTap returns the quick reply of the n-th clarify candidate.
func candidateTap(t *testing.T, r Reply, n int) QuickReply {
	t.Helper()
	for _, q := range r.QuickReplies {
		if q.Tap != nil && q.Tap.N == nodeFAQ && q.Tap.O != optNotHelpful {
			if n--; n == 0 {
				return q
			}
		}
	}
	t.Fatalf("no clarify candidate %d in %v", n, qrLabels(r))
	return QuickReply{}
}

func TestClarifyTypedChoice(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	o := clarified(t, e, false)
	if got := allText(o.Reply); !strings.Contains(got, e.texts.Clarify) || !strings.Contains(got, "번호로") ||
		!strings.Contains(got, "2. 배송비는 얼마인가요?") {
		t.Fatalf("got clarify text %q, want the numbered list and the number hint", got)
	}
	cases := []struct {
		utterance string
		n         int // the candidate picked
	}{
		{"1", 1},
		{"2", 2},
		{"3", 3},
		{" 2 ", 2},
		{"2번", 2},
		{"2 번", 2},
		{"２", 2},
		{"３번", 3},
		{"배송비는 얼마인가요?", 2},
		{"배송비는 얼마인가요", 2},
		{"배송비는얼마인가요 ?!", 2},
		{"해외 배송은, 며칠 걸리나요", 3},
	}
	for _, tc := range cases {
		t.Run(tc.utterance, func(t *testing.T) {
			c := o.Conversation
			c.FAQMisses = 1
			got := e.Step(c, text(tc.utterance))
			q := candidateTap(t, o.Reply, tc.n)
			id := q.Tap.O
			if got.Record != (TurnRecord{Kind: "faq", Node: id, Score: 1}) {
				t.Errorf("got record %+v, want faq %s with score 1", got.Record, id)
			}
			if want := e.faqs[id].answer; !strings.Contains(allText(got.Reply), want) {
				t.Errorf("got reply %q, want the answer of %s", allText(got.Reply), id)
			}
			if len(got.Conversation.Clarify) != 0 || got.Conversation.FAQMisses != 0 {
				t.Errorf("got clarify %v misses %d, want both reset", got.Conversation.Clarify, got.Conversation.FAQMisses)
			}
			// Typing the choice is tapping the candidate's quick reply.
			tapped := e.Step(c, tapIn(q.Text, *q.Tap))
			if tapped.Input != InputTap || got.Input != InputText {
				t.Errorf("inputs: got tapped %v, typed %v; want tap, text", tapped.Input, got.Input)
			}
			tapped.Input = got.Input // the one difference: how the turn came in
			if d := cmp.Diff(tapped, got); d != "" {
				t.Errorf("typed %q differs from tapping %q (-tap +typed):\n%s", tc.utterance, q.Label, d)
			}
		})
	}
}

func TestClarifyOtherInput(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	two := welcomedBot()
	two.Clarify = []string{"ship-track", "ship-fee"}
	cases := []struct {
		name      string
		utterance string
		want      TurnRecord
		misses    int
	}{
		// Out of the list: the current menu's option 3 (운영 시간), as before.
		{"number past the list", "3", TurnRecord{Kind: "text", Node: "main/hours"}, 0},
		{"number past the list, 번", "3번", TurnRecord{Kind: "text", Node: "main/hours"}, 0},
		{"0 goes home", "0", TurnRecord{Kind: "menu", Node: "main"}, 0},
		{"typed home goes home", "처음으로", TurnRecord{Kind: "menu", Node: "main"}, 0},
		{"another question asks the FAQ", "반품", TurnRecord{Kind: "faq", Node: "ret-how", Score: 0.9}, 0},
		// Free text: the ignored clarify and the no-match are two misses.
		{"a number word is free text", "이번", TurnRecord{Kind: "handoff", Node: "general", Escalate: ReasonFAQMisses}, 2},
		{"a candidate's question with more words", "배송비는 얼마인가요 궁금해요",
			TurnRecord{Kind: "handoff", Node: "general", Escalate: ReasonFAQMisses}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := e.Step(two, text(tc.utterance))
			if o.Record != tc.want {
				t.Errorf("got record %+v, want %+v", o.Record, tc.want)
			}
			if len(o.Conversation.Clarify) != 0 || o.Conversation.FAQMisses != tc.misses {
				t.Errorf("got clarify %v misses %d, want none and %d", o.Conversation.Clarify, o.Conversation.FAQMisses, tc.misses)
			}
		})
	}
}

func TestClarifyChoiceClearsTheList(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	o := clarified(t, e, false)
	o = e.Step(o.Conversation, text("1"))
	if o.Record.Node != "ship-track" {
		t.Fatalf("got %+v, want ship-track picked", o.Record)
	}
	o = e.Step(o.Conversation, text("1")) // the main menu's 주문/배송 again
	if o.Record != (TurnRecord{Kind: "menu", Node: "shipping"}) {
		t.Errorf("got %+v, want the main menu's option 1", o.Record)
	}
}

func TestClarifyGroupChat(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	o := clarified(t, e, true)
	if len(o.Reply.QuickReplies) != 0 {
		t.Errorf("got quick replies %v in a group chat, want none", qrLabels(o.Reply))
	}
	if got := allText(o.Reply); !strings.Contains(got, "1. 배송 조회는 어떻게 하나요?") || !strings.Contains(got, "3. 해외 배송은 며칠 걸리나요?") {
		t.Fatalf("got %q, want the numbered candidates", got)
	}
	in := text("2")
	in.Group = true
	o = e.Step(o.Conversation, in)
	if o.Record != (TurnRecord{Kind: "faq", Node: "ship-fee", Score: 1}) || !strings.Contains(allText(o.Reply), "3만원 이상 무료배송") {
		t.Errorf("got %+v %q, want ship-fee answered", o.Record, allText(o.Reply))
	}
}

func TestTypedNumber(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want bool
	}{
		{"1", 1, true}, {" 2 ", 2, true}, {"0", 0, true}, {"23", 23, true}, {"+1", 1, true},
		{"1번", 1, true}, {"1 번", 1, true}, {" 12번 ", 12, true}, {"0번", 0, true},
		{"１", 1, true}, {"２３", 23, true}, {"１２３", 123, true}, {"１번", 1, true}, {"1２", 12, true},
		{"", 0, false}, {"번", 0, false}, {"1번번", 0, false}, {"번1", 0, false}, {"이번", 0, false},
		{"일", 0, false}, {"1000", 0, false}, {"１２３４", 0, false}, {"1a", 0, false}, {"１.", 0, false},
		{"1 2", 0, false}, {"-１", 0, false},
	}
	for _, tc := range cases {
		n, ok := typedNumber(tc.in)
		if ok != tc.want || (ok && n != tc.n) {
			t.Errorf("typedNumber(%q): got %d %v, want %d %v", tc.in, n, ok, tc.n, tc.want)
		}
	}
}

func TestMenuNumberWithSuffix(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	for _, u := range []string{"1번", "１"} {
		o := e.Step(welcomedBot(), text(u))
		if o.Record != (TurnRecord{Kind: "menu", Node: "shipping"}) {
			t.Errorf("%q: got %+v, want the main menu's option 1", u, o.Record)
		}
	}
}
