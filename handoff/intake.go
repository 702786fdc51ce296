package handoff

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/pii"
	"github.com/baton-chat/baton/store"
)

// addIntake stores the intake answer o carries, encrypted, and deletes the
// answers of an intake that ended without its handoff. Without a
// ContactBox answers are dropped: they are never stored in the clear.
func (e Effects) addIntake(o *fsm.Outcome, w *store.TurnWrite, now time.Time) {
	if a := o.IntakeAnswer; a != nil && e.Contacts != nil && a.HandoffID != o.IntakeDiscard {
		// Sealing fails only when the system's randomness does; the
		// handoff is still worth opening without the answer.
		if op, err := e.Contacts.AddIntakeOp(a.HandoffID, w.User.Key, a.Name, a.Value, a.PII, now); err == nil {
			w.Ops = append(w.Ops, op)
		}
	}
	if id := o.IntakeDiscard; id != "" {
		w.Ops = append(w.Ops, store.DiscardIntakeOp(id))
	}
}

// intakeContext fills c.Intake and c.IntakePII with the intake answers of
// handoff id. Without a ContactBox there are none to read.
func (r *Router) intakeContext(ctx context.Context, id string, c *Context) error {
	if r.opts.Contacts == nil {
		return nil
	}
	vals, err := r.db.HandoffIntake(ctx, r.opts.Contacts, id)
	switch {
	case errors.Is(err, store.ErrUnreadable):
		// The contact key changed: the agent still gets the handoff,
		// without the answers it cannot read.
		r.log.Warn("intake answers unreadable with the contact key; sent without them", "handoff", id, "err", err)
	case err != nil:
		return fmt.Errorf("handoff: router: %w", err)
	}
	for _, v := range vals {
		if c.Intake == nil {
			c.Intake, c.IntakePII = map[string]string{}, map[string]bool{}
		}
		c.Intake[v.Name] = v.Value
		if v.PII {
			c.IntakePII[v.Name] = true
		}
	}
	return nil
}

// slackIntake appends the contact preference (slackContactPref) and the
// intake fields not marked pii to a Slack text, one "name: value" line each
// in name order, masked (pii.Mask, as turns are: a free-text field may hold
// a phone number) and escaped so a typed value cannot form a Slack link or
// mention.
func slackIntake(sb *strings.Builder, c Context, x configs.Texts) {
	slackContactPref(sb, c.ContactPref, x)
	names := make([]string, 0, len(c.Intake))
	for k := range c.Intake {
		if !c.IntakePII[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		// White space folded (as the ticket excerpt's): a typed line
		// break must not start a line of its own, such as a fake accept
		// link agents would trust.
		v := strings.Join(strings.Fields(c.Intake[k]), " ")
		fmt.Fprintf(sb, "\n%s: %s", k, slackEscape.Replace(pii.Mask(v)))
	}
}

// slackContactPref appends the line of a contact preference (texts.slack_contact_sms,
// texts.slack_contact_chat) to a Slack text; nothing when there is none.
func slackContactPref(sb *strings.Builder, pref string, x configs.Texts) {
	line := map[string]string{fsm.ContactPrefSMS: x.SlackContactSMS, fsm.ContactPrefChat: x.SlackContactChat}[pref]
	if line != "" {
		sb.WriteString("\n" + slackEscape.Replace(line))
	}
}
