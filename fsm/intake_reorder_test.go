package fsm

import (
	"testing"

	"github.com/baton-chat/baton/configs"
)

// buyerFirst returns intakeConfig at version v2 with vip's intake
// reordered to [buyer, order]: both fields kept, buyer required.
func buyerFirst() *configs.Config {
	cfg := intakeConfig(false)
	cfg.Version = "v2"
	vip := cfg.Handoff.Queues["vip"]
	vip.Intake = []configs.IntakeField{vip.Intake[1], vip.Intake[0]}
	cfg.Handoff.Queues["vip"] = vip
	return cfg
}

// TestIntakeReorderedAsksFirstNotPassed: a handoff intake is asking
// "order" (first of [order, buyer] on vip) when a reload reorders the
// intake to [buyer, order]. The user answers the order number: it is
// stored, and the next question is the first field of the new intake not
// passed (Intake.Passed), buyer — the handoff does not open without the
// required buyer ever asked, as it would if the intake went on after
// order's new place, the last.
func TestIntakeReorderedAsksFirstNotPassed(t *testing.T) {
	e := newEngine(t, buyerFirst(), Options{})
	got := e.Step(inIntake("order", false), text("A-1001"))
	if got.Open != nil || got.Conversation.Intake.Field != "buyer" {
		t.Fatalf("order answered after a reload moved buyer first: got open %+v, intake %+v, record %+v; want buyer (required, not passed) asked before the handoff opens",
			got.Open, got.Conversation.Intake, got.Record)
	}
	if a := got.IntakeAnswer; a == nil || a.Name != "order" || a.Value != "A-1001" {
		t.Errorf("got answer %+v, want order = A-1001 stored", a)
	}
	done := e.Step(got.Conversation, text("김철수"))
	if done.Open == nil || done.IntakeAnswer == nil || done.IntakeAnswer.Name != "buyer" {
		t.Errorf("buyer answered next: got open %+v answer %+v intake %+v, want the handoff (order passed already)",
			done.Open, done.IntakeAnswer, done.Conversation.Intake)
	}
}

// TestIntakeReorderedStaleTapThenAnswer: the same reload, seen first by a
// tap on the order prompt's bubble (stale after any reload). The question
// asked with the stale-tap text is buyer, the first field of the new intake
// not passed, so no later turn, which no longer knows of the reload, goes
// on after order and past buyer.
func TestIntakeReorderedStaleTapThenAnswer(t *testing.T) {
	e := newEngine(t, buyerFirst(), Options{})
	stale := e.Step(inIntake("order", false), confirmTap(e.texts.IntakeSkip, optIntakeSkip))
	if stale.Record.Kind != "stale" || stale.Conversation.Intake.Field != "buyer" {
		t.Fatalf("stale tap after the reload: got record %+v intake %+v, want the stale text and buyer asked", stale.Record, stale.Conversation.Intake)
	}
	got := e.Step(stale.Conversation, text("김철수"))
	if got.Open != nil || got.Conversation.Intake.Field != "order" {
		t.Errorf("buyer answered: got open %+v intake %+v, want order (optional, not passed) asked next", got.Open, got.Conversation.Intake)
	}
}
