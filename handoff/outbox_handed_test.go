package handoff

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// TestRelayCommittedPublishesWithoutReading: rows handed to Committed are
// published and marked without a read of the outbox (a committed row that
// was neither handed nor woken for stays pending), a row handed twice is
// published, stored and counted once, and Wake still reads what was not
// handed.
func TestRelayCommittedPublishesWithoutReading(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	at := time.Now().UTC()
	f.escalate(t, "u-handed-1", "notify", at)
	f.escalate(t, "u-handed-2", "notify", at.Add(time.Millisecond))
	r := NewRelay(f.db, f.js, nil)
	r.Sweep = time.Hour // no sweep: only start-up, Committed and Wake move rows
	runUntilCleanup(t, r.Run)
	// Rows left by a previous process are read at start-up.
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("start-up read: %d rows still pending", n)
		}
		return nil
	})
	f.escalate(t, "u-handed-3", "notify", at.Add(2*time.Millisecond))
	f.escalate(t, "u-handed-4", "notify", at.Add(3*time.Millisecond))
	rows, err := f.db.PendingOutbox(context.Background(), 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("got %d pending rows (err %v), want 2", len(rows), err)
	}
	r.Committed(rows[:1])
	r.Committed(rows[:1])
	// The row handed twice goes out once: both hands in one pass, or the
	// second skipped while the first is held in the marks or was marked.
	// It is marked within MarkDelay; the other row stays pending.
	checkForT(t, 10*time.Second, func() error {
		left, err := f.db.PendingOutbox(context.Background(), 10)
		if err != nil {
			return err
		}
		if len(left) != 1 || left[0].ID != rows[1].ID {
			return fmt.Errorf("after Committed: got %d pending rows, want only the row not handed (%s)", len(left), rows[1].ID)
		}
		return nil
	})
	if n := r.Published(); n != 3 {
		t.Errorf("published %d rows, want 3 (2 read at start-up, the row handed twice once)", n)
	}

	r.Wake()
	checkForT(t, 10*time.Second, func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("after Wake: %d rows still pending", n)
		}
		return nil
	})
	if got := streamMsgs(t, f.js); len(got) != 4 {
		t.Fatalf("got %d messages in the stream, want 4 (each row once)", len(got))
	}
	if n := r.Published(); n != 4 {
		t.Errorf("published %d rows, want 4 (each row once)", n)
	}
}

// TestRelayPublishesARowHandedTwiceOnce: a row handed twice before a pass
// takes either is published once and counted once.
func TestRelayPublishesARowHandedTwiceOnce(t *testing.T) {
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.read.Store(false) // no start-up read: take what is handed
	f.escalate(t, "u-handed-twice", "notify", time.Now().UTC())
	r.Committed(f.outbox)
	r.Committed(f.outbox)
	if _, err := r.pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := r.Published(); got != 1 {
		t.Errorf("got %d rows published, want 1", got)
	}
	if got := histogramCount(t, r.ackSeconds); got != 1 {
		t.Errorf("got baton_outbox_publish_ack_seconds count %d, want 1", got)
	}
	if got := len(streamMsgs(t, f.js)); got != 1 {
		t.Errorf("got %d messages in the stream, want 1", got)
	}
}

func TestHandedRows(t *testing.T) {
	row := func(i int) store.OutboxMsg { return store.OutboxMsg{ID: fmt.Sprint(i)} }
	rows := func(from, n int) []store.OutboxMsg {
		var out []store.OutboxMsg
		for i := range n {
			out = append(out, row(from+i))
		}
		return out
	}
	tests := []struct {
		name      string
		add       [][]store.OutboxMsg
		take      int
		wantTaken int
		wantMore  bool
		wantFull  bool
	}{
		{"empty", nil, 10, 0, false, false},
		{"fewer than a batch", [][]store.OutboxMsg{rows(0, 3)}, 10, 3, false, false},
		{"more than a batch", [][]store.OutboxMsg{rows(0, 3), rows(3, 4)}, 5, 5, true, false},
		{"full queue drops and says so", [][]store.OutboxMsg{rows(0, maxHanded), rows(maxHanded, 1)}, 10, 10, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h handedRows
			for _, a := range tt.add {
				h.add(a)
			}
			got, more := h.take(tt.take)
			if len(got) != tt.wantTaken || more != tt.wantMore {
				t.Fatalf("take(%d): got %d rows, more %v; want %d, %v", tt.take, len(got), more, tt.wantTaken, tt.wantMore)
			}
			for i, m := range got {
				if m.ID != fmt.Sprint(i) {
					t.Errorf("row %d: got id %s, want %d (oldest first)", i, m.ID, i)
				}
			}
			if h.overflowed() != tt.wantFull {
				t.Errorf("overflowed: got %v, want %v", h.overflowed(), tt.wantFull)
			}
			h.reset()
			if got, more := h.take(tt.take); len(got) != 0 || more || h.overflowed() {
				t.Errorf("after reset: got %d rows, more %v, overflowed %v; want none", len(got), more, h.overflowed())
			}
		})
	}
}

// TestRelayHoldsMarks: acknowledged rows are marked in one write after
// MarkDelay (here: only when Run ends); meanwhile reads of the outbox skip
// them instead of publishing them again.
func TestRelayHoldsMarks(t *testing.T) {
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.Sweep, r.MarkDelay = time.Hour, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	at := time.Now().UTC()
	for i := range 3 {
		f.escalate(t, fmt.Sprintf("u-marks-%d", i), "notify", at.Add(time.Duration(i)*time.Millisecond))
		r.Committed(f.outbox)
	}
	checkForT(t, 10*time.Second, func() error {
		if n := r.Published(); n != 3 {
			return fmt.Errorf("published %d rows, want 3", n)
		}
		return nil
	})
	writes := f.db.Stats().Requests
	// A read (Wake) finds the 3 held rows pending and skips them: only the
	// new row is published.
	f.escalate(t, "u-marks-3", "notify", at.Add(3*time.Millisecond))
	r.Wake()
	checkForT(t, 10*time.Second, func() error {
		if n := r.Published(); n != 4 {
			return fmt.Errorf("published %d rows, want 4", n)
		}
		return nil
	})
	if n := pendingCount(t, f); n != 4 {
		t.Fatalf("before the marks are due: got %d pending rows, want 4 (held)", n)
	}
	cancel()
	<-done
	if n := pendingCount(t, f); n != 0 {
		t.Fatalf("after Run ended: got %d pending rows, want 0 (marked on the way out)", n)
	}
	// Only the escalation's commit and one mark wrote since; the Wake's
	// read and this test's two pendingCount reads are writer requests too
	// (store.PendingOutbox reads through the group commit).
	if got := f.db.Stats().Requests - writes; got != 2+3 {
		t.Errorf("got %d writer requests for 1 escalation, the marks and 3 reads, want 5", got)
	}
	if r.Published() != 4 || len(streamMsgs(t, f.js)) != 4 {
		t.Errorf("got %d published, %d in the stream; want 4 and 4", r.Published(), len(streamMsgs(t, f.js)))
	}
}

// TestRelaySkipsHandedRowsItRead: a read of the outbox and the hand-over of
// a commit's rows are answered by the same fsync, in either order; a row a
// read of the outbox published first (held in the marks) is not published
// again when it is handed.
func TestRelaySkipsHandedRowsItRead(t *testing.T) {
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.read.Store(false) // no start-up read: take what is handed
	r.marks.add([]string{"01-read-and-published"}, time.Now().Add(time.Hour))
	r.Committed([]store.OutboxMsg{{ID: "01-read-and-published"}, {ID: "02-only-handed"}})
	rows, more, err := r.next(context.Background(), 10)
	if err != nil || more {
		t.Fatalf("next: more %v, err %v; want false, nil", more, err)
	}
	if len(rows) != 1 || rows[0].ID != "02-only-handed" {
		t.Errorf("next: got %v, want only 02-only-handed", rows)
	}
}

// TestRelayCountsARowHandedAfterItsMark: a read of the outbox publishes a
// row and marks it before the same row is handed over (the hand-over and
// the read's answer come from the same fsync, in either order): the late
// hand-over must neither publish it again nor count it, in Published, the
// ack histogram or the ack observer, while the row handed with it is.
func TestRelayCountsARowHandedAfterItsMark(t *testing.T) {
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.Sweep, r.MarkDelay = time.Hour, -1 // only reads and hand-overs; mark at once
	var observed atomic.Int32
	r.SetAckObserver(func(time.Duration) { observed.Add(1) })
	runUntilCleanup(t, r.Run)
	noneLeft := func() error {
		if n := pendingCount(t, f); n != 0 {
			return fmt.Errorf("%d rows still pending", n)
		}
		return nil
	}
	at := time.Now().UTC()
	f.escalate(t, "u-late-hand-1", "notify", at)
	read := f.outbox
	r.Wake() // the read publishes and marks the row
	checkForT(t, 5*time.Second, noneLeft)
	if got := r.Published(); got != 1 {
		t.Fatalf("after the read: got %d rows published, want 1", got)
	}
	f.escalate(t, "u-late-hand-2", "notify", at.Add(time.Millisecond))
	// The read's row handed late, then the next commit's: one pass or two,
	// in order.
	r.Committed(read)
	r.Committed(f.outbox)
	checkForT(t, 5*time.Second, noneLeft)
	wantEachRowOnce(t, f, r, observed.Load(), 2)
}

// wantEachRowOnce checks that the relay published, observed and told the
// ack observer (observed) of n rows, and that the stream holds n messages.
func wantEachRowOnce(t *testing.T, f *routerFixture, r *Relay, observed int32, n int) {
	t.Helper()
	if got := r.Published(); got != uint64(n) {
		t.Errorf("got %d rows published, want %d (each row once)", got, n)
	}
	if got := histogramCount(t, r.ackSeconds); got != uint64(n) {
		t.Errorf("got baton_outbox_publish_ack_seconds count %d, want %d", got, n)
	}
	if got := observed; got != int32(n) {
		t.Errorf("the ack observer was told %d acks, want %d", got, n)
	}
	if got := len(streamMsgs(t, f.js)); got != n {
		t.Errorf("got %d messages in the stream, want %d", got, n)
	}
}

// histogramCount returns how many observations h has.
func histogramCount(t testing.TB, h prometheus.Histogram) uint64 {
	t.Helper()
	var m dto.Metric
	if err := h.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount()
}

// TestRelayPassesOnAfterAHandedBatchOfPublishedRows: a pass whose handed
// batch held only rows a read had published already publishes nothing, but
// still reports that handed rows remain, so Run takes them at once rather
// than at the next sweep.
func TestRelayPassesOnAfterAHandedBatchOfPublishedRows(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.Batch, r.MarkDelay = 1, -1
	ctx := context.Background()
	at := time.Now().UTC()
	f.escalate(t, "u-read-first", "notify", at)
	read := f.outbox
	passes := func() {
		t.Helper()
		for i := 0; i < 10; i++ {
			more, err := r.pass(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !more {
				return
			}
		}
	}
	passes() // the start-up read publishes and marks it
	f.escalate(t, "u-handed-after", "notify", at.Add(time.Millisecond))
	r.Committed(append(append([]store.OutboxMsg(nil), read...), f.outbox...))
	passes()
	if n := pendingCount(t, f); n != 0 {
		t.Errorf("%d rows still pending once the passes said no more were waiting, want 0", n)
	}
	if got := r.Published(); got != 2 {
		t.Errorf("got %d rows published, want 2", got)
	}
}

// TestRelayCountsALateHandOverOnce: a read of the outbox publishes and
// marks a row whose commit has not handed it over yet; the hand-over may
// lag any number of further reads (the turn's goroutine is not scheduled,
// sweeps and Wakes go on). However late it comes, the row is published
// once and observed once, in Published, the ack histogram and the ack
// observer, and the row handed with it is published and counted.
func TestRelayCountsALateHandOverOnce(t *testing.T) {
	t.Parallel()
	for _, reads := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprintf("%d reads between", reads), func(t *testing.T) {
			f := newRouterFixture(t)
			r := NewRelay(f.db, f.js, nil)
			r.MarkDelay = -1 // mark at once
			var observed atomic.Int32
			r.SetAckObserver(func(time.Duration) { observed.Add(1) })
			ctx := context.Background()
			pass := func(step string) {
				t.Helper()
				if more, err := r.pass(ctx); err != nil || more {
					t.Fatalf("%s: got more %v, err %v; want false, nil", step, more, err)
				}
			}
			at := time.Now().UTC()
			f.escalate(t, "u-lag-read", "notify", at)
			late := f.outbox
			pass("the start-up read")
			for i := range reads {
				r.Wake()
				pass(fmt.Sprintf("read %d", i+1))
			}
			f.escalate(t, "u-lag-next", "notify", at.Add(time.Millisecond))
			r.Committed(late)
			r.Committed(f.outbox)
			pass("the hand-overs")
			if n := pendingCount(t, f); n != 0 {
				t.Errorf("%d rows still pending, want 0", n)
			}
			wantEachRowOnce(t, f, r, observed.Load(), 2)
		})
	}
}

// TestRelayReadsWhenManyRowsWereMarked: the rows marked since the last read
// of the outbox are remembered until the next read (a row handed twice goes
// out once); when maxHanded of them pile up without one (hand-overs only),
// the relay asks for a read, which lets them go.
func TestRelayReadsWhenManyRowsWereMarked(t *testing.T) {
	f := newRouterFixture(t)
	r := NewRelay(f.db, f.js, nil)
	r.read.Store(false)
	ctx := context.Background()
	ids := make([]string, maxHanded)
	for i := range ids {
		ids[i] = fmt.Sprintf("01-marked-%04d", i)
	}
	r.marks.add(ids[:maxHanded-1], time.Now())
	if err := r.flushMarks(ctx); err != nil {
		t.Fatal(err)
	}
	if r.read.Load() {
		t.Fatalf("%d rows marked: a read was asked for, want none yet", maxHanded-1)
	}
	r.marks.add(ids[maxHanded-1:], time.Now())
	if err := r.flushMarks(ctx); err != nil {
		t.Fatal(err)
	}
	if !r.read.Load() {
		t.Fatalf("%d rows marked: no read was asked for, want one", maxHanded)
	}
	if _, err := r.pass(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(r.marks.marked); got != 0 {
		t.Errorf("after the read: %d marked rows remembered, want 0", got)
	}
}
