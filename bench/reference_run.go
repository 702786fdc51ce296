package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// measureReferences runs the saturation phase against each of
// cfg.References, each started on a fresh SQLite file just before its
// phase and stopped right after it, and appends the results to
// r.References. Each gets its own client (same settings as the other
// targets') and its own users.
func (r *Report) measureReferences(ctx context.Context, cfg Config, idle int) error {
	for i, ref := range cfg.References {
		target, stop, err := StartReference(ref)
		if err != nil {
			return err
		}
		// The reference answers with the default fallback text, whatever
		// the texts of the Baton under test are.
		l := NewLoad(target, *cfg.Traffic, DefaultAnswers(), NewClient(idle), cfg.Users, cfg.Seed+uint64(i+2)*0x9e3779b97f4a7c15)
		settle(cfg.Settle)
		cfg.Progress(target.Name, "saturation")
		p, err := l.Saturate(ctx, cfg.Concurrency, cfg.Warmup, cfg.Duration)
		l.client.CloseIdleConnections()
		if err = errors.Join(err, stop()); err != nil {
			return err
		}
		res := Result{Target: target, Saturation: p}
		_, res.UsersCreated = l.pool.stats()
		r.References = append(r.References, res)
	}
	return nil
}

// referenceResults returns pointers to r.References.
func (r *Report) referenceResults() []*Result {
	res := make([]*Result, len(r.References))
	for i := range r.References {
		res[i] = &r.References[i]
	}
	return res
}

// ReferenceRatio is reference result ref's saturation turns/s over the
// bare handler's (0 when the bare handler served nothing), the figure to
// put next to Ratio.
func (r *Report) ReferenceRatio(ref *Result) float64 {
	b := r.Bare.Saturation.TurnsPerSec()
	if b == 0 {
		return 0
	}
	return ref.Saturation.TurnsPerSec() / b
}

// ReferenceCPURatio is the bare handler's saturation CPU per turn over
// reference result ref's (0 when either is unknown), the figure to put
// next to CPURatio.
func (r *Report) ReferenceCPURatio(ref *Result) float64 {
	b, t := r.Bare.Saturation.CPUPerTurn(), ref.Saturation.CPUPerTurn()
	if b <= 0 || t <= 0 {
		return 0
	}
	return float64(b) / float64(t)
}

// fprintReferences writes the references' saturation rows (nothing when
// there are none) to the report's tabwriter.
func (r *Report) fprintReferences(tw io.Writer) {
	if len(r.References) == 0 {
		return
	}
	fmt.Fprintf(tw, "references: bare + one SQLite upsert per turn committed before the answer, same saturation phase, run after bare and before baton\n")
	fmt.Fprintf(tw, "\tturns/s\tp50\tp99\tCPU/turn\tcores busy\tusers\tratio\tCPU ratio\tdurable\t\n")
	notDurable := false
	for i := range r.References {
		res := &r.References[i]
		p := res.Saturation
		durable := "yes"
		if !Reference(res.Target.Name).Durable() {
			durable, notDurable = "NO", true
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%.2f\t%d\t%.3f\t%.3f\t%s\t\n", res.Target.Name, p.TurnsPerSec(), ms(p.Latency.P50), ms(p.Latency.P99),
			us(p.CPUPerTurn()), p.Cores(), p.Users, r.ReferenceRatio(res), r.ReferenceCPURatio(res), durable)
	}
	if notDurable {
		fmt.Fprintf(tw, "durable NO: synchronous=NORMAL, no fsync at COMMIT; a power loss can lose acknowledged turns\n")
	}
	var parts []string
	for i := range r.References {
		res := &r.References[i]
		parts = append(parts, fmt.Sprintf("%s %.3f / %.3f", res.Target.Name, ratio(r.Baton.Saturation.TurnsPerSec(), res.Saturation.TurnsPerSec()),
			ratio(float64(res.Saturation.CPUPerTurn()), float64(r.Baton.Saturation.CPUPerTurn()))))
	}
	fmt.Fprintf(tw, "baton against each reference (turns/s baton/reference, CPU/turn reference/baton): %s\n\n", strings.Join(parts, ", "))
}

// ratio is a/b, or 0 when either is not positive.
func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return a / b
}
