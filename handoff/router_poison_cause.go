package handoff

import (
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// maxPoisonCauses bounds the causes a router keeps: a message whose cause
// is not kept is processed again (Router.afterLast), as after a restart.
const maxPoisonCauses = 1000

// poisonCauses keeps, by stream sequence, why a message failed on its last
// delivery when its router_poison ticket could not be written then: the
// delivery after it writes only the ticket (Router.handle), and the ticket
// must still say what failed. A cause lives in memory only; after a
// restart none is kept, and the message is processed once more, so the
// ticket names the failure of that delivery (see
// TestRouterPoisonTicketAfterAProcessRestartNamesTheCause). Persisting it
// would buy little: a cause is kept only when the store refused a ticket,
// when it would most likely refuse the cause's row too.
type poisonCauses struct {
	mu sync.Mutex
	m  map[uint64]error
}

// keep remembers cause for msg, unless msg has no metadata or
// maxPoisonCauses are kept.
func (p *poisonCauses) keep(msg jetstream.Msg, cause error) {
	meta, err := msg.Metadata()
	if err != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = make(map[uint64]error)
	}
	if _, ok := p.m[meta.Sequence.Stream]; ok || len(p.m) < maxPoisonCauses {
		p.m[meta.Sequence.Stream] = cause
	}
}

// take returns the cause kept for msg and forgets it, or ok false when
// none is kept: the delivery that takes it either writes the ticket or
// keeps it again.
func (p *poisonCauses) take(msg jetstream.Msg) (cause error, ok bool) {
	meta, err := msg.Metadata()
	if err != nil {
		return nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cause, ok = p.m[meta.Sequence.Stream]
	if ok {
		delete(p.m, meta.Sequence.Stream)
	}
	return cause, ok
}
