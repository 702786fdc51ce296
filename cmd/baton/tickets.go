package main

import (
	"context"

	"github.com/baton-chat/baton/configs"
)

// defaultContactRetention applies when retention.contacts is not set
// (Load fills it; a Config built in code may not).
const defaultContactRetention = configs.DefaultRetainContacts

// pruneContacts deletes the contacts left with tickets once they are older
// than retention.contacts.
func (m *Main) pruneContacts(ctx context.Context) {
	keep := m.Config.Retention.Contacts.D()
	if keep <= 0 {
		keep = defaultContactRetention
	}
	n, err := m.DB.PruneContacts(ctx, m.Now().Add(-keep))
	if err != nil {
		m.Logger.Warn("prune contacts", "err", err)
		return
	}
	if n > 0 {
		m.Logger.Info("pruned contacts", "rows", n)
	}
}
