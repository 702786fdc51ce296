package fsm

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTransitionTable walks every row of DESIGN §5.
func TestTransitionTable(t *testing.T) {
	closed := Options{Hours: hoursStub{closed: map[string]bool{"general": true, "vip": true},
		next: time.Date(2026, 11, 24, 9, 0, 0, 0, seoul)}}
	confirmCfg := testConfig()
	confirmCfg.Escalation.Confirm = true

	waitingOn := func(queue string, since time.Time) Conversation {
		c := welcomedBot()
		c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", queue, since
		return c
	}
	human := func() Conversation {
		c := welcomedBot()
		c.State, c.HandoffID, c.Queue, c.StateSince, c.FAQMisses = StateHuman, "h1", "general", t0.Add(-time.Hour), 1
		return c
	}
	confirm := func() Conversation {
		c := welcomedBot()
		c.State, c.Queue, c.StateSince = StateConfirm, "general", t0.Add(-time.Minute)
		return c
	}
	afterHours := func() Conversation {
		c := welcomedBot()
		c.State, c.Queue, c.StateSince = StateAfterHours, "general", t0.Add(-time.Minute)
		return c
	}

	t.Run("bot escalate → confirm", func(t *testing.T) {
		e := newEngine(t, confirmCfg, Options{})
		o := e.Step(welcomedBot(), text("상담원"))
		wantTransitions(t, o, Transition{StateBot, StateConfirm, EventEscalate, ReasonKeyword})
		if o.Open != nil {
			t.Fatalf("got Open %+v before confirmation, want nil", o.Open)
		}
		if got := allText(o.Reply); !strings.Contains(got, e.texts.ConfirmQuestion) {
			t.Errorf("got reply %q, want the confirm question", got)
		}
		if got := qrLabels(o.Reply); len(got) != 2 {
			t.Errorf("got quick replies %v, want yes/no only", got)
		}
		if o.Conversation.Queue != "general" {
			t.Errorf("got queue %q, want general", o.Conversation.Queue)
		}
	})

	t.Run("bot escalate → waiting (queue open)", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		c := welcomedBot()
		c.MenuPath, c.FAQMisses = []string{"main", "shipping"}, 1
		o := e.Step(c, text("상담원 연결해 주세요"))
		wantTransitions(t, o, Transition{StateBot, StateWaiting, EventEscalate, ReasonKeyword})
		want := HandoffOpen{ID: "h-new", Code: "A7K2", Queue: "general", Target: "notify", Reason: ReasonKeyword,
			MenuPath: []string{"main", "shipping"}, FAQMisses: 1}
		if o.Open == nil || o.Open.ID != want.ID || o.Open.Code != want.Code || o.Open.Queue != want.Queue ||
			o.Open.Target != want.Target || o.Open.Reason != want.Reason || o.Open.FAQMisses != 1 ||
			strings.Join(o.Open.MenuPath, ",") != "main,shipping" {
			t.Fatalf("got Open %+v, want %+v", o.Open, want)
		}
		if !hasButton(o.Reply, ButtonOperator) {
			t.Errorf("got %+v, want an operator button", o.Reply.Messages)
		}
		if got := allText(o.Reply); !strings.Contains(got, "A7K2") {
			t.Errorf("got %q, want the handoff code", got)
		}
		cancel := findQR(t, o.Reply, e.texts.Cancel)
		if cancel.Tap.S != StateWaiting {
			t.Errorf("got cancel tap state %q, want waiting", cancel.Tap.S)
		}
		if o.Conversation.HandoffID != "h-new" || o.Conversation.StateSince != t0 {
			t.Errorf("got conversation %+v, want handoff h-new since t0", o.Conversation)
		}
	})

	t.Run("confirm confirm_yes → waiting", func(t *testing.T) {
		e := newEngine(t, confirmCfg, Options{})
		o := e.Step(confirm(), tapIn("네, 연결해 주세요", Tap{V: "v1", N: nodeConfirm, O: "yes:faq_misses", S: StateConfirm}))
		wantTransitions(t, o, Transition{StateConfirm, StateWaiting, EventConfirmYes, ReasonFAQMisses})
		if o.Open == nil || o.Open.Reason != ReasonFAQMisses || o.Open.Queue != "general" {
			t.Fatalf("got Open %+v, want general/faq_misses", o.Open)
		}
	})

	t.Run("bot escalate → after_hours (hours checked before confirm)", func(t *testing.T) {
		e := newEngine(t, confirmCfg, closed)
		o := e.Step(welcomedBot(), text("상담원"))
		wantTransitions(t, o, Transition{StateBot, StateAfterHours, EventEscalate, ReasonKeyword})
		if got, want := allText(o.Reply), "내일 오전 9시"; !strings.Contains(got, want) {
			t.Errorf("got %q, want next opening %q", got, want)
		}
		for _, l := range []string{e.texts.LeaveMessage, e.texts.NotifyOnOpen, e.texts.Home} {
			findQR(t, o.Reply, l)
		}
		if o.Open != nil {
			t.Errorf("got Open %+v, want none", o.Open)
		}
	})

	t.Run("after_hours hides notify-on-open from non-friends", func(t *testing.T) {
		e := newEngine(t, testConfig(), closed)
		in := text("상담원")
		in.IsFriend = false
		o := e.Step(welcomedBot(), in)
		if hasQR(o.Reply, e.texts.NotifyOnOpen) {
			t.Errorf("got %v, want no 열리면 알려주세요 for a non-friend", qrLabels(o.Reply))
		}
	})

	t.Run("confirm confirm_yes → after_hours", func(t *testing.T) {
		e := newEngine(t, confirmCfg, closed)
		o := e.Step(confirm(), text("네"))
		wantTransitions(t, o, Transition{StateConfirm, StateAfterHours, EventConfirmYes, ReasonKeyword})
	})

	t.Run("confirm confirm_no → bot", func(t *testing.T) {
		e := newEngine(t, confirmCfg, Options{})
		c := confirm()
		c.FAQMisses = 2
		o := e.Step(c, tapIn("아니요", Tap{V: "v1", N: nodeConfirm, O: optNo, S: StateConfirm}))
		wantTransitions(t, o, Transition{StateConfirm, StateBot, EventConfirmNo, "declined"})
		if o.Conversation.Queue != "" || o.Conversation.FAQMisses != 0 {
			t.Errorf("got queue %q misses %d, want both cleared", o.Conversation.Queue, o.Conversation.FAQMisses)
		}
		if o.Record.Kind != "menu" {
			t.Errorf("got record %+v, want the menu", o.Record)
		}
	})

	t.Run("confirm answered with something else → bot answers it", func(t *testing.T) {
		e := newEngine(t, confirmCfg, Options{})
		o := e.Step(confirm(), text("배송비 얼마"))
		wantTransitions(t, o, Transition{StateConfirm, StateBot, EventUserTurn, "ignored"})
		if o.Record.Kind != "faq" || o.Record.Node != "ship-fee" {
			t.Errorf("got record %+v, want faq ship-fee", o.Record)
		}
	})

	t.Run("waiting user turn, dealer → status", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		in := text("언제 연결돼요?")
		in.QueueWaiting, in.PositionKnown, in.HandoffCode = 2, true, "B3C4"
		o := e.Step(waitingOn("vip", t0.Add(-time.Minute)), in)
		wantTransitions(t, o, Transition{StateWaiting, StateWaiting, EventUserTurn, "status"})
		got := allText(o.Reply)
		for _, want := range []string{"3번", e.texts.ETAUnknown, "B3C4"} {
			if !strings.Contains(got, want) {
				t.Errorf("got %q, want it to contain %q", got, want)
			}
		}
		if l := qrLabels(o.Reply); len(l) != 1 || l[0] != e.texts.Cancel {
			t.Errorf("got quick replies %v, want only 상담 취소", l)
		}
		if o.Close != nil || o.Open != nil {
			t.Errorf("got close %+v open %+v, want none", o.Close, o.Open)
		}
	})

	t.Run("waiting user turn, dealer, position unknown", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(waitingOn("vip", t0.Add(-time.Minute)), text("아직이에요?"))
		got := allText(o.Reply)
		if strings.Contains(got, "{") || strings.Contains(got, "번,") || strings.Contains(got, "상담번호") {
			t.Errorf("got %q, want the status without position or code", got)
		}
	})

	t.Run("waiting user turn, one_on_one within return_gap → answer and re-offer", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		in := text("배송비 얼마")
		in.HandoffCode = "A7K2"
		o := e.Step(waitingOn("general", t0.Add(-5*time.Minute)), in)
		wantTransitions(t, o, Transition{StateWaiting, StateWaiting, EventUserTurn, "one_on_one"})
		if o.Record.Kind != "faq" || o.Record.Node != "ship-fee" {
			t.Errorf("got record %+v, want the FAQ answered", o.Record)
		}
		if !hasButton(o.Reply, ButtonOperator) {
			t.Errorf("got %+v, want the operator button re-offered", o.Reply.Messages)
		}
		if l := qrLabels(o.Reply); len(l) == 0 || l[0] != e.texts.Cancel {
			t.Errorf("got quick replies %v, want 상담 취소 first", l)
		}
		if got := allText(o.Reply); strings.Contains(got, "대기 순서") {
			t.Errorf("got %q, want no position for one_on_one", got)
		}
		if o.Close != nil {
			t.Errorf("got close %+v, want none", o.Close)
		}
	})

	t.Run("waiting user turn after return_gap, one_on_one → bot not_connected", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(waitingOn("general", t0.Add(-11*time.Minute)), text("배송비 얼마"))
		wantTransitions(t, o, Transition{StateWaiting, StateBot, EventUserTurn, "not_connected"})
		if o.Close == nil || o.Close.ID != "h1" || o.Close.Reason != "not_connected" || o.Close.NotifyDealer {
			t.Fatalf("got close %+v, want h1 not_connected", o.Close)
		}
		got := allText(o.Reply)
		if !strings.Contains(got, e.texts.NotConnected) || !strings.Contains(got, "3만원") {
			t.Errorf("got %q, want not-connected text and the answer", got)
		}
		if o.Conversation.HandoffID != "" || o.Conversation.State != StateBot {
			t.Errorf("got %+v, want bot without handoff", o.Conversation)
		}
	})

	t.Run("waiting accepted → human", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o, err := e.Apply(waitingOn("vip", t0), EventAccepted, t0.Add(time.Minute), "session.started")
		if err != nil {
			t.Fatal(err)
		}
		wantTransitions(t, o, Transition{StateWaiting, StateHuman, EventAccepted, "session.started"})
		if !o.Reply.Silent || o.Close != nil || o.Conversation.HandoffID != "h1" {
			t.Errorf("got %+v, want silent, handoff kept open", o)
		}
	})

	for _, tc := range []struct {
		name, queue string
		in          Input
		notify      bool
	}{
		{"waiting cancel (tap, dealer) → bot", "vip", tapIn("상담 취소", Tap{V: "v1", N: nodeWaiting, O: optCancel, S: StateWaiting}), true},
		{"waiting cancel (typed, one_on_one) → bot", "general", text("취소"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, testConfig(), Options{})
			o := e.Step(waitingOn(tc.queue, t0.Add(-time.Minute)), tc.in)
			wantTransitions(t, o, Transition{StateWaiting, StateBot, EventCancel, "user_cancel"})
			if o.Close == nil || o.Close.Reason != "user_cancel" || o.Close.NotifyDealer != tc.notify {
				t.Fatalf("got close %+v, want user_cancel notify=%v", o.Close, tc.notify)
			}
			if got := allText(o.Reply); !strings.Contains(got, e.texts.Cancelled) {
				t.Errorf("got %q, want the cancelled text", got)
			}
			findQR(t, o.Reply, "주문/배송")
		})
	}

	t.Run("waiting wait_timeout → bot", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o, err := e.Apply(waitingOn("vip", t0), EventWaitTimeout, t0.Add(11*time.Minute), "")
		if err != nil {
			t.Fatal(err)
		}
		wantTransitions(t, o, Transition{StateWaiting, StateBot, EventWaitTimeout, EventWaitTimeout})
		if o.Close == nil || !o.Close.NotifyDealer || o.Close.ID != "h1" {
			t.Errorf("got close %+v, want h1 with dealer notified", o.Close)
		}
		if o.Conversation.StateSince != t0.Add(11*time.Minute) {
			t.Errorf("got since %v, want the event time", o.Conversation.StateSince)
		}
	})

	t.Run("human any user turn → bot returned_via_kakao", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(human(), text("배송 조회 어떻게 해요"))
		wantTransitions(t, o, Transition{StateHuman, StateBot, EventUserTurn, "returned_via_kakao"})
		if o.Close == nil || o.Close.Reason != "returned_via_kakao" || o.Close.ID != "h1" {
			t.Fatalf("got close %+v, want returned_via_kakao", o.Close)
		}
		if o.Record.Node != "ship-track" || o.Conversation.FAQMisses != 0 {
			t.Errorf("got record %+v misses %d, want the answer and misses reset", o.Record, o.Conversation.FAQMisses)
		}
		findQR(t, o.Reply, "주문/배송") // then the menu
	})

	// An agent accepted a handoff the router failed over from its dealer
	// and works it outside the chat: the user's turns come to the bot and
	// are answered as the bot under a status line, never ending the
	// handoff or asking the CSAT question; asking for a human opens no
	// second handoff.
	// The return block (a dealer's end-with-bot) is about a session the
	// dealer never had: it ends nothing and greets no return.
	for _, tc := range []struct {
		name, say, want string
		record          string
		block           string
	}{
		{"a question is answered", "배송 조회 어떻게 해요", "송장번호", "ship-track", ""},
		{"asking for a human gets the status", "상담원", "", "vip", ""},
		{"the return block gets the menu", "", "", "vip", "상담 종료"},
	} {
		t.Run("human user turn, dealer failed over → human: "+tc.name, func(t *testing.T) {
			e := newEngine(t, testConfig(), Options{})
			c := human()
			c.Queue = "vip"
			in := text(tc.say)
			if tc.block != "" {
				in.BlockName = tc.block
			}
			in.DealerFailed, in.HandoffCode = true, "B3C4"
			o := e.Step(c, in)
			wantTransitions(t, o, Transition{StateHuman, StateHuman, EventUserTurn, ReasonHumanElsewhere})
			if o.Close != nil || o.Open != nil || o.Conversation.HandoffID != "h1" {
				t.Fatalf("got close %+v open %+v handoff %q, want h1 kept open and none opened", o.Close, o.Open, o.Conversation.HandoffID)
			}
			got := allText(o.Reply)
			if line := fill(e.texts.HumanDealerFailure, "code", "B3C4"); !strings.HasPrefix(got, line) {
				t.Errorf("got reply %q, want it to open with %q", got, line)
			}
			if !strings.Contains(got, tc.want) || strings.Contains(got, e.texts.CSATQuestion) || strings.Contains(got, e.texts.ReturnedGreeting) {
				t.Errorf("got reply %q, want %q and neither the CSAT question nor the returned greeting", got, tc.want)
			}
			if o.Record.Node != tc.record {
				t.Errorf("got record %+v, want node %q", o.Record, tc.record)
			}
			if hasQR(o.Reply, "상담원 연결") || len(o.Reply.QuickReplies) == 0 {
				t.Errorf("got quick replies %v, want the menu without 상담원 연결", qrLabels(o.Reply))
			}
		})
	}

	t.Run("human ended → bot (event)", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o, err := e.Apply(human(), EventEnded, t0, "agent")
		if err != nil {
			t.Fatal(err)
		}
		wantTransitions(t, o, Transition{StateHuman, StateBot, EventEnded, "agent"})
		if o.Close == nil || o.Conversation.HandoffID != "" {
			t.Errorf("got %+v, want the handoff closed", o)
		}
	})

	t.Run("human returned block → bot ended", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		in := text("")
		in.BlockName = "상담 종료"
		o := e.Step(human(), in)
		wantTransitions(t, o, Transition{StateHuman, StateBot, EventEnded, EventEnded})
		if got := allText(o.Reply); !strings.Contains(got, e.texts.ReturnedGreeting) {
			t.Errorf("got %q, want the returned greeting", got)
		}
		findQR(t, o.Reply, "주문/배송")
	})

	t.Run("bot returned block (already ended) → greeting, no transition", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		in := text("")
		in.BlockName = "상담 종료"
		o := e.Step(welcomedBot(), in)
		wantTransitions(t, o)
		if got := allText(o.Reply); !strings.Contains(got, e.texts.ReturnedGreeting) {
			t.Errorf("got %q, want the returned greeting", got)
		}
	})

	t.Run("after_hours ticket_left → bot", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(afterHours(), tapIn("메시지 남기기", Tap{V: "v1", N: nodeAfterHours, O: optLeave, S: StateAfterHours}))
		wantTransitions(t, o) // the intake keeps after_hours until the message
		if got := allText(o.Reply); !strings.Contains(got, e.texts.TicketPrompt) {
			t.Errorf("got %q, want the ticket prompt", got)
		}
		in := text("배송이 안 와요")
		in.Masked, in.NewTicketID = in.Utterance, "t-new"
		o = e.Step(o.Conversation, in)
		wantTransitions(t, o, Transition{StateAfterHours, StateBot, EventTicketLeft, EventTicketLeft})
	})

	t.Run("after_hours notify_on_open → bot", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(afterHours(), tapIn("열리면 알려주세요", Tap{V: "v1", N: nodeAfterHours, O: optNotify, S: StateAfterHours}))
		wantTransitions(t, o, Transition{StateAfterHours, StateBot, EventNotifyOnOpen, EventNotifyOnOpen})
		if got := allText(o.Reply); !strings.Contains(got, e.texts.NotifyScheduled) {
			t.Errorf("got %q, want the notify text", got)
		}
	})

	t.Run("after_hours menu tap → bot, acting on the tap", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{})
		o := e.Step(afterHours(), tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateAfterHours}))
		wantTransitions(t, o, Transition{StateAfterHours, StateBot, EventMenuTap, EventMenuTap})
		if o.Record.Node != "shipping" {
			t.Errorf("got record %+v, want the shipping menu", o.Record)
		}
	})
}

func TestApplyErrors(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	if _, err := e.Apply(welcomedBot(), EventAccepted, t0, ""); !errors.Is(err, ErrNoTransition) {
		t.Errorf("accepted in bot: got %v, want ErrNoTransition", err)
	}
	if _, err := e.Apply(welcomedBot(), "explode", t0, ""); !errors.Is(err, ErrUnknownEvent) {
		t.Errorf("unknown event: got %v, want ErrUnknownEvent", err)
	}
}

func TestLifecycleValidation(t *testing.T) {
	lc, err := newLifecycle()
	if err != nil {
		t.Fatalf("newLifecycle: %v", err)
	}
	lc.callbacks["enter_wating"] = lc.callbacks["after_event"] // typo looplab would ignore
	if err := lc.validate(); err == nil {
		t.Errorf("got nil, want an error for an unknown callback key")
	}
	delete(lc.callbacks, "enter_wating")
	lc.callbacks["after_escalate_open"] = lc.callbacks["after_event"]
	if err := lc.validate(); err != nil {
		t.Errorf("got %v for a valid key, want nil", err)
	}
}

func TestConfirmEdges(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	e := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.State, c.Queue = StateConfirm, "vip"
	t.Run("stale tap re-asks", func(t *testing.T) {
		o := e.Step(c, tapIn("주문/배송", Tap{V: "v0", N: "main", O: "ship", S: StateBot}))
		wantTransitions(t, o)
		if o.Conversation.State != StateConfirm || !strings.Contains(allText(o.Reply), e.texts.ConfirmQuestion) {
			t.Errorf("got %+v, want the confirm question again", o.Reply)
		}
	})
	t.Run("typed no", func(t *testing.T) {
		o := e.Step(c, text("아니요"))
		wantTransitions(t, o, Transition{StateConfirm, StateBot, EventConfirmNo, "declined"})
	})
	t.Run("typed yes opens on the pending queue", func(t *testing.T) {
		o := e.Step(c, text("네"))
		if o.Open == nil || o.Open.Queue != "vip" || o.Open.Target != "dealer:happytalk" {
			t.Errorf("got %+v, want the vip handoff", o.Open)
		}
	})
	t.Run("menu handoff option asks first", func(t *testing.T) {
		o := e.Step(welcomedBot(), tapIn("상담원 연결", Tap{V: "v1", N: "main", O: "agent", S: StateBot}))
		wantTransitions(t, o, Transition{StateBot, StateConfirm, EventEscalate, ReasonMenu})
		yes := findQR(t, o.Reply, e.texts.ConfirmYes)
		o = e.Step(o.Conversation, tapIn(yes.Label, *yes.Tap))
		if o.Open == nil || o.Open.Reason != ReasonMenu {
			t.Errorf("got %+v, want the menu reason carried through confirm", o.Open)
		}
	})
}
