package skill

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// counters resolves a CounterVec's children once per label value: a turn's
// counter is a sync.Map hit instead of WithLabelValues' hashing, label
// validation and lock. Label values are bounded sets (kinds, reasons,
// states), so the cache is too.
type counters struct {
	vec *prometheus.CounterVec
	m   sync.Map // label values key -> prometheus.Counter
}

// with returns the counter of one label value.
func (c *counters) with(v string) prometheus.Counter {
	if x, ok := c.m.Load(v); ok {
		return x.(prometheus.Counter)
	}
	ctr := c.vec.WithLabelValues(v)
	c.m.Store(v, ctr)
	return ctr
}

// move is the label values of one lifecycle transition.
type move struct{ from, to, reason string }

// with3 returns the counter of three label values.
func (c *counters) with3(from, to, reason string) prometheus.Counter {
	k := move{from, to, reason}
	if x, ok := c.m.Load(k); ok {
		return x.(prometheus.Counter)
	}
	ctr := c.vec.WithLabelValues(from, to, reason)
	c.m.Store(k, ctr)
	return ctr
}
