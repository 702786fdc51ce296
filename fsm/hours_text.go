package fsm

import (
	"slices"
	"strings"

	"github.com/baton-chat/baton/configs"
)

// filledMenus returns menus with the hours placeholders of every menu's
// text and text option's text filled from pairs (configs.Config.HoursFills); menus that
// hold none are shared, not copied.
func filledMenus(menus map[string]*configs.Menu, pairs []string) map[string]*configs.Menu {
	out := make(map[string]*configs.Menu, len(menus))
	for id, m := range menus {
		if m == nil || !menuHasBraces(m) {
			out[id] = m
			continue
		}
		cp := *m
		cp.Text = fill(m.Text, pairs...)
		cp.Options = slices.Clone(m.Options)
		for i := range cp.Options {
			cp.Options[i].Text = fill(cp.Options[i].Text, pairs...)
		}
		out[id] = &cp
	}
	return out
}

func menuHasBraces(m *configs.Menu) bool {
	if strings.Contains(m.Text, "{") {
		return true
	}
	for _, o := range m.Options {
		if strings.Contains(o.Text, "{") {
			return true
		}
	}
	return false
}

// fillHoursTexts fills the hours placeholders of the texts that may quote
// them (configs' hoursTexts) once per config version, after keepPromises:
// e.texts with {hours} as escalation.queue's hours, and, when any of them
// quotes the hours, a copy per queue with {hours} as that queue's, which
// textsFor returns. No turn renders hours.
func (e *Engine) fillHoursTexts(pairs []string) {
	fields := hoursTextFields(&e.texts)
	quotes := false
	for _, f := range fields {
		quotes = quotes || strings.Contains(*f, "{hours")
	}
	if !quotes {
		return
	}
	base := e.texts
	e.byQueue = make(map[string]*configs.Texts, len(e.cfg.Handoff.Queues))
	for name := range e.cfg.Handoff.Queues {
		tx := base
		own := append([]string{"hours", e.cfg.QueueHoursText(name, base)}, pairs...)
		for _, f := range hoursTextFields(&tx) {
			*f = fill(*f, own...)
		}
		e.byQueue[name] = &tx
	}
	for _, f := range fields {
		*f = fill(*f, pairs...)
	}
}

// hoursTextFields are tx's texts that may quote the hours, by the keys of
// configs' hoursTexts (configs/hours_placeholder.go).
func hoursTextFields(tx *configs.Texts) []*string {
	return []*string{&tx.AfterHours, &tx.AfterHoursUnknown, &tx.AfterHoursUnknownNoReply,
		&tx.ComplaintAfterHours, &tx.ComplaintAfterHoursNoReply, &tx.EventWaitTimeout, &tx.EventWaitTimeoutNoReply,
		&tx.NotifyScheduled, &tx.TicketPrompt, &tx.TicketPromptNoReply,
		&tx.TicketCreated, &tx.TicketCreatedNoReply, &tx.TicketCreatedContact}
}

// textsFor returns the texts of a reply about queue: their {hours} is that
// queue's hours. For a queue the config does not have (or "") it returns
// the texts whose {hours} is escalation.queue's.
func (e *Engine) textsFor(queue string) *configs.Texts {
	if tx, ok := e.byQueue[queue]; ok {
		return tx
	}
	return &e.texts
}
