package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Fprint writes the report as a compact table: saturation turns/s of each
// target and the ratio, fixed-rate latencies, validity counters, the turn
// mix, distinct users, CPU per turn and the machine.
func (r *Report) Fprint(w io.Writer) error {
	c := r.Config
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	var b strings.Builder
	fmt.Fprintf(&b, "baton bench  %s  GOMAXPROCS=%d (%d CPUs)  order: bare, then baton  users rest %s between turns\n",
		r.GoVersion, r.GOMAXPROCS, r.NumCPU, c.Traffic.UserGap)
	fmt.Fprintf(&b, "baton: %s\nbare:  %s\n", r.Baton.Target.URL, r.Bare.Target.URL)
	if r.LoadBefore != "" || r.LoadAfter != "" {
		fmt.Fprintf(&b, "machine load average before: %s, after: %s (other work on the machine skews turns/s)\n", r.LoadBefore, r.LoadAfter)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}

	fmt.Fprintf(tw, "saturation: closed loop, %d connections, %s measured after %s warm-up\n", c.Concurrency, c.Duration, c.Warmup)
	fmt.Fprintf(tw, "\tturns/s\tp50\tp99\tCPU/turn\tcores busy\tusers\t\n")
	for _, res := range r.results() {
		p := res.Saturation
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%.2f\t%d\t\n", res.Target.Name, p.TurnsPerSec(), ms(p.Latency.P50), ms(p.Latency.P99), us(p.CPUPerTurn()), p.Cores(), p.Users)
	}
	fmt.Fprintf(tw, "ratio\t%.3f\t\t\t%.3f\t\t\t\n", r.Ratio(), r.CPURatio())
	if c.Warmup > 0 {
		// Target.Quiet: the warm-up's leftover work, done before the window.
		fmt.Fprintf(tw, "warm-up's leftover work (deferred rows, deliveries, checkpoint) finished before each window, in neither its time nor its CPU: baton %s (CPU %s), bare %s (CPU %s)\n",
			secs(r.Baton.Saturation.WarmupDrain), secs(r.Baton.Saturation.WarmupDrainCPU), secs(r.Bare.Saturation.WarmupDrain), secs(r.Bare.Saturation.WarmupDrainCPU))
	}
	fmt.Fprintln(tw)
	r.fprintReferences(tw)

	fmt.Fprintf(tw, "fixed rate: open loop, %g turns/s for %s measured after %s warm-up at that rate, latency from the scheduled send\n", c.Rate, c.Duration, c.FixedWarmup)
	fmt.Fprintf(tw, "\tsent\tp50\tp99\tp99.9\tmax\tCPU/turn\tusers\t\n")
	for _, res := range r.results() {
		p := res.Fixed
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t\n", res.Target.Name, p.Counts.Requests, ms(p.Latency.P50), ms(p.Latency.P99), ms(p.Latency.P999), ms(p.Latency.Max), us(p.CPUPerTurn()), p.Users)
	}
	fmt.Fprintln(tw)

	fmt.Fprintf(tw, "validity (all phases, warm-up included)\n")
	fmt.Fprintf(tw, "\trequests\terrors\tnon-200\tbad body\tfallback\trate-limited\t\n")
	for _, res := range append(r.results(), r.referenceResults()...) {
		var t Counts
		for _, p := range []Phase{res.Saturation, res.Fixed} {
			t.add(p.Counts)
			t.add(p.Outside)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", res.Target.Name, t.Requests, t.Errors, t.Non200, t.BadBody, t.Fallback, t.RateLimited)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	b.Reset()
	fmt.Fprintf(&b, "\nturn mix (baton, saturation): %s\n", mix(r.Baton.Saturation.Kinds))
	fmt.Fprintf(&b, "baton fixed-rate p50/p99 by kind: %s\n", byKind(r.Baton.Fixed.KindLatency))
	fmt.Fprintf(&b, "escalations acknowledged (operator button, user now waiting): saturation %d, fixed rate %d\n",
		r.Baton.Saturation.Escalated, r.Baton.Fixed.Escalated)
	if r.separate() {
		fmt.Fprintf(&b, "distinct users: baton %d, bare %d; peak RSS of each server's own process: baton %.0f MB, bare %.0f MB\n",
			r.Baton.UsersCreated, r.Bare.UsersCreated, float64(r.Baton.Fixed.MaxRSS)/(1<<20), float64(r.Bare.Fixed.MaxRSS)/(1<<20))
		fmt.Fprintf(&b, "each server ran in its own process (--separate): CPU/turn and cores busy are the load client's process plus\nthe server's over the window; baton's CPU/turn also has the rows its server wrote after the window for the\nphase's turns (saturation %s, fixed rate %s of it), which cores busy leaves out",
			us(owedPerTurn(r.Baton.Saturation)), us(owedPerTurn(r.Baton.Fixed)))
	} else {
		fmt.Fprintf(&b, "distinct users: baton %d, bare %d; peak RSS %.0f MB (process: client and in-process servers)\n",
			r.Baton.UsersCreated, r.Bare.UsersCreated, float64(max(r.Baton.Fixed.MaxRSS, r.Bare.Fixed.MaxRSS))/(1<<20))
		fmt.Fprintf(&b, "CPU/turn and cores busy are the whole process (client + both servers) over the window")
	}
	fmt.Fprintf(&b, "; the CPU/turn ratio\n(bare/baton) is steadier than turns/s when other work shares the machine; on an otherwise idle machine,\ncores busy well under GOMAXPROCS means the target is bound by waiting (locks, fsync), not CPU\n")
	if err := r.Err(); err != nil {
		fmt.Fprintf(&b, "INVALID RUN: %v\n", err)
	} else {
		fmt.Fprintf(&b, "valid run: no errors, non-200, fallbacks or rate-limited answers\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) results() []*Result { return []*Result{&r.Baton, &r.Bare} }

// owedPerTurn is the CPU per OK answer that the target spent after the
// window on the work it owed (Phase.OwedCPU).
func owedPerTurn(p Phase) time.Duration {
	if p.Counts.OK == 0 {
		return 0
	}
	return p.OwedCPU / time.Duration(p.Counts.OK)
}

// separate reports whether both servers ran in processes of their own
// (Target.Process), so that the process figures are per server.
func (r *Report) separate() bool {
	return r.Baton.Target.Process != nil && r.Bare.Target.Process != nil
}

func mix(k map[Kind]uint64) string {
	var total uint64
	for _, n := range k {
		total += n
	}
	if total == 0 {
		return "none"
	}
	var parts []string
	for kind := range numKinds {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", kind, 100*float64(k[kind])/float64(total)))
	}
	return strings.Join(parts, ", ")
}

func byKind(l map[Kind]Latency) string {
	var parts []string
	for kind := range numKinds {
		if s, ok := l[kind]; ok {
			parts = append(parts, fmt.Sprintf("%s %s/%s", kind, ms(s.P50), ms(s.P99)))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// secs formats d in seconds to two decimals ("0s" for none).
func secs(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func us(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
}
