package main

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
)

// notifyWarning says which queues of cfg target notify while none of sinks
// (the notify sinks in force: read at start only) is enabled, so that their
// handoffs reach nobody (each becomes a no_sink ticket); "" when there is no
// such queue or a sink is enabled.
func notifyWarning(cfg *configs.Config, sinks []configs.Notify) string {
	if cfg == nil || len(handoff.NewSinks(sinks, nil, nil)) > 0 {
		return ""
	}
	var queues []string
	for name, q := range cfg.Handoff.Queues {
		if q.Target == "notify" {
			queues = append(queues, name)
		}
	}
	if len(queues) == 0 {
		return ""
	}
	slices.Sort(queues)
	return fmt.Sprintf("no notify sink is enabled (every notify url is empty) but queues %s target notify: their handoffs reach no agent and become no_sink tickets",
		strings.Join(queues, ", "))
}

// notifySinks are the notify sinks in force: those of the config serve
// started with (a reload changes them only after a restart).
func (m *Main) notifySinks() []configs.Notify {
	if m.Config == nil {
		return nil
	}
	return m.Config.Notify
}

// notifyStatus is the /readyz "notify" field: "ok" or the warning of
// notifyWarning for the config in force (a warning only: it never changes
// the status).
func (m *Main) notifyStatus() string {
	if w := notifyWarning(m.CurrentConfig(), m.notifySinks()); w != "" {
		return w
	}
	return "ok"
}

// logNotifyWarning logs notifyWarning for cfg (at start and on reload).
func (m *Main) logNotifyWarning(log *slog.Logger, cfg *configs.Config) {
	if w := notifyWarning(cfg, m.notifySinks()); w != "" {
		log.Warn("notify queues unreachable", "warning", w)
	}
}
