// Package stagetrace times the stages of /skill turns for `baton bench`,
// to show where the slowest turns of the fixed-rate phase spend their time.
//
// It records only in a binary built with -tags stagetrace; every call
// site is guarded by Enabled, so a normal build carries no cost on the
// turn path:
//
//	go build -tags stagetrace -o baton-stages ./cmd/baton
//	GODEBUG=gctrace=1 ./baton-stages bench 2>&1 | tee stages.log
//
// The load client stamps a turn when it is due and when its goroutine runs
// and sends it as the X-Request-Id "st<n>"; the server stamps it on the
// handler's entry, after decoding, once it holds the user's lock, after
// the engine's step, when the store queues, applies, commits and fsyncs
// its write, and after the answer is written; the client stamps the end.
// Report prints the mean time spent in each stage by all turns, by the
// p90–p99 turns and by the slowest 1%, and when the slowest 1% happened,
// in seconds since the process started (gctrace's "@" clock).
package stagetrace

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stages, in the order a turn passes them.
const (
	Due       = iota // the client's schedule
	ClientGo         // the client's goroutine runs
	Handler          // the server's handler is entered
	Decoded          // the payload is decoded
	Locked           // the user's turn lock is held
	Stepped          // the conversation is loaded and stepped
	Queued           // the store's writer took the write
	Applied          // the writer starts applying it
	Committed        // its batch's COMMIT returned
	Synced           // the WAL fsync covering it returned
	Answered         // the answer is written
	Done             // the client read the answer
	numStages
)

var stageNames = [numStages]string{"due", "client", "handler", "decode", "lock", "step", "queue", "apply", "commit", "fsync", "answer", "read"}

// Rec is one traced turn: the time each stage was reached (Unix ns; 0 when
// not reached).
type Rec struct{ t [numStages]atomic.Int64 }

// Mark stamps stage s now; r may be nil (the turn is not traced).
func (r *Rec) Mark(s int) {
	if r != nil {
		r.t[s].Store(time.Now().UnixNano())
	}
}

// MarkAt stamps stage s at t.
func (r *Rec) MarkAt(s int, t time.Time) {
	if r != nil {
		r.t[s].Store(t.UnixNano())
	}
}

var (
	started = time.Now()
	mu      sync.Mutex
	recs    = map[string]*Rec{}
	on      atomic.Bool
)

// Start begins recording the turns Begin names; Take ends it.
func Start() { on.Store(true) }

// Begin registers the turn with request id id, due at due.
func Begin(id string, due time.Time) *Rec {
	r := &Rec{}
	r.MarkAt(Due, due)
	mu.Lock()
	recs[id] = r
	mu.Unlock()
	return r
}

// Lookup returns the record of request id, or nil.
func Lookup(id string) *Rec {
	if !on.Load() {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	return recs[id]
}

type ctxKey struct{}

// With returns ctx carrying r (ctx itself when r is nil).
func With(ctx context.Context, r *Rec) context.Context {
	if r == nil {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, r)
}

// From returns the record ctx carries, or nil.
func From(ctx context.Context) *Rec {
	r, _ := ctx.Value(ctxKey{}).(*Rec)
	return r
}

// Take stops recording and returns the finished records.
func Take() []*Rec {
	on.Store(false)
	mu.Lock()
	defer mu.Unlock()
	out := make([]*Rec, 0, len(recs))
	for _, r := range recs {
		if r.t[Done].Load() != 0 {
			out = append(out, r)
		}
	}
	clear(recs)
	return out
}

func (r *Rec) total() int64 { return r.t[Done].Load() - r.t[Due].Load() }

// Report writes the stage breakdown of recs (see the package comment).
func Report(w io.Writer, recs []*Rec) {
	if len(recs) == 0 {
		return
	}
	slices.SortFunc(recs, func(a, b *Rec) int { return int(a.total() - b.total()) })
	n := len(recs)
	fmt.Fprintf(w, "stages of %d traced turns (mean ms in each stage; a stage not reached counts in the next):\n", n)
	fmt.Fprintf(w, "  %-10s %7s", "turns", "total")
	for s := ClientGo; s < numStages; s++ {
		fmt.Fprintf(w, " %7s", stageNames[s])
	}
	fmt.Fprintln(w)
	row := func(label string, rs []*Rec) {
		var sum [numStages]float64
		var tot float64
		for _, r := range rs {
			tot += float64(r.total())
			prev := r.t[Due].Load()
			for s := ClientGo; s < numStages; s++ {
				if t := r.t[s].Load(); t != 0 {
					sum[s] += float64(t - prev)
					prev = t
				}
			}
		}
		k := float64(len(rs)) * 1e6
		fmt.Fprintf(w, "  %-10s %7.2f", label, tot/k)
		for s := ClientGo; s < numStages; s++ {
			fmt.Fprintf(w, " %7.2f", sum[s]/k)
		}
		fmt.Fprintln(w)
	}
	top := recs[n*99/100:]
	row("all", recs)
	row("p90-p99", recs[n*90/100:n*99/100])
	row("slowest 1%", top)
	// When the slowest 1% were due, grouped into episodes (gaps under 30 ms).
	due := make([]int64, len(top))
	for i, r := range top {
		due[i] = r.t[Due].Load()
	}
	slices.Sort(due)
	fmt.Fprint(w, "  slowest 1% by when they were due (s since start: turns):")
	for i := 0; i < len(due); {
		j := i + 1
		for j < len(due) && due[j]-due[j-1] < int64(30*time.Millisecond) {
			j++
		}
		fmt.Fprintf(w, " %.2f: %d", float64(due[i]-started.UnixNano())/1e9, j-i)
		i = j
	}
	fmt.Fprintln(w)
}
