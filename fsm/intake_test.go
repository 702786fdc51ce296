package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/google/go-cmp/cmp"
)

// capacityStub reports fixed waiting counts per queue.
type capacityStub map[string]int

func (c capacityStub) Waiting(q string) int { return c[q] }

// intakeConv is a user in after_hours for queue general.
func intakeConv(step, msg string) Conversation {
	c := welcomedBot()
	c.State, c.Queue, c.StateSince = StateAfterHours, "general", t0.Add(-time.Minute)
	c.Intake = Intake{Step: step, Message: msg}
	return c
}

// turnText is a free-text turn as the pipeline builds it: Masked is the
// masked utterance.
func turnText(u, masked string) Input {
	in := text(u)
	in.Masked, in.NewTicketID = masked, "t-new"
	return in
}

func turnTap(label, opt string) Input {
	in := tapIn(label, Tap{V: "v1", N: nodeAfterHours, O: opt, S: StateAfterHours})
	in.NewTicketID = "t-new"
	return in
}

func TestIntake(t *testing.T) {
	def := configs.DefaultTexts()
	withContact := testConfig()
	withContact.Tickets.AskContact = true
	tests := []struct {
		name       string
		cfg        *configs.Config
		conv       Conversation
		in         Input
		wantState  State
		wantIntake Intake
		wantTicket *TicketOpen
		wantText   string
		wantQR     []string // labels that must be offered
		wantKind   string
	}{
		{
			name: "메시지 남기기 tap starts the intake in after_hours",
			cfg:  testConfig(), conv: intakeConv("", ""), in: turnTap("메시지 남기기", optLeave),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeMessage},
			wantText: def.TicketPrompt, wantQR: []string{def.TicketCancel, def.Home}, wantKind: "ticket_prompt",
		},
		{
			name: "typed 메시지 남기기 starts the intake too",
			cfg:  testConfig(), conv: intakeConv("", ""), in: turnText("메시지 남기기", "메시지 남기기"),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeMessage}, wantText: def.TicketPrompt,
			wantKind: "ticket_prompt",
		},
		{
			name: "the next text becomes the masked ticket message",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""),
			in:        turnText("환불 문의 010-1234-5678 로 연락 주세요", "환불 문의 010-****-**** 로 연락 주세요"),
			wantState: StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general",
				Message: "환불 문의 010-****-**** 로 연락 주세요"},
			wantText: "접수번호 A7K2", wantKind: "ticket",
		},
		{
			name: "ask_contact: the message is held and the number asked",
			cfg:  withContact, conv: intakeConv(IntakeMessage, ""), in: turnText("환불 문의", "환불 문의"),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeContact, Message: "환불 문의"},
			wantText: def.ContactPrompt, wantQR: []string{def.ContactSkip, def.TicketCancel}, wantKind: "ticket_contact",
		},
		{
			name: "ask_contact: a number completes the ticket",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnText("010-9876-5432", "010-****-****"),
			wantState: StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general", Message: "환불 문의",
				Contact: "01098765432"},
			wantText: "접수번호 A7K2", wantKind: "ticket",
		},
		{
			name: "ask_contact: +82 form is normalised",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnText("+82 10 9876 5432", "x"),
			wantState: StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general", Message: "환불 문의",
				Contact: "01098765432"},
			wantKind: "ticket",
		},
		{
			name: "ask_contact: full-width digits and dashes are normalised",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnText("０１０－９８７６－５４３２", "x"),
			wantState: StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general", Message: "환불 문의",
				Contact: "01098765432"},
			wantKind: "ticket",
		},
		{
			name: "ask_contact: en and em dashes are separators",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnText("010–9876—5432", "x"),
			wantState: StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general", Message: "환불 문의",
				Contact: "01098765432"},
			wantKind: "ticket",
		},
		{
			name: "ask_contact: not a number asks again",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnText("내일 전화 주세요", "내일 전화 주세요"),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeContact, Message: "환불 문의"},
			wantText: def.ContactInvalid, wantKind: "ticket_contact",
		},
		{
			name: "ask_contact: 건너뛰기 leaves no number",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnTap("건너뛰기", optContactSkip),
			wantState:  StateBot,
			wantTicket: &TicketOpen{ID: "t-new", Code: "A7K2", Queue: "general", Message: "환불 문의"},
			wantKind:   "ticket",
		},
		{
			name: "취소 typed cancels the intake",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""), in: turnText("취소", "취소"),
			wantState: StateBot, wantText: def.TicketCancelled, wantKind: "ticket_cancelled",
		},
		{
			name: "취소 tapped cancels the contact step too",
			cfg:  withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: turnTap("취소", optIntakeCancel),
			wantState: StateBot, wantText: def.TicketCancelled, wantKind: "ticket_cancelled",
		},
		{
			name: "a menu tap leaves the intake and after_hours",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""),
			in:        tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateAfterHours}),
			wantState: StateBot, wantKind: "menu",
		},
		{
			name: "처음으로 typed leaves the intake",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""), in: turnText("처음으로", "처음으로"),
			wantState: StateBot, wantKind: "menu",
		},
		{
			name: "empty text re-prompts",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""), in: turnText("  ", ""),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeMessage}, wantText: def.TicketPrompt,
			wantKind: "ticket_prompt",
		},
		{
			name: "메시지 남기기 typed again is not the message",
			cfg:  testConfig(), conv: intakeConv(IntakeMessage, ""), in: turnText("메시지 남기기", "메시지 남기기"),
			wantState: StateAfterHours, wantIntake: Intake{Step: IntakeMessage}, wantText: def.TicketPrompt,
			wantKind: "ticket_prompt",
		},
		{
			name: "a stale intake outside after_hours is dropped",
			cfg:  testConfig(),
			conv: func() Conversation {
				c := welcomedBot()
				c.Intake = Intake{Step: IntakeMessage}
				return c
			}(),
			in: turnText("배송비 얼마", "배송비 얼마"), wantState: StateBot, wantKind: "faq",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, tt.cfg, Options{})
			o := e.Step(tt.conv, tt.in)
			if o.Conversation.State != tt.wantState {
				t.Errorf("got state %s, want %s", o.Conversation.State, tt.wantState)
			}
			if diff := cmp.Diff(tt.wantIntake, o.Conversation.Intake); diff != "" {
				t.Errorf("intake (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTicket, o.Ticket); diff != "" {
				t.Errorf("ticket (-want +got):\n%s", diff)
			}
			if got := allText(o.Reply); tt.wantText != "" && !strings.Contains(got, tt.wantText) {
				t.Errorf("got text %q, want it to contain %q", got, tt.wantText)
			}
			for _, l := range tt.wantQR {
				findQR(t, o.Reply, l)
			}
			if o.Record.Kind != tt.wantKind {
				t.Errorf("got record kind %q, want %q", o.Record.Kind, tt.wantKind)
			}
			if o.Ticket != nil && o.Conversation.Queue != "" {
				t.Errorf("got queue %q after the ticket, want none", o.Conversation.Queue)
			}
			if o.Ticket != nil && strings.Contains(o.Ticket.Message, "1234-5678") {
				t.Errorf("got ticket message %q, want it masked", o.Ticket.Message)
			}
		})
	}
}

func TestTicketHintsNonFriends(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	for _, friend := range []bool{true, false} {
		in := turnText("문의드려요", "문의드려요")
		in.IsFriend = friend
		o := e.Step(intakeConv(IntakeMessage, ""), in)
		if o.Ticket == nil {
			t.Fatalf("friend %v: got no ticket", friend)
		}
		if got := strings.Contains(allText(o.Reply), e.texts.AddChannelHint); got == friend {
			t.Errorf("friend %v: got add-channel hint %v, want %v", friend, got, !friend)
		}
	}
}

func TestIntakeNeverFromRawUtterance(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	in := turnText("제 번호는 010-1234-5678", "") // Masked unset: nothing but whitespace survives
	o := e.Step(intakeConv(IntakeMessage, ""), in)
	if o.Ticket != nil {
		t.Fatalf("got ticket %+v from an unmasked utterance, want none", o.Ticket)
	}
}

func TestMaxWaiting(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	q := cfg.Handoff.Queues["vip"]
	q.MaxWaiting = 2
	cfg.Handoff.Queues["vip"] = q
	tapVIP := tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot})
	tests := []struct {
		name      string
		waiting   int
		wantState State
		wantOpen  bool
	}{
		{"below max_waiting opens the handoff", 1, StateWaiting, true},
		{"at max_waiting takes the ticket path", 2, StateAfterHours, false},
		{"over max_waiting takes the ticket path", 5, StateAfterHours, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, cfg, Options{Capacity: capacityStub{"vip": tt.waiting}})
			c := welcomedBot()
			c.MenuPath = []string{"main", "returns"}
			o := e.Step(c, tapVIP)
			if o.Conversation.State != tt.wantState {
				t.Fatalf("got state %s, want %s", o.Conversation.State, tt.wantState)
			}
			if got := o.Open != nil; got != tt.wantOpen {
				t.Fatalf("got open %v, want %v", got, tt.wantOpen)
			}
			if tt.wantOpen {
				return
			}
			wantTransitions(t, o, Transition{StateBot, StateAfterHours, EventEscalate, ReasonMaxWaiting})
			if got := allText(o.Reply); !strings.Contains(got, def.Busy) {
				t.Errorf("got %q, want the busy text", got)
			}
			leave := findQR(t, o.Reply, def.LeaveMessage)
			// The busy reply leads into the same intake as after hours.
			o2 := e.Step(o.Conversation, Input{Now: t0, BlockName: "폴백 블록", Utterance: leave.Text, Tap: leave.Tap,
				IsFriend: true, NewTicketID: "t1", NewHandoffCode: "B8C3"})
			if o2.Conversation.Intake.Step != IntakeMessage {
				t.Fatalf("got intake %+v, want the message step", o2.Conversation.Intake)
			}
			in := turnText("급해요", "급해요")
			o3 := e.Step(o2.Conversation, in)
			if o3.Ticket == nil || o3.Ticket.Queue != "vip" {
				t.Fatalf("got ticket %+v, want one for vip", o3.Ticket)
			}
		})
	}
	t.Run("no max_waiting never asks", func(t *testing.T) {
		e := newEngine(t, testConfig(), Options{Capacity: capacityStub{"general": 1000}})
		o := e.Step(welcomedBot(), text("상담원"))
		if o.Open == nil {
			t.Fatalf("got no handoff, want one (general has no max_waiting)")
		}
	})
}

func TestStatusETA(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	c := welcomedBot()
	c.State, c.Queue, c.HandoffID, c.StateSince = StateWaiting, "vip", "h1", t0.Add(-time.Minute)
	tests := []struct {
		name string
		eta  time.Duration
		know bool
		want string
	}{
		{"no history", 0, false, "예상 대기 확인 중"},
		{"rounded up to minutes", 90 * time.Second, true, "예상 대기 약 2분"},
		{"under a minute is one", 10 * time.Second, true, "예상 대기 약 1분"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := text("언제 연결돼요?")
			in.PositionKnown, in.QueueWaiting, in.HandoffCode = true, 1, "A7K2"
			in.ETA, in.ETAKnown = tt.eta, tt.know
			o := e.Step(c, in)
			got := allText(o.Reply)
			if !strings.Contains(got, tt.want) || !strings.Contains(got, "대기 순서 2번") {
				t.Errorf("got %q, want position 2 and %q", got, tt.want)
			}
		})
	}
}

// BenchmarkStepIntake measures the turn that ends an intake with a ticket
// (after_hours → bot, the confirmation and the main menu).
func BenchmarkStepIntake(b *testing.B) {
	e := newEngine(b, testConfig(), Options{})
	c := intakeConv(IntakeMessage, "")
	in := turnText("주문한 상품이 아직 안 왔어요", "주문한 상품이 아직 안 왔어요")
	for b.Loop() {
		if o := e.Step(c, in); o.Ticket == nil {
			b.Fatal("no ticket")
		}
	}
}
