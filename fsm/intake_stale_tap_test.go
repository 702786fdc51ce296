package fsm

import (
	"strings"
	"testing"
	"time"
)

// TestTicketContactStaleTapAfterReload: the user typed their message and is
// asked for a call-back number; a reload (an FAQ answer reworded) happens;
// they tap 건너뛰기 on the contact prompt. Its tap is from v1, so it is
// stale, but it must not drop the intake with the message held: as the
// handoff intake answers a stale tap (staleField), the stale-tap text and
// the number asked again, the intake (and its message) kept.
func TestTicketContactStaleTapAfterReload(t *testing.T) {
	cfg := testConfig()
	cfg.Tickets.AskContact = true
	closed := Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: t0.Add(time.Hour)}}
	v1 := newEngine(t, cfg, closed)
	ah := v1.Step(welcomedBot(), text("상담원"))
	leave := findQR(t, ah.Reply, v1.texts.LeaveMessage)
	asked := v1.Step(ah.Conversation, tapIn(leave.Label, *leave.Tap))
	msg := text("환불 요청합니다")
	msg.Masked = msg.Utterance
	contact := v1.Step(asked.Conversation, msg)
	if contact.Conversation.Intake.Step != IntakeContact {
		t.Fatalf("setup: got intake %+v, want the contact asked", contact.Conversation.Intake)
	}
	skip := findQR(t, contact.Reply, v1.texts.ContactSkip)

	cfg2 := answerReworded()
	cfg2.Tickets.AskContact = true
	v2 := newEngine(t, cfg2, closed)
	in := tapIn(skip.Label, *skip.Tap)
	in.NewTicketID = "t-1"
	got := v2.Step(contact.Conversation, in)
	kept := got.Conversation.State == StateAfterHours && got.Conversation.Intake == contact.Conversation.Intake
	if got.Ticket == nil && !kept {
		t.Fatalf("건너뛰기 tapped after a reload: got state %s intake %+v record %+v reply %q; want the ticket left or the intake (and its message) kept",
			got.Conversation.State, got.Conversation.Intake, got.Record, allText(got.Reply))
	}
	if reply := allText(got.Reply); !strings.Contains(reply, v2.texts.StaleTap) || !strings.Contains(reply, v2.texts.ContactPrompt) {
		t.Errorf("got reply %q, want the stale text and the contact prompt again", reply)
	}
	// The fresh 건너뛰기 offered with it leaves the ticket.
	fresh := findQR(t, got.Reply, v2.texts.ContactSkip)
	in = tapIn(fresh.Label, *fresh.Tap)
	in.NewTicketID = "t-1"
	if left := v2.Step(got.Conversation, in); left.Ticket == nil || left.Ticket.Message != "환불 요청합니다" {
		t.Errorf("the fresh 건너뛰기: got ticket %+v, want the message left", left.Ticket)
	}
}

// TestZeroAtTicketPrompt: "0" is 처음으로 (DESIGN §3). Typed at the ticket
// prompt it leaves the intake for the main menu as "처음으로" typed there
// does; it is not a message "0" that agents get as an empty ticket while
// the user is told it was received.
func TestZeroAtTicketPrompt(t *testing.T) {
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: t0.Add(time.Hour)}})
	ah := e.Step(welcomedBot(), text("상담원"))
	leave := findQR(t, ah.Reply, e.texts.LeaveMessage)
	asked := e.Step(ah.Conversation, tapIn(leave.Label, *leave.Tap))
	if asked.Conversation.Intake.Step != IntakeMessage {
		t.Fatalf("setup: got intake %+v", asked.Conversation.Intake)
	}
	home := text("처음으로")
	home.NewTicketID = "t-1"
	want := e.Step(asked.Conversation, home)
	if want.Ticket != nil {
		t.Fatalf("setup: 처음으로 left a ticket")
	}
	for _, say := range []string{"0", "０", "0번"} {
		zero := text(say)
		zero.Masked, zero.NewTicketID = say, "t-1"
		got := e.Step(asked.Conversation, zero)
		if got.Ticket != nil {
			t.Errorf("%q at the ticket prompt: got ticket %+v (message %q), reply %q; want the main menu as 처음으로, no ticket",
				say, got.Ticket.ID, got.Ticket.Message, allText(got.Reply))
			continue
		}
		if got.Conversation.State != want.Conversation.State || got.Record != want.Record || got.Conversation.Intake != want.Conversation.Intake {
			t.Errorf("%q at the ticket prompt: got state %s record %+v intake %+v; want %s %+v %+v as 처음으로",
				say, got.Conversation.State, got.Record, got.Conversation.Intake, want.Conversation.State, want.Record, want.Conversation.Intake)
		}
	}
}
