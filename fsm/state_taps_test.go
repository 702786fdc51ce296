package fsm

import (
	"strings"
	"testing"
	"time"
)

// Taps and cancels around the waiting and human states: a tap of this
// config version built in a state the conversation has left is read by the
// state the turn continues in (only another version's is "메뉴가
// 바뀌었어요"), a cancel with nothing open is said so, and a cancel racing
// an agent's accept cancels.

func waitingOn(queue string, since time.Duration) Conversation {
	c := welcomedBot()
	c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", queue, t0.Add(-since)
	return c
}

// TestSameVersionTapFromOtherState: a tap of this config version built in
// another state than the turn's is no stale tap.
func TestSameVersionTapFromOtherState(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	tx := e.texts
	cancelTap := Tap{V: "v1", N: nodeWaiting, O: optCancel, S: StateWaiting}
	shipping := func() Conversation { c := welcomedBot(); c.MenuPath = []string{"main", "shipping"}; return c }

	t.Run("a menu option built while waiting is answered in bot", func(t *testing.T) {
		o := e.Step(welcomedBot(), tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateWaiting}))
		if got := allText(o.Reply); strings.Contains(got, tx.StaleTap) || o.Record.Node != "shipping" {
			t.Errorf("got %q, record %+v; want the shipping menu", got, o.Record)
		}
	})
	t.Run("상담 취소 again in bot: nothing pending, the current menu", func(t *testing.T) {
		c := shipping()
		c.FAQMisses = 1
		o := e.Step(c, tapIn(tx.Cancel, cancelTap))
		got := allText(o.Reply)
		if strings.Contains(got, tx.StaleTap) || !strings.Contains(got, tx.NothingToCancel) || !strings.Contains(got, "주문/배송 메뉴") {
			t.Errorf("got %q, want %q and the current menu", got, tx.NothingToCancel)
		}
		if o.Record.Kind != "nothing_to_cancel" || len(o.Transitions) != 0 || o.Conversation.FAQMisses != 1 {
			t.Errorf("got record %+v, transitions %v, misses %d; want nothing_to_cancel, no move, the misses kept",
				o.Record, o.Transitions, o.Conversation.FAQMisses)
		}
	})
	for _, tc := range []struct {
		name string
		tap  Tap
	}{
		{"아니요 after the question was answered", Tap{V: "v1", N: nodeConfirm, O: optNo, S: StateConfirm}},
		{"네 after the question was answered", Tap{V: "v1", N: nodeConfirm, O: optYes + ":" + ReasonMenu, S: StateConfirm}},
		{"열리면 알려주세요 after the stay ended", Tap{V: "v1", N: nodeAfterHours, O: optNotify, S: StateAfterHours}},
		{"메시지 남기기 of the after-hours reply after the stay ended", Tap{V: "v1", N: nodeAfterHours, O: optLeave, S: StateAfterHours}},
	} {
		t.Run(tc.name+": the current menu, no stale text", func(t *testing.T) {
			o := e.Step(shipping(), tapIn("x", tc.tap))
			if got := allText(o.Reply); strings.Contains(got, tx.StaleTap) || !strings.Contains(got, "주문/배송 메뉴") {
				t.Errorf("got %q, want the current menu without %q", got, tx.StaleTap)
			}
			if o.Open != nil || len(o.Transitions) != 0 || o.Ticket != nil {
				t.Errorf("got open %+v, transitions %v, ticket %+v; want nothing done", o.Open, o.Transitions, o.Ticket)
			}
		})
	}
	t.Run("another config version stays stale", func(t *testing.T) {
		old := cancelTap
		old.V = "v0"
		if got := allText(e.Step(shipping(), tapIn(tx.Cancel, old)).Reply); !strings.Contains(got, tx.StaleTap) {
			t.Errorf("got %q, want %q", got, tx.StaleTap)
		}
	})
	t.Run("one_on_one waiting: a bot menu tap is answered as the bot, the button re-offered", func(t *testing.T) {
		o := e.Step(waitingOn("general", time.Minute), tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateBot}))
		if o.Conversation.State != StateWaiting || !strings.Contains(allText(o.Reply), "주문/배송 메뉴") || !hasButton(o.Reply, ButtonOperator) {
			t.Errorf("got state %s, reply %q; want the shipping menu and the operator button", o.Conversation.State, allText(o.Reply))
		}
	})
	t.Run("one_on_one waiting: 네, 연결해 주세요 again re-offers the button only", func(t *testing.T) {
		o := e.Step(waitingOn("general", time.Minute), tapIn(tx.ConfirmYes, Tap{V: "v1", N: nodeConfirm, O: optYes + ":" + ReasonMenu, S: StateConfirm}))
		if o.Conversation.State != StateWaiting || o.Record.Kind != "status" || len(o.Reply.Messages) != 1 || !hasButton(o.Reply, ButtonOperator) {
			t.Errorf("got state %s, record %+v, reply %q; want the re-offer alone", o.Conversation.State, o.Record, allText(o.Reply))
		}
	})
}

// TestRepeatedEscalationTapInConfirm: 상담원 연결 tapped twice (the main
// menu's handoff option, or the nav quick reply) asks the confirm question
// again, without the stale-tap text and without leaving confirm; a handoff
// option of another queue asks about that queue; 상담 취소 declines.
func TestRepeatedEscalationTapInConfirm(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})
	tx := e.texts
	first := e.Step(welcomedBot(), tapIn("상담원 연결", Tap{V: "v1", N: "main", O: "agent", S: StateBot}))
	if first.Conversation.State != StateConfirm || first.Conversation.Queue != "general" {
		t.Fatalf("setup: got state %s queue %q", first.Conversation.State, first.Conversation.Queue)
	}
	for _, tp := range []Tap{
		{V: "v1", N: "main", O: "agent", S: StateBot},
		{V: "v1", N: nodeNav, O: optAgent, S: StateBot},
	} {
		o := e.Step(first.Conversation, tapIn("상담원 연결", tp))
		got := allText(o.Reply)
		if strings.Contains(got, tx.StaleTap) || !strings.Contains(got, tx.ConfirmQuestion) {
			t.Errorf("%+v again: got %q, want the question again without %q", tp, got, tx.StaleTap)
		}
		if o.Conversation.State != StateConfirm || len(o.Transitions) != 0 || o.Conversation.Queue != "general" {
			t.Errorf("%+v again: got state %s queue %q transitions %v; want confirm kept", tp, o.Conversation.State, o.Conversation.Queue, o.Transitions)
		}
		yes := findQR(t, o.Reply, tx.ConfirmYes)
		if yes.Tap.O != optYes+":"+ReasonMenu {
			t.Errorf("%+v again: got yes %q, want the menu reason kept", tp, yes.Tap.O)
		}
	}
	vip := e.Step(first.Conversation, tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot}))
	if vip.Conversation.State != StateConfirm || vip.Conversation.Queue != "vip" {
		t.Errorf("VIP 상담 while asked about general: got state %s queue %q, want confirm on vip", vip.Conversation.State, vip.Conversation.Queue)
	}
	no := e.Step(first.Conversation, tapIn(tx.Cancel, Tap{V: "v1", N: nodeWaiting, O: optCancel, S: StateWaiting}))
	wantTransitions(t, no, Transition{StateConfirm, StateBot, EventConfirmNo, "declined"})
}

// TestTypedCancelWithNothingOpen: a cancel of the handoff typed in bot
// state ("상담 취소", "대기 취소해 주세요") is told nothing is pending — no
// FAQ question, no miss, never an escalation — while a bare "취소" or a
// cancel naming another object is left to the FAQ (cancelling an order).
func TestTypedCancelWithNothingOpen(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	tx := e.texts
	missed := welcomedBot()
	missed.FAQMisses = 1 // one more miss would escalate (faq_misses 2)
	for _, u := range []string{"상담 취소", "상담취소", "대기 취소해 주세요", "상담 취소 부탁드립니다", "그냥 상담 취소할게요", "연결 안 할래요"} {
		o := e.Step(missed, text(u))
		if o.Record.Kind != "nothing_to_cancel" || !strings.Contains(allText(o.Reply), tx.NothingToCancel) {
			t.Errorf("%q: got record %+v, reply %q; want %q", u, o.Record, allText(o.Reply), tx.NothingToCancel)
		}
		if o.Conversation.FAQMisses != 1 || o.Conversation.State != StateBot || o.Open != nil {
			t.Errorf("%q: got misses %d state %s open %+v; want no miss and no escalation", u, o.Conversation.FAQMisses, o.Conversation.State, o.Open)
		}
	}
	for _, u := range []string{"취소", "취소하고 싶어요", "주문 취소하겠습니다", "상담 취소?", "요청 취소할게요"} {
		if o := e.Step(missed, text(u)); o.Record.Kind == "nothing_to_cancel" {
			t.Errorf("%q: got %+v, want it left to the FAQ", u, o.Record)
		}
	}
}

// TestCancelRacingAccept: 상담 취소 (the waiting reply's tap, or typed
// naming the handoff) that reaches the bot in human — an agent took the
// handoff as the user cancelled — cancels it: reason user_cancel (the
// dealer is told on a dealer queue), texts.cancelled, no CSAT question.
// Any other turn in human is a return, as before.
func TestCancelRacingAccept(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	tx := e.texts
	for _, tc := range []struct {
		name, queue string
		in          Input
	}{
		{"tap, one_on_one", "general", tapIn(tx.Cancel, Tap{V: "v1", N: nodeWaiting, O: optCancel, S: StateWaiting})},
		{"typed, one_on_one", "general", text("상담 취소할게요")},
		{"tap, dealer", "vip", tapIn(tx.Cancel, Tap{V: "v1", N: nodeWaiting, O: optCancel, S: StateWaiting})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := waitingOn(tc.queue, time.Minute)
			c.State = StateHuman
			o := e.Step(c, tc.in)
			wantTransitions(t, o, Transition{StateHuman, StateBot, EventCancel, "user_cancel"})
			if o.Close == nil || o.Close.Reason != "user_cancel" || o.Close.NotifyDealer != (tc.queue == "vip") {
				t.Errorf("got close %+v, want user_cancel (dealer told: %v)", o.Close, tc.queue == "vip")
			}
			got := allText(o.Reply)
			if !strings.Contains(got, tx.Cancelled) || strings.Contains(got, tx.CSATQuestion) || o.Conversation.CSATPending != "" {
				t.Errorf("got %q (CSAT pending %q), want %q and no CSAT question", got, o.Conversation.CSATPending, tx.Cancelled)
			}
		})
	}
	t.Run("a bare 취소 typed in human is a return", func(t *testing.T) {
		c := waitingOn("general", time.Minute)
		c.State = StateHuman
		o := e.Step(c, text("취소"))
		if o.Close == nil || o.Close.Reason != "returned_via_kakao" {
			t.Errorf("got close %+v, want returned_via_kakao", o.Close)
		}
	})
	t.Run("Apply cancel stays waiting's", func(t *testing.T) {
		c := waitingOn("general", time.Minute)
		c.State = StateHuman
		if _, err := e.Apply(c, EventCancel, t0, ""); err == nil {
			t.Errorf("Apply cancel in human: got nil, want ErrNoTransition")
		}
	})
}

// TestWelcomeAfterReturnGap: the welcome block past return_gap on a
// one_on_one queue is no return: the wait goes on, the button re-offered;
// a typed turn past it still ends the wait as not_connected.
func TestWelcomeAfterReturnGap(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	c := waitingOn("general", 11*time.Minute)
	o := e.Step(c, welcomeIn(true))
	if o.Conversation.State != StateWaiting || o.Close != nil || !hasButton(o.Reply, ButtonOperator) {
		t.Errorf("welcome past return_gap: got state %s close %+v, reply %q; want the wait kept and the button re-offered",
			o.Conversation.State, o.Close, allText(o.Reply))
	}
	if o = e.Step(c, text("배송비 얼마")); o.Close == nil || o.Close.Reason != "not_connected" {
		t.Errorf("typed past return_gap: got close %+v, want not_connected", o.Close)
	}
}

// TestWaitTimeoutNotice: Input.WaitTimedOut opens a bot turn with the
// wait-timeout apology of the queue waited for and offers 메시지 남기기 on
// it first, also typed on the next turn, as the Event API message does.
func TestWaitTimeoutNotice(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	tx := e.texts
	in := text("배송비 얼마")
	in.WaitEnded, in.WaitTimedOut, in.WaitQueue = true, true, "vip"
	o := e.Step(welcomedBot(), in)
	all := allText(o.Reply)
	if !strings.HasPrefix(all, e.textsFor("vip").EventWaitTimeout) || strings.Contains(all, tx.HandoffEndedWaiting) {
		t.Fatalf("got %q, want the apology first", all)
	}
	if len(o.Reply.QuickReplies) == 0 || o.Reply.QuickReplies[0].Label != tx.LeaveMessage ||
		o.Reply.QuickReplies[0].Tap.O != leaveOption(ReasonWaitTimeoutTicket, "vip") {
		t.Errorf("got quick replies %v, want 메시지 남기기 on vip first", qrLabels(o.Reply))
	}
	if o.Reply.CacheKey != "" {
		t.Errorf("got cache key %q, want none", o.Reply.CacheKey)
	}
	leave := text("메시지 남길게요")
	next := e.Step(o.Conversation, leave)
	if next.Conversation.State != StateAfterHours || next.Conversation.Queue != "vip" || next.Conversation.Intake.Reason != ReasonWaitTimeoutTicket {
		t.Errorf("메시지 남길게요 next: got state %s queue %q intake %+v; want the vip ticket intake",
			next.Conversation.State, next.Conversation.Queue, next.Conversation.Intake)
	}
	t.Run("a turn that asks for a human again offers no ticket", func(t *testing.T) {
		in := text("상담원")
		in.WaitEnded, in.WaitTimedOut, in.WaitQueue = true, true, "vip"
		o := e.Step(welcomedBot(), in)
		if hasQR(o.Reply, tx.LeaveMessage) || o.Conversation.Intake.Reason == ReasonWaitTimeoutTicket {
			t.Errorf("got %v, intake %+v; want no 메시지 남기기 beside the new request", qrLabels(o.Reply), o.Conversation.Intake)
		}
	})
}

// TestPoliteCancelWords: polite ways of cancelling (cancelPhrase): leading
// fillers, formal endings, a request after a named object; a wish alone,
// another object or a request after a bare 취소 cancel nothing.
func TestPoliteCancelWords(t *testing.T) {
	for _, tc := range []struct {
		in           string
		ok, named    bool
		wantAnswered bool // cancelAnswer
	}{
		{"상담 취소 부탁드립니다", true, true, true},
		{"상담취소 부탁드려요", true, true, true},
		{"그냥 취소해 주세요", true, false, true},
		{"괜찮아요 취소할게요", true, false, true},
		{"아 그냥 대기 취소할게요", true, true, true},
		{"취소하겠습니다", true, false, true},
		{"대기 취소하겠어요", true, true, true},
		{"그만하겠습니다", true, false, true},
		{"취소 부탁드립니다", false, false, false},
		{"주문 취소하겠습니다", false, false, false},
		{"그냥 주문 취소해 주세요", false, false, false},
		{"취소하고 싶어요", false, false, false},
		{"그냥 취소 안 할게요", false, false, false},
		{"취소하겠습니다?", true, false, false},
		{"그냥", false, false, false},
	} {
		ok, named := cancelPhrase(tc.in)
		if ok != tc.ok || named != tc.named || cancelAnswer(tc.in) != tc.wantAnswered {
			t.Errorf("%q: got phrase %v named %v answer %v; want %v %v %v", tc.in, ok, named, cancelAnswer(tc.in), tc.ok, tc.named, tc.wantAnswered)
		}
	}
}
