package configs

import "strings"

// warnDisabledDealerTargets warns about a queue whose target is a dealer
// with an empty url. serve starts anyway (a dealer without a url is
// disabled, not an error), but every handoff to that queue then finds no
// dealer and fails over to the notify sinks as a dealer_failed ticket, so
// 상담톡 never hears of it. An unknown dealer is an error of its own
// (validateHandoff) and is not warned about here.
func (t *tree) warnDisabledDealerTargets(c *Config) {
	for _, name := range t.keys(path{"handoff", "queues"}) {
		q, ok := c.Handoff.Queues[name]
		if !ok {
			continue
		}
		dealer, isDealer := strings.CutPrefix(q.Target, "dealer:")
		if !isDealer {
			continue
		}
		d, ok := c.Dealers[dealer]
		if !ok || d.URL != "" {
			continue
		}
		t.warnAt(path{"handoff", "queues", name, "target"},
			`queue %q: target %q: dealer %q has an empty url, so it is disabled: every handoff to this queue fails over to the notify sinks as a dealer_failed ticket and never reaches 상담톡; set dealers.%s.url (e.g. BATON_DEALER_URL)`,
			name, q.Target, dealer, dealer)
	}
}
