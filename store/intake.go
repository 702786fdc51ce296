package store

import (
	"encoding/json"

	"github.com/baton-chat/baton/fsm"
)

// intakeWire is conversations.intake: a ticket intake or a handoff intake
// in progress. A handoff intake holds no answers (they are stored
// encrypted in handoff_intake as they are given).
type intakeWire struct {
	Step    string `json:"step"`
	Message string `json:"message,omitempty"`
	// Handoff intake (step "field").
	HandoffID string `json:"handoff_id,omitempty"`
	Field     string `json:"field,omitempty"`
	Retried   bool   `json:"retried,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Passed    string `json:"passed,omitempty"`
	// Pref is the contact preference heard during the intake ("sms",
	// "chat"); absent when none, as in every value written before it.
	Pref string `json:"pref,omitempty"`
}

// encodeIntake stores an intake as a JSON object (empty when none). An
// intake with no step but a reason is the confirm question's pending
// escalation reason.
func encodeIntake(in fsm.Intake) string {
	if in == (fsm.Intake{}) {
		return ""
	}
	b, _ := json.Marshal(intakeWire{Step: in.Step, Message: in.Message, HandoffID: in.HandoffID,
		Field: in.Field, Retried: in.Retried, Reason: in.Reason, Passed: in.Passed, Pref: in.Pref}) // strings and a bool: cannot fail
	return string(b)
}

// decodeIntake is the inverse of encodeIntake. A value it cannot read is no
// intake: the user is asked again rather than stuck.
func decodeIntake(s string) fsm.Intake {
	if s == "" {
		return fsm.Intake{}
	}
	var w intakeWire
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return fsm.Intake{}
	}
	return fsm.Intake{Step: w.Step, Message: w.Message, HandoffID: w.HandoffID, Field: w.Field,
		Retried: w.Retried, Reason: w.Reason, Passed: w.Passed, Pref: w.Pref}
}
