package fsm

import (
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// twoQueueConfig is the test shop with general (escalation.queue) on
// weekday daytime hours and vip on evening hours.
func twoQueueConfig() *configs.Config {
	cfg := testConfig()
	cfg.Handoff.Hours = map[string]configs.Hours{
		"day":   {Weekly: map[string][]string{"mon-fri": {"09:00-18:00"}}},
		"night": {Weekly: map[string][]string{"mon-sun": {"20:00-24:00"}}},
	}
	general, vip := cfg.Handoff.Queues["general"], cfg.Handoff.Queues["vip"]
	general.Hours, vip.Hours = "day", "night"
	cfg.Handoff.Queues["general"], cfg.Handoff.Queues["vip"] = general, vip
	return cfg
}

// twoQueueEngine is an engine of twoQueueConfig, the clock past the hours
// of the queues in closed.
func twoQueueEngine(t *testing.T, closed ...string) *Engine {
	t.Helper()
	cfg := twoQueueConfig()
	shut := map[string]bool{}
	for _, q := range closed {
		shut[q] = true
	}
	return newEngine(t, cfg, Options{Hours: hoursStub{closed: shut, next: t0.Add(10 * time.Hour)}})
}

// TestRepliesAfterHoursOfferMessage: the no-match reply, a greeting typed
// and the welcome offer 상담원 연결 while escalation.queue (general, where
// that tap goes) is open; out of its hours 메시지 남기기 in its place —
// tapped or typed, a ticket intake on general with a reason that says
// where it came from — and the main menu's extra entries without their
// handoff one. vip, closed while general is open, changes nothing: 상담원
// 연결 does not go there. The main menu's own 상담원 연결 entry, shown as
// the menu, stays (its tap answers with the after-hours reply, which says
// why). Each reply keeps a static cache key of its own.
func TestRepliesAfterHoursOfferMessage(t *testing.T) {
	open, vipShut, closed := twoQueueEngine(t), twoQueueEngine(t, "vip"), twoQueueEngine(t, "general")
	tx := open.texts
	inShipping := welcomedBot()
	inShipping.ConfigVersion, inShipping.MenuPath = open.version, []string{"main", "shipping"}
	atHome := welcomedBot()
	atHome.ConfigVersion = open.version
	for _, tc := range []struct {
		name   string
		conv   Conversation
		in     Input
		kind   string
		reason string
		entry  bool // the main menu is shown with its 상담원 연결 entry
	}{
		{"no match", inShipping, text("아무 말이나 해 볼게요"), "no_match", ReasonNoMatchTicket, false},
		{"greeting", inShipping, text("안녕하세요"), "greeting", ReasonMenuTicket, false},
		{"welcome", atHome, welcomeIn(true), "menu", ReasonMenuTicket, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, vip, out, again := open.Step(tc.conv, tc.in), vipShut.Step(tc.conv, tc.in), closed.Step(tc.conv, tc.in), closed.Step(tc.conv, tc.in)
			if out.Record.Kind != tc.kind || in.Record.Kind != tc.kind || allText(out.Reply) != allText(in.Reply) {
				t.Fatalf("got %+v %q out of hours, %+v %q in hours: want the same %s reply", out.Record, allText(out.Reply), in.Record, allText(in.Reply), tc.kind)
			}
			for name, o := range map[string]Outcome{"in hours": in, "vip closed": vip} {
				if !hasQR(o.Reply, tx.Agent) || hasQR(o.Reply, tx.LeaveMessage) || o.Conversation.Intake != (Intake{}) {
					t.Errorf("%s: got quick replies %v intake %+v, want %s and no %s", name, qrLabels(o.Reply), o.Conversation.Intake, tx.Agent, tx.LeaveMessage)
				}
			}
			if vip.Reply.CacheKey != in.Reply.CacheKey {
				t.Errorf("vip closed: got cache key %q, want the in-hours %q", vip.Reply.CacheKey, in.Reply.CacheKey)
			}
			if !hasQR(out.Reply, tx.LeaveMessage) || hasQR(out.Reply, tx.Agent) != tc.entry {
				t.Errorf("out of hours: got quick replies %v, want %s, and %s only as the menu's own entry", qrLabels(out.Reply), tx.LeaveMessage, tx.Agent)
			}
			if tc.entry {
				if e := findQR(t, out.Reply, tx.Agent); e.Tap == nil || e.Tap.N != "main" || e.Tap.O != "agent" {
					t.Errorf("out of hours: got %s tapping %+v, want the main menu's entry", tx.Agent, e.Tap)
				}
			}
			if len(out.Reply.QuickReplies) > maxQuickReplies {
				t.Errorf("out of hours: %d quick replies, want at most %d", len(out.Reply.QuickReplies), maxQuickReplies)
			}
			if out.Reply.CacheKey == "" || out.Reply.CacheKey == in.Reply.CacheKey || again.Reply.CacheKey != out.Reply.CacheKey {
				t.Errorf("cache keys: in hours %q, out of hours %q (again %q): want a stable static key of its own", in.Reply.CacheKey, out.Reply.CacheKey, again.Reply.CacheKey)
			}
			leave := findQR(t, out.Reply, tx.LeaveMessage)
			tap := closed.Step(out.Conversation, tapIn(leave.Label, *leave.Tap))
			typed := closed.Step(out.Conversation, text("메세지 남길게요"))
			for name, o := range map[string]Outcome{"tap": tap, "typed": typed} {
				wantTransitions(t, o, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: tc.reason})
				if o.Conversation.Queue != "general" || o.Conversation.Intake.Step != IntakeMessage || o.Record.Kind != "ticket_prompt" {
					t.Errorf("%s 메시지 남기기: got queue %q intake %+v record %+v, want the ticket prompt on general", name, o.Conversation.Queue, o.Conversation.Intake, o.Record)
				}
			}
			// The message left, the reply does not offer another at once.
			msg := text("내일 연락 주세요")
			msg.Masked, msg.NewTicketID = msg.Utterance, "t1"
			left := closed.Step(tap.Conversation, msg)
			if left.Ticket == nil || left.Ticket.Queue != "general" || hasQR(left.Reply, tx.LeaveMessage) || left.Conversation.Intake != (Intake{}) {
				t.Errorf("the message: got ticket %+v, quick replies %v, intake %+v; want a ticket on general and no new offer", left.Ticket, qrLabels(left.Reply), left.Conversation.Intake)
			}
		})
	}
}
