package fsm

import (
	"testing"
)

// TestIntakeHomeTapAfterReloadIsStale: design §3 step 4 — "Other
// taps (…, any tap during a handoff intake) stay stale after any reload";
// inHandoffIntake: "That holds for a stale 상담 취소, 처음으로 or menu tap
// too". A 처음으로 tap from the intake question shown under v1, tapped
// after a reload to v2 that only edits an FAQ answer, must get the
// stale-tap text and the field again, not abandon the intake.
func TestIntakeHomeTapAfterReloadIsStale(t *testing.T) {
	old := newEngine(t, intakeConfig(false), Options{})
	// The user taps VIP 상담 under v1: the intake's first field is asked.
	c := welcomedBot()
	c.MenuPath = []string{"main", "returns"}
	asked := old.Step(c, tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot, H: old.menus["returns"].byID["vip"].hash}))
	if asked.Conversation.State != StateConfirm || asked.Conversation.Intake.Step != IntakeField {
		t.Fatalf("setup: got %s %+v, want the intake", asked.Conversation.State, asked.Conversation.Intake)
	}
	home := findQR(t, asked.Reply, old.texts.Home)

	cfg := intakeConfig(false)
	cfg.Version = "v2"
	cfg.FAQ[0].Answer = "송장번호로 조회하세요."
	e := newEngine(t, cfg, Options{})
	o := e.Step(asked.Conversation, tapIn(home.Label, *home.Tap))
	if o.Conversation.State != StateConfirm || o.Conversation.Intake.Step != IntakeField || o.Record.Kind != "stale" {
		t.Fatalf("an old intake bubble's 처음으로 after a reload: got state %s, intake %+v, record %+v, discard %q; want it stale (the stale text and the field again, the intake kept)",
			o.Conversation.State, o.Conversation.Intake, o.Record, o.IntakeDiscard)
	}
}

// TestKnowledgeDuringTicketIntake: after 메시지 남기기 the next
// text is the ticket message (design §5 after_hours; README: "취소 or any
// menu tap leaves the intake"). A typed message that Kakao's 지식+ also
// matched arrives with matchedKnowledges and is classified InputKnowledge;
// inIntake handled only taps and text, so the intake was dropped, the
// conversation left after_hours and no ticket was left: the user's
// message was lost and answered by 지식+ instead. Now the typed text is the
// message.
func TestKnowledgeDuringTicketIntake(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	c := welcomedBot()
	c.State, c.Queue = StateAfterHours, "general"
	c.Intake = Intake{Step: IntakeMessage, Reason: ReasonKeyword}
	in := text("반품 신청했는데 환불이 언제 되나요 연락주세요")
	in.Masked, in.NewTicketID = in.Utterance, "t1"
	in.Knowledge = []Knowledge{{Question: "환불은 언제 되나요", Answer: "3영업일 이내 환불돼요."}}
	o := e.Step(c, in)
	if o.Ticket == nil || o.Ticket.Message != in.Masked {
		t.Fatalf("the ticket message typed (지식+ matched it): got ticket %+v, state %s, record %+v; want the ticket left with the message",
			o.Ticket, o.Conversation.State, o.Record)
	}
}

// TestKnowledgeDuringHandoffIntake: the same for a handoff intake
// field: only a menu tap, the welcome block or 처음으로 abandons it (§5);
// a typed answer that 지식+ matched abandoned the intake, deleted the
// answers, and kept the answer text in the turns (not Private). Now it is
// the field's answer, private.
func TestKnowledgeDuringHandoffIntake(t *testing.T) {
	e := newEngine(t, intakeConfig(false), Options{})
	in := text("AB-1234")
	in.Knowledge = []Knowledge{{Question: "주문번호", Answer: "주문번호는 마이페이지에서 확인하세요."}}
	o := e.Step(inIntake("order", false), in)
	if o.Conversation.State != StateConfirm || o.IntakeAnswer == nil || !o.Private {
		t.Fatalf("an intake answer 지식+ matched: got state %s, answer %+v, private %v, discard %q; want it stored (private) and the next field asked",
			o.Conversation.State, o.IntakeAnswer, o.Private, o.IntakeDiscard)
	}
}
