package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// TestTextsWithoutTicketReply: with the Event API on (ticket answers come
// back in the chat) the texts promise an answer; with it off
// (Options.NoTicketReply) they say the message goes to the agents, or that
// the agents will call the number left, and never add the channel hint
// (adding the channel would not bring the answer either).
func TestTextsWithoutTicketReply(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"ticket_reply": "문의 답변", "wait_timeout": "대기 사과"}
	vip := cfg.Handoff.Queues["vip"]
	vip.MaxWaiting = 1
	cfg.Handoff.Queues["vip"] = vip
	withContact := *cfg
	withContact.Tickets.AskContact = true
	closedUnknown := hoursStub{closed: map[string]bool{"general": true}} // no next opening known
	// A ticket left after hours: ticket_created_no_reply (ticketCreated).
	closed := Options{Hours: closedUnknown}

	nonFriend := turnText("환불 문의", "환불 문의")
	nonFriend.IsFriend = false
	contactIn := turnText("010-1234-5678", "010-****-****")
	tests := []struct {
		name          string
		cfg           *configs.Config
		opts          Options
		conv          Conversation
		in            Input
		event         *Notice
		on, off       string // the text shown with the Event API on, and off
		hintWhenOnly  bool   // texts.add_channel_hint shown with the Event API on only
		wantTicketNum string // the ticket's contact, when the turn leaves one
	}{
		{name: "closed, next opening unknown", cfg: cfg, opts: Options{Hours: closedUnknown},
			conv: welcomedBot(), in: text("상담원"), on: def.AfterHoursUnknown, off: def.AfterHoursUnknownNoReply},
		{name: "queue full", cfg: cfg, opts: Options{Capacity: capacityStub{"vip": 1}},
			conv: withPath(welcomedBot(), "main", "returns"), in: tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot}),
			on: def.Busy, off: def.BusyNoReply},
		{name: "메시지 남기기", cfg: cfg, conv: intakeConv("", ""), in: turnTap("메시지 남기기", optLeave),
			on: def.TicketPrompt, off: def.TicketPromptNoReply},
		{name: "ticket left without a number", cfg: cfg, opts: closed, conv: intakeConv(IntakeMessage, ""), in: turnText("환불 문의", "환불 문의"),
			on: fill(def.TicketCreated, "code", "A7K2"), off: fill(def.TicketCreatedNoReply, "code", "A7K2")},
		{name: "ticket left without a number by a non-friend", cfg: cfg, opts: closed, conv: intakeConv(IntakeMessage, ""), in: nonFriend,
			on: fill(def.TicketCreated, "code", "A7K2"), off: fill(def.TicketCreatedNoReply, "code", "A7K2"), hintWhenOnly: true},
		{name: "ticket left with a number", cfg: &withContact, conv: intakeConv(IntakeContact, "환불 문의"), in: contactIn,
			on: fill(def.TicketCreated, "code", "A7K2"), off: fill(def.TicketCreatedContact, "code", "A7K2"), wantTicketNum: "01012345678"},
		{name: "contact skipped", cfg: &withContact, opts: closed, conv: intakeConv(IntakeContact, "환불 문의"), in: turnTap("건너뛰기", optContactSkip),
			on: fill(def.TicketCreated, "code", "A7K2"), off: fill(def.TicketCreatedNoReply, "code", "A7K2")},
		{name: "dealer failed while waiting", cfg: cfg, conv: dealerFailed(), in: dealerFailedIn(),
			on: fill(def.WaitingDealerFailure, "code", "B3C4"), off: fill(def.WaitingDealerFailureNoReply, "code", "B3C4")},
		{name: "wait timeout apology", cfg: cfg, conv: welcomedBot(), in: eventIn("대기 사과"), event: &Notice{Kind: NoticeWaitTimeout},
			on: def.EventWaitTimeout, off: def.EventWaitTimeoutNoReply},
	}
	for _, tc := range tests {
		for _, off := range []bool{false, true} {
			name := tc.name + "/event api on"
			want, deny := tc.on, tc.off
			if off {
				name, want, deny = tc.name+"/event api off", tc.off, tc.on
			}
			t.Run(name, func(t *testing.T) {
				opts := tc.opts
				opts.NoTicketReply = off
				e := newEngine(t, tc.cfg, opts)
				var o Outcome
				if tc.event != nil {
					o = e.Event(tc.conv, tc.in, tc.event)
				} else {
					o = e.Step(tc.conv, tc.in)
				}
				got := allText(o.Reply)
				if !strings.Contains(got, want) || strings.Contains(got, deny) {
					t.Fatalf("got %q, want %q and not %q", got, want, deny)
				}
				if hint := strings.Contains(got, def.AddChannelHint); hint != (tc.hintWhenOnly && !off) {
					t.Errorf("got channel hint %v, want %v", hint, tc.hintWhenOnly && !off)
				}
				if tc.wantTicketNum != "" && (o.Ticket == nil || o.Ticket.Contact != tc.wantTicketNum) {
					t.Errorf("got ticket %+v, want one with the contact", o.Ticket)
				}
			})
		}
	}
}

// dealerFailed is a user waiting in the dealer queue vip.
func dealerFailed() Conversation {
	c := welcomedBot()
	c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", "vip", t0.Add(-time.Minute)
	return c
}

// dealerFailedIn is a text while the dealer of the handoff failed for good.
func dealerFailedIn() Input {
	in := text("언제 연결돼요?")
	in.DealerFailed, in.HandoffCode = true, "B3C4"
	return in
}

func withPath(c Conversation, path ...string) Conversation {
	c.MenuPath = path
	return c
}

// TestNoReplyVariantsPromiseNoChatAnswer keeps the defaults honest: the
// variants used when no answer can come back in the chat make no promise of
// one, and each differs from the text it replaces.
func TestNoReplyVariantsPromiseNoChatAnswer(t *testing.T) {
	def := configs.DefaultTexts()
	for _, p := range [][2]string{
		{def.AfterHoursUnknownNoReply, def.AfterHoursUnknown}, {def.BusyNoReply, def.Busy},
		{def.TicketPromptNoReply, def.TicketPrompt}, {def.TicketCreatedNoReply, def.TicketCreated},
		{def.TicketCreatedContact, def.TicketCreated}, {def.EventWaitTimeoutNoReply, def.EventWaitTimeout},
		{def.WaitingDealerFailureNoReply, def.WaitingDealerFailure}, {def.ComplaintAfterHoursNoReply, def.ComplaintAfterHours},
	} {
		if p[0] == "" || p[0] == p[1] || strings.Contains(p[0], "답변드릴게요") ||
			(p[0] != def.TicketCreatedContact && strings.Contains(p[0], "연락드릴게요")) {
			t.Errorf("got %q (for %q), want a distinct text that promises no answer in the chat", p[0], p[1])
		}
	}
}

// TestTicketCreatedText checks which text confirms a ticket: with the Event
// API off and no number left, ticket_created_no_reply ("상담 시간에 다시
// 문의해 주세요") after hours, ticket_created_no_reply_busy ("잠시 후 다시")
// while the queue is open (it was full) or has no hours at all; a number
// left, or the Event API on, choose as before.
func TestTicketCreatedText(t *testing.T) {
	def := configs.DefaultTexts()
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	closed := hoursStub{closed: map[string]bool{"general": true}}
	open := hoursStub{closed: map[string]bool{"vip": true}} // general is open
	skip := turnTap("건너뛰기", optContactSkip)
	number := turnText("010-1234-5678", "010-****-5678")
	for _, tc := range []struct {
		name string
		opts Options
		in   Input
		want string
	}{
		{"no reply, after hours", Options{NoTicketReply: true, Hours: closed}, skip, def.TicketCreatedNoReply},
		{"no reply, open and full", Options{NoTicketReply: true, Hours: open}, skip, def.TicketCreatedNoReplyBusy},
		{"no reply, no hours", Options{NoTicketReply: true}, skip, def.TicketCreatedNoReplyBusy},
		{"no reply, after hours, a number", Options{NoTicketReply: true, Hours: closed}, number, def.TicketCreatedContact},
		{"no reply, open, a number", Options{NoTicketReply: true, Hours: open}, number, def.TicketCreatedContact},
		{"replies, after hours", Options{Hours: closed}, skip, def.TicketCreated},
		{"replies, open", Options{Hours: open}, skip, def.TicketCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, cfg, tc.opts)
			o := e.Step(intakeConv(IntakeContact, "환불 문의"), tc.in)
			if o.Ticket == nil {
				t.Fatalf("got no ticket, reply %q", allText(o.Reply))
			}
			if got, want := allText(o.Reply), fill(tc.want, "code", "A7K2"); !strings.HasPrefix(got, want+"\n") {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
