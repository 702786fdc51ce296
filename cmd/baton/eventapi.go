package main

import (
	"context"

	"github.com/baton-chat/baton/handoff"
)

// startEventAPI registers the CSAT metric and, when event_api.rest_api_key
// is set, starts the Event API deliverer on ctx (stopped with the other
// background loops). Without a key notifications stay pending, and start-up
// says so.
func (m *Main) startEventAPI(ctx context.Context) {
	log := m.Logger
	m.registry.MustRegister(handoff.NewCSATCollector(m.DB, log))
	ev := m.Config.EventAPI
	if !ev.EventAPIEnabled() {
		log.Info("event api disabled: event_api.rest_api_key is empty; notifications stay pending")
		return
	}
	if ev.DailyBudgetWon == 0 {
		log.Warn("event api: daily_budget_won is 0, so every message is skipped as over budget")
	}
	d := handoff.NewEventDeliverer(m.DB, handoff.NewEventAPIClient(ev.BaseURL, ev.RestAPIKey), ev, log)
	if m.EventAPIInterval > 0 {
		d.Interval = m.EventAPIInterval
	}
	m.registry.MustRegister(d.Collectors()...)
	m.bg.Go(func() {
		if err := d.Run(ctx); err != nil {
			log.Error("event api deliverer stopped", "err", err)
		}
	})
	log.Info("event api enabled", "events", len(ev.Events), "daily_budget_won", ev.DailyBudgetWon)
}
