package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// backWithClarify is the outcome of a user back from a human whose first
// text the FAQ answers with a clarify list: the reply asks both which
// question was meant and the CSAT question.
func backWithClarify(t *testing.T, e *Engine) Outcome {
	t.Helper()
	human := welcomedBot()
	human.State, human.HandoffID, human.Queue = StateHuman, "h1", "general"
	o := e.Step(human, text("배송"))
	if o.Record.Kind != "clarify" || len(o.Conversation.Clarify) != 3 {
		t.Fatalf("got %+v clarify %v, want a clarify of 3", o.Record, o.Conversation.Clarify)
	}
	if !strings.Contains(allText(o.Reply), e.texts.CSATQuestion) {
		t.Fatalf("got %q, want the CSAT question beside the clarify", allText(o.Reply))
	}
	return o
}

// backAsked is the outcome of an agent ending a handoff: the reply asks the
// CSAT question alone (no clarify list).
func backAsked(t *testing.T, e *Engine) Outcome {
	t.Helper()
	human := welcomedBot()
	human.State, human.HandoffID, human.Queue = StateHuman, "h1", "general"
	back := e.Step(human, eventIn("상담 종료"))
	if back.Conversation.CSATPending != CSATFromReply+":h1" || back.Conversation.Clarify != nil {
		t.Fatalf("after the return: CSATPending %q, clarify %v; want %q and none",
			back.Conversation.CSATPending, back.Conversation.Clarify, CSATFromReply+":h1")
	}
	return back
}

// TestCSATPendingBesideAClarify: a reply that asks the CSAT question and a
// clarify list keeps both pending, each in its own field; the list's
// numbers pick its candidates, a score outside them (or with 점) answers
// the CSAT question without counting the clarify as ignored.
func TestCSATPendingBesideAClarify(t *testing.T) {
	e := eventConfigEngine(t)
	o := backWithClarify(t, e)
	if got := o.Conversation.CSATPending; got != CSATFromReply+":h1" {
		t.Fatalf("CSATPending: got %q, want %q", got, CSATFromReply+":h1")
	}
	ids := o.Conversation.Clarify
	for _, tc := range []struct {
		say        string
		wantKind   string
		wantNode   string
		wantMisses int
	}{
		{"2", "faq", ids[1], 0},
		{"4", "csat", "reply:4", o.Conversation.FAQMisses},
		{"5점", "csat", "reply:5", o.Conversation.FAQMisses},
		{"3점", "csat", "reply:3", o.Conversation.FAQMisses},
		{"5점 드려요", "csat", "reply:5", o.Conversation.FAQMisses},
		{"만점이요", "csat", "reply:5", o.Conversation.FAQMisses},
		{"네 점 줄게요", "csat", "reply:4", o.Conversation.FAQMisses},
		{"5점 드려요 😊", "csat", "reply:5", o.Conversation.FAQMisses},
		{"4점이요~ ㅎㅎ", "csat", "reply:4", o.Conversation.FAQMisses},
		{"별 2개", "csat", "reply:2", o.Conversation.FAQMisses},
		{"별 다섯개요", "csat", "reply:5", o.Conversation.FAQMisses},
		{"5점 만점에 3점", "csat", "reply:3", o.Conversation.FAQMisses},
		{"5점 만점", "csat", "reply:5", o.Conversation.FAQMisses},
		{"백점", "csat", "reply:5", o.Conversation.FAQMisses},
		{"100점 드려요", "csat", "reply:5", o.Conversation.FAQMisses},
	} {
		t.Run(tc.say, func(t *testing.T) {
			got := e.Step(o.Conversation, text(tc.say))
			if got.Record.Kind != tc.wantKind || got.Record.Node != tc.wantNode {
				t.Errorf("got record %+v, want %s %s", got.Record, tc.wantKind, tc.wantNode)
			}
			c := got.Conversation
			if c.CSATPending != "" || c.Clarify != nil || c.FAQMisses != tc.wantMisses {
				t.Errorf("got CSATPending %q, clarify %v, misses %d; want none pending and %d misses",
					c.CSATPending, c.Clarify, c.FAQMisses, tc.wantMisses)
			}
		})
	}
}

// TestCSATPendingLastsOneTurn: a clarify asked on the turn after the CSAT
// question replaces nothing of it and is not taken for it: the question
// was open for that one turn, and the clarify's "1" then picks an FAQ.
func TestCSATPendingLastsOneTurn(t *testing.T) {
	e := eventConfigEngine(t)
	back := backAsked(t, e)
	asked := e.Step(back.Conversation, text("배송"))
	if asked.Record.Kind != "clarify" || asked.Conversation.CSATPending != "" {
		t.Fatalf("got %+v, CSATPending %q; want a clarify and the CSAT question closed", asked.Record, asked.Conversation.CSATPending)
	}
	picked := e.Step(asked.Conversation, text("1"))
	if want := asked.Conversation.Clarify[0]; picked.Record.Kind != "faq" || picked.Record.Node != want {
		t.Errorf("\"1\" after the clarify: got %+v, want faq %s", picked.Record, want)
	}
}

// TestCSATPendingAcrossIdleAndReload: session_idle closes the CSAT
// question; a reload does not (a CSAT tap survives one too), while it
// drops a clarify list.
func TestCSATPendingAcrossIdleAndReload(t *testing.T) {
	e := eventConfigEngine(t)
	c := welcomedBot()
	c.CSATPending, c.Clarify = CSATFromReply, []string{"ship-track", "ship-fee"}

	idle := c
	idle.LastTurnAt = t0.Add(-e.cfg.SessionIdle.D() - time.Minute)
	if got := e.Step(idle, text("5점")); got.Record.Kind == "csat" {
		t.Errorf("a score typed after session_idle: got %+v, want no CSAT answer", got.Record)
	}

	reloaded := c
	reloaded.ConfigVersion = "an-old-version"
	for _, say := range []string{"5점", "3"} {
		got := e.Step(reloaded, text(say))
		if diff := cmp.Diff(TurnRecord{Kind: "csat", Node: "reply:" + say[:1]}, got.Record); diff != "" {
			t.Errorf("%q typed after a reload (-want +got):\n%s", say, diff)
		}
	}
}

// TestCSATPendingListDroppedByAReload: a reload drops the clarify list
// asked beside the CSAT question, but the user still reads its numbers:
// "2" or "2번" picks the list's second question as far as they know, so it
// is not taken for a score of 2 (the list no longer answers it either);
// "4번" is a pick past it, as beside a list still pending.
func TestCSATPendingListDroppedByAReload(t *testing.T) {
	e := eventConfigEngine(t)
	c := backWithClarify(t, e).Conversation
	c.ConfigVersion = "an-old-version"
	for _, say := range []string{"2", "2번", "두 번째요", "4번"} {
		got := e.Step(c, text(say))
		if got.Record.Kind == "csat" {
			t.Errorf("%q after a reload dropped the list: got %+v, want no CSAT answer", say, got.Record)
		}
		if got.Conversation.CSATPending != "" {
			t.Errorf("%q: CSATPending %q, want the question closed", say, got.Conversation.CSATPending)
		}
	}
}

// TestCSATInWordsBesideAClarify: the reply back from a human asked two
// questions, a clarify list and the CSAT question. A user who answers the
// CSAT one in words ("좋았어요", the label the question gives 5점) ignored
// the list because they answered the other question, not because the bot
// failed them: that is not a miss, so the text's own no-match does not
// reach faq_misses and send them straight back to the human queue.
func TestCSATInWordsBesideAClarify(t *testing.T) {
	e := eventConfigEngine(t)
	o := backWithClarify(t, e)
	for _, say := range []string{"좋았어요", "아쉬워요", "친절했어요"} {
		got := e.Step(o.Conversation, text(say))
		c := got.Conversation
		if c.State != StateBot || got.Record.Kind == "handoff" {
			t.Errorf("%q: got %+v, state %s; want the user left with the bot", say, got.Record, c.State)
		}
		if c.FAQMisses > o.Conversation.FAQMisses+1 || c.Clarify != nil {
			t.Errorf("%q: %d misses (from %d), clarify %v; want the no-match alone counted and the list closed",
				say, c.FAQMisses, o.Conversation.FAQMisses, c.Clarify)
		}
	}
}

// TestCSATListPickPastTheList: "4번" typed after a reply that showed a
// clarify list of three ("번호로 답하셔도 돼요", 1. to 3.) and the CSAT
// question (1점 to 5점, quick replies 5점 first) is a pick past the list,
// not a score of 4: nothing is recorded for the CSAT question, which
// closes, and the number is read as every pick past a clarify list is —
// the current menu's option 4 (here 홈페이지, a link card), the reply it
// gets beside the same list when no CSAT question was asked. The ignored
// list is no miss. A bare "4" stays a score (TestCSATPendingBesideAClarify).
func TestCSATListPickPastTheList(t *testing.T) {
	e := eventConfigEngine(t)
	o := backWithClarify(t, e)
	noCSAT := o.Conversation
	noCSAT.CSATPending = ""
	for _, say := range []string{"4번", "4번이요", "4 번", "４번", "네 번째요"} {
		t.Run(say, func(t *testing.T) {
			got := e.Step(o.Conversation, text(say))
			if diff := cmp.Diff(TurnRecord{Kind: "link", Node: "main/site"}, got.Record); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
			msgs := got.Reply.Messages
			if len(msgs) != 1 || msgs[0].Card == nil || msgs[0].Text != "" || msgs[0].Card.Description != "홈페이지" ||
				len(msgs[0].Card.Buttons) != 1 || msgs[0].Card.Buttons[0].Kind != ButtonLink ||
				msgs[0].Card.Buttons[0].Label != "홈페이지" || msgs[0].Card.Buttons[0].URL != "https://shop.example.com" {
				t.Errorf("got messages %+v, want one card 홈페이지 with its link button to https://shop.example.com", msgs)
			}
			if diff := cmp.Diff([]string{"주문/배송", "교환/반품", "운영 시간", "홈페이지", "전체 메뉴", "상담원 연결"},
				qrLabels(got.Reply)); diff != "" {
				t.Errorf("quick replies (-want +got):\n%s", diff)
			}
			if strings.Contains(allText(got.Reply), e.texts.CSATThanks) {
				t.Errorf("got %q, want no CSAT thanks", allText(got.Reply))
			}
			c := got.Conversation
			if c.CSATPending != "" || c.Clarify != nil || c.FAQMisses != o.Conversation.FAQMisses {
				t.Errorf("got CSATPending %q, clarify %v, %d misses; want none pending and %d misses",
					c.CSATPending, c.Clarify, c.FAQMisses, o.Conversation.FAQMisses)
			}
			plain := e.Step(noCSAT, text(say))
			if diff := cmp.Diff(plain.Reply, got.Reply); diff != "" {
				t.Errorf("reply differs from the same pick with no CSAT question (-plain +got):\n%s", diff)
			}
		})
	}
}

// TestCSATPositionWithoutAList: after the CSAT question alone (no clarify
// list), "N번" names the N-th quick reply as much as the score N, and the
// buttons run 5점 down to 1점: "4번" is 2점 by position, 4 by number. The
// first answer is kept for good, so such a reply records nothing: it gets
// texts.csat_unclear with the score buttons again and the question stays
// open, marked as asked again, and the next "2점" is the answer. "3번" is 3점 either way and
// counts; "4점" and a bare "4" are scores.
func TestCSATPositionWithoutAList(t *testing.T) {
	e := eventConfigEngine(t)
	back := backAsked(t, e)
	scores := []string{"5점", "4점", "3점", "2점", "1점"}
	for _, say := range []string{"4번", "4번이요", "1번", "2번", "5번요", "４번"} {
		t.Run(say, func(t *testing.T) {
			got := e.Step(back.Conversation, text(say))
			if diff := cmp.Diff(TurnRecord{Kind: "csat_unclear", Node: CSATFromReply}, got.Record); diff != "" {
				t.Fatalf("record (-want +got):\n%s", diff)
			}
			if m := got.Reply.Messages; len(m) != 1 || m[0].Text != e.texts.CSATUnclear {
				t.Errorf("reply: got %+v, want one text %q", m, e.texts.CSATUnclear)
			}
			if qr := qrLabels(got.Reply); len(qr) < len(scores) || !cmp.Equal(qr[:len(scores)], scores) {
				t.Errorf("quick replies: got %v, want the scores %v first", qr, scores)
			}
			if want := CSATFromReply + ":h1" + CSATAskedAgain; got.Conversation.CSATPending != want {
				t.Errorf("CSATPending: got %q, want %q", got.Conversation.CSATPending, want)
			}
			then := e.Step(got.Conversation, text("2점"))
			if diff := cmp.Diff(TurnRecord{Kind: "csat", Node: "reply:2"}, then.Record); diff != "" {
				t.Errorf("\"2점\" after the clarify (-want +got):\n%s", diff)
			}
		})
	}
	for say, want := range map[string]string{"3번": "reply:3", "3번이요": "reply:3", "4점": "reply:4", "4": "reply:4"} {
		got := e.Step(back.Conversation, text(say))
		if diff := cmp.Diff(TurnRecord{Kind: "csat", Node: want}, got.Record); diff != "" {
			t.Errorf("%q (-want +got):\n%s", say, diff)
		}
	}
}

// TestCSATAskedAgainOnce: the CSAT question is asked again once. A second
// score that could mean two ("4번" after "4번") records nothing, closes the
// question and is read as it would be with no CSAT question asked: here
// the main menu's option 4 (홈페이지). The marker lasts the one turn after
// the question asked again: an answer that is clear then still counts.
func TestCSATAskedAgainOnce(t *testing.T) {
	e := eventConfigEngine(t)
	back := backAsked(t, e)
	for _, say := range []string{"4번", "1번이요", "５번"} {
		t.Run(say, func(t *testing.T) {
			again := e.Step(back.Conversation, text("4번"))
			if again.Record.Kind != "csat_unclear" {
				t.Fatalf("first \"4번\": got %+v, want csat_unclear", again.Record)
			}
			got := e.Step(again.Conversation, text(say))
			if got.Record.Kind == "csat" || got.Record.Kind == "csat_unclear" {
				t.Errorf("%q after the question asked again: got %+v, want neither a score nor the question a third time", say, got.Record)
			}
			if strings.Contains(allText(got.Reply), e.texts.CSATUnclear) || strings.Contains(allText(got.Reply), e.texts.CSATThanks) {
				t.Errorf("%q: got %q, want no CSAT text", say, allText(got.Reply))
			}
			if got.Conversation.CSATPending != "" {
				t.Errorf("%q: CSATPending %q, want the question closed", say, got.Conversation.CSATPending)
			}
			plain := again.Conversation
			plain.CSATPending = ""
			want := e.Step(plain, text(say))
			if diff := cmp.Diff(want.Record, got.Record); diff != "" {
				t.Errorf("%q: record differs from the same text with no CSAT question (-plain +got):\n%s", say, diff)
			}
			if diff := cmp.Diff(want.Reply, got.Reply); diff != "" {
				t.Errorf("%q: reply differs from the same text with no CSAT question (-plain +got):\n%s", say, diff)
			}
			if diff := cmp.Diff(want.Conversation, got.Conversation); diff != "" {
				t.Errorf("%q: conversation differs from the same text with no CSAT question (-plain +got):\n%s", say, diff)
			}
		})
	}
	again := e.Step(back.Conversation, text("4번")).Conversation
	for say, node := range map[string]string{"2점": "reply:2", "3번": "reply:3", "4": "reply:4"} {
		if got := e.Step(again, text(say)); got.Record != (TurnRecord{Kind: "csat", Node: node}) {
			t.Errorf("%q after the question asked again: got %+v, want csat %s", say, got.Record, node)
		}
	}
}

// TestCSATAnswerNamesTheQuestionsHandoff: a CSAT score is the answer to
// the question that named a handoff, not to whichever handoff ended last:
// a typed score (also after the question was asked again), a tap on the
// reply's quick replies and a tap on an Event API question each carry the
// handoff of their own question (Outcome.CSAT.Handoff). A question or a
// quick reply from before questions named their handoff names none.
func TestCSATAnswerNamesTheQuestionsHandoff(t *testing.T) {
	e := eventConfigEngine(t)
	back := backAsked(t, e) // the return turn ended h1 and asked about it
	answer := func(o Outcome) CSATAnswer {
		t.Helper()
		if o.Record.Kind != "csat" || o.CSAT == nil {
			t.Fatalf("got record %+v answer %+v, want a csat answer", o.Record, o.CSAT)
		}
		return *o.CSAT
	}
	if got, want := answer(e.Step(back.Conversation, text("4점"))), (CSATAnswer{CSATFromReply, "h1", 4}); got != want {
		t.Errorf("typed: got %+v, want %+v", got, want)
	}
	again := e.Step(back.Conversation, text("4번"))
	if got, want := answer(e.Step(again.Conversation, text("2점"))), (CSATAnswer{CSATFromReply, "h1", 2}); got != want {
		t.Errorf("typed after the question was asked again: got %+v, want %+v", got, want)
	}
	if two := findQR(t, again.Reply, "2점"); two.Tap == nil || two.Tap.O != "reply:2:h1" {
		t.Errorf("asked again: got tap %+v, want reply:2:h1", two.Tap)
	}
	// The Event API question about h0, shown after h1 ended, is answered
	// for h0 — a tap after a later handoff is still about its question.
	ev := e.Event(back.Conversation, eventIn("상담 만족도"), &Notice{Kind: NoticeCSAT, Handoff: "h0"})
	three := findQR(t, ev.Reply, "3점")
	if got, want := answer(e.Step(welcomedBot(), tapIn("3점", *three.Tap))), (CSATAnswer{CSATFromEvent, "h0", 3}); got != want {
		t.Errorf("event tap: got %+v, want %+v", got, want)
	}
	legacy := welcomedBot()
	legacy.CSATPending = CSATFromReply
	if got, want := answer(e.Step(legacy, text("5"))), (CSATAnswer{CSATFromReply, "", 5}); got != want {
		t.Errorf("typed to a question pending from before: got %+v, want %+v", got, want)
	}
	old := Tap{V: "v1", N: nodeCSAT, O: "event:1", S: StateBot}
	if got, want := answer(e.Step(welcomedBot(), tapIn("1점", old))), (CSATAnswer{CSATFromEvent, "", 1}); got != want {
		t.Errorf("an older tap: got %+v, want %+v", got, want)
	}
}
