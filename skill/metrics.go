package skill

import (
	"strconv"

	"github.com/baton-chat/baton/fsm"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the skill server's Prometheus metrics. Labels are kinds and
// reasons, never block names, user keys or utterances.
type Metrics struct {
	answers     *prometheus.CounterVec
	fallbacks   *prometheus.CounterVec
	limited     prometheus.Counter
	turnSeconds prometheus.Histogram
	outcomes    *prometheus.CounterVec
	transitions *prometheus.CounterVec
	callbacks   *prometheus.CounterVec
	contained   *prometheus.CounterVec

	// Resolved children of the vectors counted on every turn.
	answersC, outcomesC, transitionsC, containedC counters
}

// NewMetrics creates the metrics and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_skill_answers_total",
			Help: "Answers to POST /skill by result: ok, fallback, rate_limited, unauthorized, too_large.",
		}, []string{"result"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_skill_fallbacks_total",
			Help: "Fallback bubbles sent, by reason (decode, load, commit, render, panic, deadline).",
		}, []string{"reason"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_skill_rate_limited_total",
			Help: "Turns over the per-user rate limit.",
		}),
		turnSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "baton_skill_turn_seconds",
			Help:    "Time from request to committed, rendered answer.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_turns_total",
			Help: "Committed user turns by what the bot did (welcome, menu, faq, clarify, no_match, handoff, status, ...). Test traffic is excluded.",
		}, []string{"kind"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_transitions_total",
			Help: "Lifecycle transitions by from, to and reason. Test traffic is excluded.",
		}, []string{"from", "to", "reason"}),
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_callbacks_total",
			Help: "Answers delivered through the AI chatbot callback, by result (sent, failed).",
		}, []string{"result"}),
		contained: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_turns_contained_total",
			Help: "Committed user turns by whether the bot kept the conversation (contained=true: the state after the turn is bot) or it went toward a human (false). Containment rate = true / all. Test traffic is excluded.",
		}, []string{"contained"}),
	}
	m.answersC.vec, m.outcomesC.vec, m.transitionsC.vec, m.containedC.vec = m.answers, m.outcomes, m.transitions, m.contained
	if reg != nil {
		reg.MustRegister(m.answers, m.fallbacks, m.limited, m.turnSeconds, m.outcomes, m.transitions, m.callbacks, m.contained)
	}
	return m
}

func (m *Metrics) observeOutcome(test bool, out *fsm.Outcome) {
	if test {
		return
	}
	m.outcomesC.with(out.Record.Kind).Inc()
	m.containedC.with(strconv.FormatBool(out.Conversation.State == fsm.StateBot)).Inc()
	for _, t := range out.Transitions {
		m.transitionsC.with3(string(t.From), string(t.To), t.Reason).Inc()
	}
}
