package fsm

import (
	"testing"
	"time"
)

// TestWaitingCancelSpacing: while waiting (one_on_one, within return_gap),
// a cancel in words cancels the wait like 상담 취소 (DESIGN §4), also with
// the very common spacing slip before the auxiliary verb ("취소 해주세요",
// "상담 취소 할게요") and as a wish naming 상담 ("상담 취소하고 싶어요"). They
// got texts.no_match (and counted an FAQ miss), or the FAQ's answer about
// cancelling an ORDER, and the wait went on.
func TestWaitingCancelSpacing(t *testing.T) {
	e, _ := exampleShop(t)
	for _, say := range []string{"취소 해주세요", "상담 취소 할게요", "상담 취소하고 싶어요", "대기 취소 하고 싶어요",
		"그만 할게요", "상담 안 할래요"} {
		got := e.Step(waitingShopper(e), text(say))
		if got.Close == nil || got.Record.Kind != "cancel" {
			t.Errorf("%q while waiting: got %s %+v %.60q; want the wait cancelled",
				say, got.Conversation.State, got.Record, allText(got.Reply))
		}
	}
}

// TestWaitingOrderCancelIsNoCancel guards TestWaitingCancelSpacing: a wish
// to cancel that names something else ("주문 취소하고 싶어요": the order) or
// nothing ("취소하고 싶어요", which is as likely the order) is the user's
// question, answered as the bot while the wait goes on (the reply offers 상담
// 취소 beside it); and a cancel asked back cancels nothing.
func TestWaitingOrderCancelIsNoCancel(t *testing.T) {
	e, _ := exampleShop(t)
	for _, say := range []string{"주문 취소하고 싶어요", "취소하고 싶어요", "주문 취소 해주세요", "상담 취소 할게요?"} {
		got := e.Step(waitingShopper(e), text(say))
		if got.Close != nil || got.Conversation.State != StateWaiting {
			t.Errorf("%q while waiting: got %s %+v close %+v; want the wait kept", say, got.Conversation.State, got.Record, got.Close)
		}
	}
	if got := e.Step(waitingShopper(e), text("주문 취소하고 싶어요")); got.Record.Node != "order-cancel" {
		t.Errorf("\"주문 취소하고 싶어요\" while waiting: got %+v, want the order-cancel answer", got.Record)
	}
}

// TestCancelAnswerSplit reads cancels typed across tokens: a cancel word
// split before its auxiliary verb, and a wish to cancel, which needs an
// object naming the wait.
func TestCancelAnswerSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"취소 해주세요", true}, {"취소 해 주세요", true}, {"상담 취소 할게요", true}, {"그만 할래요", true},
		{"상담 취소하고 싶어요", true}, {"연결 취소 하고 싶어요", true}, {"대기 취소하고 싶습니다", true},
		{"취소하고 싶어요", false}, {"주문 취소하고 싶어요", false}, {"주문 취소 해주세요", false},
		{"취소 해주세요?", false}, {"취소 취소", false}, {"취소 해주시면 안 돼요", false},
	} {
		if got := cancelAnswer(tc.in); got != tc.want {
			t.Errorf("cancelAnswer(%q): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

// waitingShopper is a user of the example shop waiting on the one_on_one
// queue general, a minute in (within return_gap).
func waitingShopper(e *Engine) Conversation {
	c := welcomedBot()
	c.ConfigVersion = e.version
	c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h-w", "general", t0.Add(-time.Minute)
	return c
}
