package fsm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func eventConfigEngine(t *testing.T) *Engine {
	t.Helper()
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"reopen": "상담 재개 알림", "ticket_reply": "문의 답변", "wait_timeout": "대기 사과", "csat": "상담 만족도"}
	return newEngine(t, cfg, Options{})
}

func eventIn(block string) Input {
	in := text("")
	in.BlockName = block
	return in
}

func TestEventAnswersTheNoticeWithoutMovingTheConversation(t *testing.T) {
	e := eventConfigEngine(t)
	tx := e.texts
	for _, tc := range []struct {
		name     string
		n        *Notice
		wantText string
		wantQR   []string // must be among the quick replies, in this order at the front
	}{
		{"reopen", &Notice{Kind: NoticeReopen}, tx.EventReopen, []string{tx.Agent}},
		{"ticket reply", &Notice{Kind: NoticeTicketReply, Answer: "교환은 내일 출고됩니다."}, "교환은 내일 출고됩니다.", nil},
		{"wait timeout", &Notice{Kind: NoticeWaitTimeout}, tx.EventWaitTimeout, []string{tx.LeaveMessage}},
		{"csat", &Notice{Kind: NoticeCSAT}, tx.CSATQuestion, []string{"5점", "4점", "3점", "2점", "1점"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := welcomedBot()
			c.MenuPath = []string{"main", "shipping"}
			in := eventIn("상담 재개 알림")
			if k := e.Classify(in); k != InputEvent {
				t.Fatalf("got kind %v, want InputEvent", k)
			}
			o := e.Event(c, in, tc.n)
			if o.Reply.Silent || !strings.Contains(allText(o.Reply), tc.wantText) {
				t.Fatalf("got %q, want it to say %q", allText(o.Reply), tc.wantText)
			}
			want := c
			switch tc.n.Kind {
			case NoticeWaitTimeout: // notes its 메시지 남기기 for the typed words (leave_typed.go)
				want.Intake = Intake{Reason: ReasonWaitTimeoutTicket}
			case NoticeCSAT: // notes its question for a typed score (csat_typed.go)
				want.CSATPending = CSATFromEvent
			}
			if diff := cmp.Diff(want, o.Conversation); diff != "" {
				t.Fatalf("the event turn changed the conversation (-before +after):\n%s", diff)
			}
			if len(o.Transitions) != 0 || o.Open != nil || o.Close != nil {
				t.Fatalf("got transitions %v open %v close %v, want none", o.Transitions, o.Open, o.Close)
			}
			if o.Record.Kind != "event" || o.Record.Node != tc.n.Kind {
				t.Fatalf("got record %+v, want event/%s", o.Record, tc.n.Kind)
			}
			if got := qrLabels(o.Reply); len(got) < len(tc.wantQR) || (len(tc.wantQR) > 0 && !cmp.Equal(got[:len(tc.wantQR)], tc.wantQR)) {
				t.Fatalf("got quick replies %v, want %v first", got, tc.wantQR)
			}
			if len(o.Reply.QuickReplies) > maxQuickReplies || len(o.Reply.Messages) > maxMessages {
				t.Fatalf("got %d messages and %d quick replies: over Kakao's limits", len(o.Reply.Messages), len(o.Reply.QuickReplies))
			}
		})
	}
}

func TestEventStaleIsSilent(t *testing.T) {
	e := eventConfigEngine(t)
	for name, n := range map[string]*Notice{"stale": nil, "unknown kind": {Kind: "lottery"}} {
		t.Run(name, func(t *testing.T) {
			o := e.Event(welcomedBot(), eventIn("상담 재개 알림"), n)
			if !o.Reply.Silent || len(o.Reply.Messages) != 0 || o.Record.Kind != "event_stale" {
				t.Fatalf("got %+v, want a silent reply recorded event_stale", o.Reply)
			}
		})
	}
	// An event block reached through Step (no notice looked up) is silent too.
	if o := e.Step(welcomedBot(), eventIn("상담 만족도")); !o.Reply.Silent {
		t.Fatalf("Step on an event block: got %q, want silence", allText(o.Reply))
	}
}

func TestCSATAskedOnTheTurnBackFromAHuman(t *testing.T) {
	e := eventConfigEngine(t)
	human := welcomedBot()
	human.State, human.HandoffID, human.Queue = StateHuman, "h1", "general"
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"return block", eventIn("상담 종료")},
		{"typed turn", text("배송비 얼마")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := e.Step(human, tc.in)
			if o.Conversation.State != StateBot || o.Close == nil {
				t.Fatalf("got state %s close %v, want bot with the handoff closed", o.Conversation.State, o.Close)
			}
			if !strings.Contains(allText(o.Reply), e.texts.CSATQuestion) {
				t.Fatalf("got %q, want the CSAT question", allText(o.Reply))
			}
			five := findQR(t, o.Reply, "5점")
			if five.Tap == nil || five.Tap.N != nodeCSAT || five.Tap.O != "reply:5:h1" {
				t.Fatalf("got tap %+v, want @csat reply:5:h1", five.Tap)
			}
			if tc.name == "typed turn" && !strings.Contains(allText(o.Reply), "3만원 이상 무료배송입니다.") {
				t.Fatalf("got %q, want the turn answered as well", allText(o.Reply))
			}

			// The tap records the score and thanks the user.
			back := o.Conversation
			got := e.Step(back, tapIn("5점", *five.Tap))
			if got.Record.Kind != "csat" || got.Record.Node != "reply:5" {
				t.Fatalf("got record %+v, want csat reply:5", got.Record)
			}
			if diff := cmp.Diff(&CSATAnswer{Source: CSATFromReply, Handoff: "h1", Score: 5}, got.CSAT); diff != "" {
				t.Fatalf("answer (-want +got):\n%s", diff)
			}
			if !strings.Contains(allText(got.Reply), e.texts.CSATThanks) {
				t.Fatalf("got %q, want the thanks", allText(got.Reply))
			}
		})
	}
	// Test traffic is never asked.
	in := eventIn("상담 종료")
	in.Test = true
	if o := e.Step(human, in); strings.Contains(allText(o.Reply), e.texts.CSATQuestion) {
		t.Fatal("test traffic was asked the CSAT question")
	}
	// A user back from a human who asks for one again is not asked.
	if o := e.Step(human, text("상담원")); o.Conversation.State == StateBot || strings.Contains(allText(o.Reply), e.texts.CSATQuestion) {
		t.Fatalf("got state %s and %q, want an escalation without the CSAT question", o.Conversation.State, allText(o.Reply))
	}
	// A bot turn with no human before it is not asked.
	if o := e.Step(welcomedBot(), text("배송비 얼마")); strings.Contains(allText(o.Reply), e.texts.CSATQuestion) {
		t.Fatal("a plain bot turn was asked the CSAT question")
	}
}

func TestCSATTapSurvivesAConfigChange(t *testing.T) {
	e := eventConfigEngine(t)
	tp := Tap{V: "an-old-version", N: nodeCSAT, O: "event:2", S: StateBot}
	o := e.Step(welcomedBot(), tapIn("2점", tp))
	if o.Record.Kind != "csat" || o.Record.Node != "event:2" {
		t.Fatalf("got record %+v, want csat event:2", o.Record)
	}
	bad := Tap{V: "v1", N: nodeCSAT, O: "event:9", S: StateBot}
	if o := e.Step(welcomedBot(), tapIn("9점", bad)); o.Record.Kind == "csat" {
		t.Fatal("a score off the scale was recorded")
	}
}

func TestParseCSAT(t *testing.T) {
	for _, tc := range []struct {
		in      string
		source  string
		score   int
		handoff string
		ok      bool
	}{
		{"reply:1", CSATFromReply, 1, "", true},
		{"event:5", CSATFromEvent, 5, "", true},
		{"event:4:01JHANDOFF", CSATFromEvent, 4, "01JHANDOFF", true},
		{"reply:2:01JHANDOFF", CSATFromReply, 2, "01JHANDOFF", true},
		{"reply:2:", "", 0, "", false},
		{"reply:2:a:b", "", 0, "", false},
		{"reply:2:" + strings.Repeat("x", maxHandoffID+1), "", 0, "", false},
		{"event:0", "", 0, "", false},
		{"event:6", "", 0, "", false},
		{"other:3", "", 0, "", false},
		{"3", "", 0, "", false},
	} {
		s, n, h, ok := ParseCSAT(tc.in)
		if s != tc.source || n != tc.score || h != tc.handoff || ok != tc.ok {
			t.Fatalf("ParseCSAT(%q): got %q %d %q %v, want %q %d %q %v", tc.in, s, n, h, ok, tc.source, tc.score, tc.handoff, tc.ok)
		}
	}
}

func TestWaitTimeoutLeaveMessageTapInBot(t *testing.T) {
	e := eventConfigEngine(t)
	o := e.Event(welcomedBot(), eventIn("대기 사과"), &Notice{Kind: NoticeWaitTimeout})
	leave := findQR(t, o.Reply, e.texts.LeaveMessage)
	got := e.Step(welcomedBot(), tapIn(leave.Label, *leave.Tap))
	if got.Record.Kind != "ticket_prompt" || !strings.Contains(allText(got.Reply), e.texts.TicketPrompt) {
		t.Fatalf("got record %+v and %q, want the ticket prompt", got.Record, allText(got.Reply))
	}
	// The intake is open in after_hours: the next text becomes the ticket.
	if c := got.Conversation; c.State != StateAfterHours || c.Intake.Step != IntakeMessage || c.Queue == "" {
		t.Fatalf("got state %s intake %+v queue %q, want after_hours with the message intake", c.State, c.Intake, c.Queue)
	}
	in := text("주문한 상품이 아직 안 왔어요")
	in.Masked = in.Utterance
	in.NewTicketID = "01TICKETFROMAPOLOGY"
	next := e.Step(got.Conversation, in)
	if next.Ticket == nil || next.Ticket.Message != in.Masked {
		t.Fatalf("got ticket %+v, want one with the message", next.Ticket)
	}
	if next.Conversation.State != StateBot || next.Conversation.Intake != (Intake{}) {
		t.Errorf("after the message: state %s intake %+v, want bot with no intake", next.Conversation.State, next.Conversation.Intake)
	}
}

// BenchmarkEvent measures an event block's turn (a CSAT question).
func BenchmarkEvent(b *testing.B) {
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"csat": "상담 만족도"}
	e, err := New(cfg, testMatcher(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	c, in, n := welcomedBot(), eventIn("상담 만족도"), &Notice{Kind: NoticeCSAT}
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Event(c, in, n)
	}
}
