package bench

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// deferringServer answers the menu at once and owes, for each turn, work
// that it does age later (as Baton writes a conversation's row FlushAge
// after the turn) or when drained. Each piece of work costs unit of the
// server's CPU (Process), far above the client's own.
type deferringServer struct {
	unit, age time.Duration
	cpu       atomic.Int64 // the server's CPU time

	mu     sync.Mutex
	owed   []time.Time // when each owed piece falls due
	served int
	drains []int // turns served when each drain began
	stop   chan struct{}
}

func newDeferringServer(t *testing.T, unit, age time.Duration) (*deferringServer, string) {
	s := &deferringServer{unit: unit, age: age, stop: make(chan struct{})}
	menu := mustMarshal(menuAnswer())
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.served++
		s.owed = append(s.owed, time.Now().Add(s.age))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(menu)
	}))
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case now := <-t.C:
				s.work(now)
			}
		}
	}()
	t.Cleanup(func() { close(s.stop) })
	return s, url
}

// work does the owed pieces due by now.
func (s *deferringServer) work(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for n < len(s.owed) && !s.owed[n].After(now) {
		n++
	}
	s.owed = s.owed[n:]
	s.cpu.Add(int64(n) * int64(s.unit))
}

func (s *deferringServer) target(url string) Target {
	return Target{Name: "deferring", URL: url,
		Process: func() (time.Duration, int64, error) { return time.Duration(s.cpu.Load()), 1, nil },
		Drain: func(context.Context) error {
			s.mu.Lock()
			s.drains = append(s.drains, s.served)
			s.mu.Unlock()
			s.work(time.Now().Add(time.Hour)) // everything owed, now
			return nil
		}}
}

// TestSaturationWindowExcludesWarmupWork: work a saturation warm-up's
// turns left behind (falling due during the window, as Baton's deferred
// conversation rows do) is done between the warm-up and the window, so
// the window's CPU is the work of its own turns: neither the warm-up's
// nor less than its own (the window's own deferred work is still counted,
// through the drain at its end).
func TestSaturationWindowExcludesWarmupWork(t *testing.T) {
	const unit = time.Hour // per turn: far above the client's own CPU
	const conc = 2
	// Work falls due 400 ms after its turn, longer than the window (as
	// Baton's FlushAge, 10 s, is as long as the default window): the
	// warm-up's falls due in the window, the window's own in the drain
	// after it.
	s, url := newDeferringServer(t, unit, 400*time.Millisecond)
	l := NewLoad(s.target(url), testTraffic(), DefaultAnswers(), nil, 0, 21)
	p, err := l.Saturate(context.Background(), conc, 200*time.Millisecond, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems() != 0 || p.Counts.OK == 0 || p.Outside.OK == 0 {
		t.Fatalf("got %+v in the window and %+v outside, want OK turns in both and no problems", p.Counts, p.Outside)
	}
	// The window's turns are those completed in it, and at most one a
	// connection sent in it that completed after its end (Outside).
	units := uint64(p.CPU / unit)
	if lo, hi := p.Counts.Requests, p.Counts.Requests+conc; units < lo || units > hi {
		t.Errorf("window CPU: %d turns' work, want the window's own %d..%d (warm-up: %d turns)", units, lo, hi, p.Outside.Requests)
	}
	s.mu.Lock()
	drains := append([]int(nil), s.drains...)
	s.mu.Unlock()
	if len(drains) != 2 {
		t.Fatalf("got %d drains, want 2: after the warm-up and after the window", len(drains))
	}
	if p.WarmupDrain <= 0 {
		t.Errorf("got warm-up drain time %v, want it reported (> 0)", p.WarmupDrain)
	}
	if got := uint64(p.WarmupDrainCPU / unit); got == 0 {
		t.Errorf("got the warm-up's drained work at %d turns' CPU, want it reported", got)
	}
}

// TestWarmupSettlesThroughTheTargetsHooks: between a saturation warm-up
// and its window the phase runs the target's Drain, Owed and Quiet, in
// this order; after the window only Drain and Owed (the window's own work,
// counted in it). Without a warm-up nothing runs before the window, and a
// hook's error ends the phase.
func TestWarmupSettlesThroughTheTargetsHooks(t *testing.T) {
	_, url := newRecordingServer(t, 0, answerEvery)
	var mu sync.Mutex
	var calls []string
	hook := func(name string, err error) func(context.Context) error {
		return func(context.Context) error {
			mu.Lock()
			calls = append(calls, name)
			mu.Unlock()
			return err
		}
	}
	target := Target{Name: "hooks", URL: url, Drain: hook("drain", nil), Owed: hook("owed", nil), Quiet: hook("quiet", nil)}
	for _, tt := range []struct {
		warmup time.Duration
		want   string
	}{{50 * time.Millisecond, "drain owed quiet drain owed"}, {0, "drain owed"}} {
		calls = nil
		if _, err := NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 31).Saturate(context.Background(), 2, tt.warmup, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if got := strings.Join(calls, " "); got != tt.want {
			t.Errorf("warm-up %v: got hooks %q, want %q", tt.warmup, got, tt.want)
		}
		mu.Unlock()
	}
	target.Quiet = hook("quiet", errors.New("still writing"))
	_, err := NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 32).Saturate(context.Background(), 2, 50*time.Millisecond, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "after the warm-up: quiet: still writing") {
		t.Errorf("a store that does not get quiet: got %v, want its error", err)
	}
}

func TestReportShowsWarmupDrain(t *testing.T) {
	tr := DefaultTraffic()
	rep := &Report{
		Baton:  Result{Target: Target{Name: "baton"}, Saturation: saturationPhase(70000, 70000*300*time.Microsecond)},
		Bare:   Result{Target: Target{Name: "bare"}, Saturation: saturationPhase(100000, 100000*100*time.Microsecond)},
		Config: Config{Traffic: &tr, Concurrency: 64, Duration: 10 * time.Second, Warmup: 2 * time.Second, Rate: 1000},
	}
	rep.Baton.Saturation.WarmupDrain, rep.Baton.Saturation.WarmupDrainCPU = 1520*time.Millisecond, 310*time.Millisecond
	var out strings.Builder
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	if want := "baton 1.52s (CPU 0.31s), bare 0s (CPU 0s)"; !strings.Contains(out.String(), want) {
		t.Errorf("report lacks %q:\n%s", want, out.String())
	}
}
