package handoff

import (
	"time"

	"github.com/baton-chat/baton/pii"
)

// Context is what a dealer (or a notify sink) is told about the conversation
// that led to a handoff: where the user was in the menus, how many FAQ
// questions went unanswered, the last turns (masked) and any intake fields.
// It is the "context" object of the dealer contract v1 (DESIGN §6).
type Context struct {
	// MenuPath lists the menu ids from the welcome menu to where the user
	// escalated, outermost first.
	MenuPath []string
	// FAQMisses counts the user's unanswered FAQ questions before the handoff.
	FAQMisses int
	// Turns are the last turns of the conversation, oldest first, text masked.
	Turns []ContextTurn
	// Intake holds the handoff's intake answers (order number, ...) by
	// field name.
	Intake map[string]string
	// IntakePII names the Intake fields marked pii: only notify sinks with
	// pii: true receive them.
	IntakePII map[string]bool
	// ContactPref is how the user asked, during the intake, to be answered
	// instead of a call: "sms" (a text to the number), "chat" or "" (none
	// said; left out of the wire). It is no personal data: every sink gets
	// it.
	ContactPref string
}

// ContextTurn is one turn of Context.
type ContextTurn struct {
	// At is when the turn happened.
	At time.Time
	// From is "user" or "bot".
	From string
	// Text is the masked text of the turn.
	Text string
}

// Values of ContextTurn.From.
const (
	FromUser = "user"
	FromBot  = "bot"
)

// contextWire is Context as the dealer contract and the notify webhook send
// it: lists and maps are never null.
type contextWire struct {
	MenuPath  []string          `json:"menu_path"`
	FAQMisses int               `json:"faq_misses"`
	Turns     []turnWire        `json:"turns"`
	Intake    map[string]string `json:"intake"`
	// ContactPref is absent when the user stated none (version 1 receivers
	// that do not know it see the body they always did).
	ContactPref string `json:"contact_preference,omitempty"`
}

type turnWire struct {
	At   string `json:"at"`
	From string `json:"from"`
	Text string `json:"text"`
}

// wire returns c for the wire. Turns and the intake fields marked pii are
// personal data: they are included only when personal is true. Without
// personal the other intake values are masked as turns are (pii.Mask): a
// field without a pattern takes any text, a phone number typed into it
// included; with personal they go as typed.
func (c Context) wire(personal bool) contextWire {
	w := contextWire{MenuPath: c.MenuPath, FAQMisses: c.FAQMisses, Turns: []turnWire{}, Intake: map[string]string{},
		ContactPref: c.ContactPref}
	if w.MenuPath == nil {
		w.MenuPath = []string{}
	}
	if !personal {
		for k, v := range c.Intake {
			if !c.IntakePII[k] {
				w.Intake[k] = pii.Mask(v)
			}
		}
		return w
	}
	for _, t := range c.Turns {
		// Stored turns are masked already; masking again at the door costs
		// little and covers text that reached Context another way.
		w.Turns = append(w.Turns, turnWire{At: rfc3339(t.At), From: t.From, Text: pii.Mask(t.Text)})
	}
	for k, v := range c.Intake {
		w.Intake[k] = v
	}
	return w
}
