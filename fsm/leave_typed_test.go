package fsm

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/faq"
)

// leaveEngine is the test shop with the wait-timeout event, escalation.queue
// closed when closed, and an FAQ that answers "문의 남기기" (so the test
// sees that the FAQ does not take it from the offer).
func leaveEngine(t *testing.T, closed bool) *Engine {
	t.Helper()
	cfg := testConfig()
	cfg.EventAPI.Events = map[string]string{"wait_timeout": "대기 사과"}
	cfg.Escalation.Complaints = []string{"최악"}
	m := testMatcher()
	m.decisions["문의 남기기"] = faq.Decision{Kind: faq.Answer, ID: "agent-hours", Score: 0.9}
	e, err := New(cfg, m, Options{Hours: hoursStub{closed: map[string]bool{"general": closed}, next: t0.Add(23 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestTypedLeaveMessage: under a bot-state reply that offers 메시지 남기기
// (the wait-timeout apology, the complaint reply out of hours), the words
// typed — the label, "메세지 남길게요", "문의 남기기", "남길게요" — do
// exactly what the tap does (same reply, same conversation, same
// transition), also where the FAQ would answer them. Without the offer, one
// turn later, or past session_idle, they are text as before.
func TestTypedLeaveMessage(t *testing.T) {
	e := leaveEngine(t, true)
	tx := e.texts
	offers := map[string]func() Outcome{
		ReasonWaitTimeoutTicket: func() Outcome {
			return e.Event(welcomedBot(), eventIn("대기 사과"), &Notice{Kind: NoticeWaitTimeout})
		},
		ReasonComplaintTicket: func() Outcome { return e.Step(welcomedBot(), text("진짜 최악이네요")) },
	}
	for reason, offer := range offers {
		o := offer()
		if got := o.Conversation.Intake; got != (Intake{Reason: reason}) {
			t.Fatalf("%s: the offer's conversation holds intake %+v, want the offer noted", reason, got)
		}
		leave := findQR(t, o.Reply, tx.LeaveMessage)
		tap := e.Step(o.Conversation, tapIn(leave.Label, *leave.Tap))
		for _, say := range []string{tx.LeaveMessage, "메세지 남길게요", "문의 남기기", "남길게요", "메시지남기기"} {
			t.Run(reason+"/"+say, func(t *testing.T) {
				typed := e.Step(o.Conversation, text(say))
				wantTransitions(t, typed, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: reason})
				if diff := cmp.Diff(tap.Reply, typed.Reply); diff != "" {
					t.Errorf("typed reply differs from the tap's (-tap +typed):\n%s", diff)
				}
				if diff := cmp.Diff(tap.Conversation, typed.Conversation); diff != "" {
					t.Errorf("typed conversation differs from the tap's (-tap +typed):\n%s", diff)
				}
				if typed.Record.Kind != "ticket_prompt" || typed.Conversation.Intake.Step != IntakeMessage {
					t.Errorf("got record %+v intake %+v, want the ticket prompt", typed.Record, typed.Conversation.Intake)
				}
			})
		}
		// One turn later the quick reply is gone: the words are text again.
		// (The turn between comes once the office opened: out of hours
		// every reply offering 상담원 연결 offers 메시지 남기기 instead,
		// leaveUnderReply.)
		open := leaveEngine(t, false)
		later := open.Step(o.Conversation, text(tx.Home))
		if later.Conversation.Intake != (Intake{}) {
			t.Errorf("%s: the offer outlived the next turn: intake %+v", reason, later.Conversation.Intake)
		}
		if got := open.Step(later.Conversation, text("메시지 남기기")); got.Conversation.State != StateBot || len(got.Transitions) != 0 {
			t.Errorf("%s, a turn later: got %s %+v, want bot, no transition", reason, got.Conversation.State, got.Transitions)
		}
		// Past session_idle it has expired too.
		idle := o.Conversation
		in := text("메시지 남기기")
		in.Now = idle.LastTurnAt.Add(time.Hour)
		if got := e.Step(idle, in); got.Conversation.State != StateBot || len(got.Transitions) != 0 {
			t.Errorf("%s, past session_idle: got %s %+v, want bot, no transition", reason, got.Conversation.State, got.Transitions)
		}
	}

	// No offer: the FAQ answers "문의 남기기", and the label is a no-match,
	// in hours and out of hours alike.
	for _, closed := range []bool{false, true} {
		e := leaveEngine(t, closed)
		if got := e.Step(welcomedBot(), text("문의 남기기")); got.Record.Kind != "faq" || got.Record.Node != "agent-hours" {
			t.Errorf("closed=%v, no offer: got record %+v, want the FAQ's answer", closed, got.Record)
		}
		if got := e.Step(welcomedBot(), text(tx.LeaveMessage)); got.Conversation.State != StateBot || len(got.Transitions) != 0 || got.Record.Kind != "no_match" {
			t.Errorf("closed=%v, no offer: got %s %+v record %+v, want a no-match in bot", closed, got.Conversation.State, got.Transitions, got.Record)
		}
	}
}

// TestTypedLeaveMessageAfterHours: the after-hours reply takes the same
// words ("메세지 남길게요" opens the intake, as the label did), and the
// intake does not take them for the message.
func TestTypedLeaveMessageAfterHours(t *testing.T) {
	e := leaveEngine(t, true)
	ah := e.Step(welcomedBot(), text("상담원"))
	if ah.Conversation.State != StateAfterHours {
		t.Fatalf("상담원 out of hours: got %s, want after_hours", ah.Conversation.State)
	}
	got := e.Step(ah.Conversation, text("메세지 남길게요"))
	if got.Conversation.State != StateAfterHours || got.Conversation.Intake.Step != IntakeMessage || got.Record.Kind != "ticket_prompt" {
		t.Fatalf("typed leave after hours: got %s intake %+v record %+v, want the ticket prompt", got.Conversation.State, got.Conversation.Intake, got.Record)
	}
	in := text("메시지 남길게요")
	in.Masked, in.NewTicketID = in.Utterance, "01TICKETLEAVEWORDS"
	again := e.Step(got.Conversation, in)
	if again.Ticket != nil || again.Record.Kind != "ticket_prompt" || again.Conversation.Intake.Step != IntakeMessage {
		t.Fatalf("the leave words again: got ticket %+v record %+v, want the prompt again and no ticket", again.Ticket, again.Record)
	}
}

// TestWaitTimeoutLeaveGoesToTheQueueWaitedFor: 메시지 남기기 under the
// wait-timeout apology of a handoff to vip, tapped or typed, leaves the
// ticket on vip, the queue the user waited for (general, escalation.queue,
// has other agents and other hours: its hours open, vip's closed), and the
// ticket prompt quotes vip's hours. An apology about escalation.queue, or
// about a queue a reload removed, files on escalation.queue as before.
func TestWaitTimeoutLeaveGoesToTheQueueWaitedFor(t *testing.T) {
	cfg := twoQueueConfig()
	cfg.EventAPI.Events = map[string]string{"wait_timeout": "대기 사과"}
	cfg.Texts.TicketPrompt = "메시지를 남겨 주세요. 상담 시간은 {hours}."
	e := newEngine(t, cfg, Options{Hours: hoursStub{closed: map[string]bool{"vip": true}, next: t0.Add(8 * time.Hour)}})
	tx := e.texts
	for _, tc := range []struct{ waited, want string }{
		{"vip", "vip"}, {"general", "general"}, {"", "general"}, {"gone", "general"},
	} {
		o := e.Event(welcomedBot(), eventIn("대기 사과"), &Notice{Kind: NoticeWaitTimeout, Queue: tc.waited})
		leave := findQR(t, o.Reply, tx.LeaveMessage)
		tap := e.Step(o.Conversation, tapIn(leave.Label, *leave.Tap))
		typed := e.Step(o.Conversation, text("메세지 남길게요"))
		for name, got := range map[string]Outcome{"tap": tap, "typed": typed} {
			wantTransitions(t, got, Transition{From: StateBot, To: StateAfterHours, Event: "escalate", Reason: ReasonWaitTimeoutTicket})
			if got.Conversation.Queue != tc.want || got.Record != (TurnRecord{Kind: "ticket_prompt", Node: tc.want}) {
				t.Errorf("waited for %q, %s: got queue %q record %+v, want the ticket prompt on %q", tc.waited, name, got.Conversation.Queue, got.Record, tc.want)
			}
			if want := e.textsFor(tc.want).TicketPrompt + "\n"; allText(got.Reply) != want {
				t.Errorf("waited for %q, %s: got %q, want %q", tc.waited, name, allText(got.Reply), want)
			}
			in := text("주문한 상품이 아직 안 왔어요")
			in.Masked, in.NewTicketID = in.Utterance, "t1"
			left := e.Step(got.Conversation, in)
			if left.Ticket == nil || left.Ticket.Queue != tc.want {
				t.Errorf("waited for %q, %s: got ticket %+v, want one on %q", tc.waited, name, left.Ticket, tc.want)
			}
			if left.Conversation.Queue != "" || left.Conversation.State != StateBot {
				t.Errorf("waited for %q, %s: after the ticket got %s on %q, want bot with no queue", tc.waited, name, left.Conversation.State, left.Conversation.Queue)
			}
		}
		// The offer lasts one turn, or one event message: the queue goes
		// with it.
		if later := e.Step(o.Conversation, text(tx.Home)); later.Conversation.Queue != "" || later.Conversation.Intake != (Intake{}) {
			t.Errorf("waited for %q: a turn later got queue %q intake %+v, want neither", tc.waited, later.Conversation.Queue, later.Conversation.Intake)
		}
		reply := e.Event(o.Conversation, eventIn("대기 사과"), &Notice{Kind: NoticeTicketReply, Answer: "확인했어요."})
		if reply.Conversation.Queue != "" || reply.Conversation.Intake != (Intake{}) {
			t.Errorf("waited for %q: after a ticket reply got queue %q intake %+v, want neither", tc.waited, reply.Conversation.Queue, reply.Conversation.Intake)
		}
	}
}
