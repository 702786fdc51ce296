package skill

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/baton-chat/baton/store"
)

// TestWaitingViewLineBounded: handoffs opened by this process are added to
// a queue's cached line only while the line is complete, and a line that
// grows past queueListLimit that way is dropped to incomplete (the store
// counts such a queue), so a queue that nobody serves cannot grow the
// view without bound between re-reads.
func TestWaitingViewLineBounded(t *testing.T) {
	tests := []struct {
		name     string
		complete bool
	}{
		{"complete line", true},
		{"incomplete line", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newWaitingView(nil)
			v.lines["vip"] = &queueLine{read: v.clock(), complete: tt.complete}
			base := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
			n := 3 * queueListLimit
			for i := range n {
				h := &store.Handoff{ID: fmt.Sprintf("h%06d", i), Code: "A1", Queue: "vip", Target: "dealer:x", CreatedAt: base.Add(time.Duration(i) * time.Millisecond)}
				v.committed(&store.TurnWrite{OpenHandoff: h})
			}
			l := v.lines["vip"]
			if got := len(l.line); got > queueListLimit {
				t.Errorf("got a line of %d after %d opens, want at most %d", got, n, queueListLimit)
			}
			if tt.complete && l.complete {
				t.Errorf("got a complete line after %d opens, want it incomplete past %d", n, queueListLimit)
			}
			if _, ok := v.aheadFromLine(heldOf(store.Handoff{ID: "h000001", Queue: "vip", CreatedAt: base})); ok {
				t.Error("an incomplete line answered a position, want a store read")
			}
		})
	}
}

// TestWaitingViewHeldBounded: however many handoffs this process opens
// (and none ends), the view's cache of their fixed fields stays within a
// few MB of heap.
func TestWaitingViewHeldBounded(t *testing.T) {
	const n = 100_000
	const budget = 6 << 20
	v := newWaitingView(nil)
	base := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	before := liveHeap()
	for i := range n {
		h := &store.Handoff{ID: fmt.Sprintf("01M81E1Q768TADVAQEJE%06d", i), Code: fmt.Sprintf("C%05d", i%100000), Queue: "general", Target: "notify",
			CreatedAt: base.Add(time.Duration(i) * time.Millisecond)}
		v.committed(&store.TurnWrite{OpenHandoff: h})
	}
	grown := liveHeap() - before
	if n := len(v.held); n > maxHeldHandoffs {
		t.Errorf("got %d held handoffs, want at most %d", n, maxHeldHandoffs)
	}
	if grown > budget {
		t.Errorf("the view grew the live heap by %.1f MB after %d opened handoffs, want at most %.0f MB", float64(grown)/(1<<20), n, float64(budget)/(1<<20))
	}
	runtime.KeepAlive(v)
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestWaitingViewHoldsNoPartOfALargerString: a handoff opened after an
// intake takes its id from the conversation, whose strings the store's
// cache unpacks from one packed string per user; the view keeps strings
// of its own, so a waiting handoff does not keep its user's packed string
// alive.
func TestWaitingViewHoldsNoPartOfALargerString(t *testing.T) {
	v := newWaitingView(nil)
	v.lines["vip"] = &queueLine{read: v.clock(), complete: true}
	packed := "01JD0000000000000000000000vipdealer:xA1" + strings.Repeat("상담원 연결", 1000)
	h := &store.Handoff{ID: packed[:26], Queue: packed[26:29], Target: packed[29:37], Code: packed[37:39],
		CreatedAt: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	v.committed(&store.TurnWrite{OpenHandoff: h})
	start := uintptr(unsafe.Pointer(unsafe.StringData(packed)))
	inside := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return len(s) > 0 && p >= start && p < start+uintptr(len(packed))
	}
	if len(v.held) != 1 {
		t.Fatalf("got %d held handoffs, want 1", len(v.held))
	}
	for id, hh := range v.held {
		for name, s := range map[string]string{"map key": id, "id": hh.key.id, "queue": hh.queue, "target": hh.target, "code": hh.code} {
			if inside(s) {
				t.Errorf("held %s %q is part of the conversation's packed string", name, s)
			}
		}
	}
	for _, k := range v.lines["vip"].line {
		if inside(k.id) {
			t.Errorf("line id %q is part of the conversation's packed string", k.id)
		}
	}
}
