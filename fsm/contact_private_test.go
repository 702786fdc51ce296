package fsm

import "testing"

// TestContactTurnIsPrivate: the text a user types at the contact prompt is
// a phone number (or a try at one), kept only encrypted with the ticket, so
// the turn is private whether the number parses or not; the message turn
// and a typed or tapped skip are not.
func TestContactTurnIsPrivate(t *testing.T) {
	withContact := testConfig()
	withContact.Tickets.AskContact = true
	tests := []struct {
		name        string
		conv        Conversation
		in          Input
		wantPrivate bool
		wantContact string
	}{
		{"valid number", intakeConv(IntakeContact, "환불 문의"), turnText("(010) 9876-5432", "(010) 9876-5432"), true, "01098765432"},
		{"invalid number", intakeConv(IntakeContact, "환불 문의"), turnText("공일공 9876 5432", "공일공 9876 5432"), true, ""},
		{"skip tapped", intakeConv(IntakeContact, "환불 문의"), turnTap("건너뛰기", optContactSkip), false, ""},
		{"skip typed", intakeConv(IntakeContact, "환불 문의"), turnText("건너뛰기", "건너뛰기"), false, ""},
		{"the message", intakeConv(IntakeMessage, ""), turnText("환불 문의", "환불 문의"), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, withContact, Options{})
			o := e.Step(tt.conv, tt.in)
			if o.Private != tt.wantPrivate {
				t.Errorf("got private %v, want %v", o.Private, tt.wantPrivate)
			}
			got := ""
			if o.Ticket != nil {
				got = o.Ticket.Contact
			}
			if got != tt.wantContact {
				t.Errorf("got ticket contact %q, want %q", got, tt.wantContact)
			}
		})
	}
}
