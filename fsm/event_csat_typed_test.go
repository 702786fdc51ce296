package fsm

import (
	"testing"
	"time"
)

// TestEventCSATTypedScore: the CSAT question goes out by the Event API a
// minute after an agent ends a session (DESIGN §5 human → bot, `ended`),
// with the same text and score quick replies as the one asked in the reply
// of a turn back from a human. A score typed to it ("5점", "5", "5점이요
// 감사합니다") is recorded for the handoff the notice named, with source
// event, as its quick reply would be: the event turn marks the question
// pending (csat_pending "event:<handoff id>") for the next turn. It was
// not: "5점" got texts.no_match and an FAQ miss, and "5" opened main-menu
// option 5. Only the next turn may answer it, as for the reply's question.
func TestEventCSATTypedScore(t *testing.T) {
	e, _ := exampleShop(t)
	c := welcomedBot()
	c.ConfigVersion = e.version
	ev := e.Event(c, Input{Now: t0, BlockName: "상담 만족도", IsFriend: true}, &Notice{Kind: NoticeCSAT, Handoff: "h-ev"})
	if !hasQR(ev.Reply, "5점") {
		t.Fatalf("setup: the event asked no CSAT question: %v", qrLabels(ev.Reply))
	}
	if ev.Conversation.CSATPending != CSATFromEvent+":h-ev" {
		t.Errorf("after the event: CSATPending %q, want %q", ev.Conversation.CSATPending, CSATFromEvent+":h-ev")
	}
	for _, say := range []string{"5점", "5", "5점이요 감사합니다"} {
		in := text(say)
		in.Now = t0.Add(time.Minute)
		got := e.Step(ev.Conversation, in)
		if want := (CSATAnswer{Source: CSATFromEvent, Handoff: "h-ev", Score: 5}); got.CSAT == nil || *got.CSAT != want {
			t.Errorf("%q after the Event API CSAT question: got csat %+v, record %+v; want %+v",
				say, got.CSAT, got.Record, want)
		}
		if got.Conversation.CSATPending != "" {
			t.Errorf("%q: CSATPending %q after the answer, want none", say, got.Conversation.CSATPending)
		}
	}
	// One turn only: after another turn, "5" is the menu's option 5 again.
	in := text("배송비 얼마예요")
	in.Now = t0.Add(time.Minute)
	other := e.Step(ev.Conversation, in)
	in = text("5")
	in.Now = t0.Add(2 * time.Minute)
	if got := e.Step(other.Conversation, in); got.CSAT != nil {
		t.Errorf("\"5\" two turns after the event: got csat %+v, want none", got.CSAT)
	}
}
