package skill

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/baton-chat/baton/store"
)

// waitingTTL bounds how old a queue's cached view may be when a waiting turn
// reads it. Changes this process commits are applied at once; the TTL only
// bounds how long a change made elsewhere (another process, a direct store
// write) takes to show.
const waitingTTL = time.Second

// maxHeldHandoffs bounds the cache of open handoffs' fixed fields; past it
// the cache starts over (a miss costs one store read). An entry costs
// ≈ 240 B of heap with the map's slack (measured in a soak), so the bound
// is ≈ 4 MB: open handoffs last up to their wait timeout (30 min for notify
// queues), ≈ 40,000 of them at 1,000 turns/s, and at 1 << 16 the view
// alone would have taken ≈ 16 MB of the 100 MiB the runtime is allowed.
const maxHeldHandoffs = 1 << 14

// queueListLimit is the most open handoffs of one queue the view lists; a
// queue with more is counted by the store on each turn instead, and listed
// again at most once per waitingTTL to see whether it has become short.
const queueListLimit = 1000

// HandoffLister lists handoffs; *store.DB satisfies it. With it the waiting
// view reads a dealer queue's line once per waitingTTL instead of counting
// it on every waiting turn.
type HandoffLister interface {
	// ListHandoffs returns the handoffs matching f, newest first, or an error
	// when the store cannot be read.
	ListHandoffs(ctx context.Context, f store.HandoffFilter) ([]store.Handoff, error)
}

// heldHandoff is what waiting turns need of a handoff. Every field is fixed
// when the handoff is created, so a cached copy never goes stale.
type heldHandoff struct {
	code, queue, target string
	key                 lineKey
	// test: test traffic (봇 테스트, a development channel), which takes no
	// place in its queue's line (queueLine).
	test bool
}

// lineKey orders a queue's line as the store does: created_at in
// milliseconds, then id.
type lineKey struct {
	ms int64
	id string
}

func (a lineKey) less(b lineKey) bool { return a.ms < b.ms || (a.ms == b.ms && a.id < b.id) }

// queueLine is a dealer queue's waiting handoffs (not accepted, not ended,
// not failed over to the notify sinks), sorted by lineKey. Test handoffs are
// left out: the dealer is told not to route them to real agents, so nobody
// serves them before a real user. A test handoff's own place is where its
// key would sort among the real ones: a tester sees the place a real user
// would have.
type queueLine struct {
	read       time.Time // when the store was read (monotonic clock)
	line       []lineKey
	complete   bool // false: the queue had more than queueListLimit open
	changes    uint64
	refreshing bool
}

// statsEntry is a queue's cached acceptance statistics.
type statsEntry struct {
	read time.Time
	st   store.AcceptStats
}

// waitingView answers what waiting turns show — the open handoff's code,
// its place in a dealer queue and the queue's ETA statistics — from memory:
// it is kept current from the commits of this process (opened, accepted and
// ended handoffs) and re-read from the store at most once per waitingTTL per
// queue.
type waitingView struct {
	mu     sync.Mutex
	held   map[string]heldHandoff
	lines  map[string]*queueLine
	stats  map[string]statsEntry
	clock  func() time.Time // monotonic; time.Now
	lister HandoffLister    // nil: count with WaitingAhead
	failed *failedView      // which dealer handoffs failed over
	logger *slog.Logger     // nil: slog.Default
}

func newWaitingView(conv Conversations) *waitingView {
	v := &waitingView{held: map[string]heldHandoff{}, lines: map[string]*queueLine{}, stats: map[string]statsEntry{}, clock: time.Now}
	v.lister, _ = conv.(HandoffLister)
	v.failed = newFailedView(conv)
	return v
}

// heldOf is what the view holds of h, in strings of its own: h's may be
// parts of a larger string (the store's cache unpacks a conversation's
// strings from one, and a handoff opened after an intake takes its id from
// the conversation), which a held part would keep alive as long as the
// handoff waits.
func heldOf(h store.Handoff) heldHandoff {
	return heldHandoff{code: strings.Clone(h.Code), queue: strings.Clone(h.Queue), target: strings.Clone(h.Target),
		key: lineKey{h.CreatedAt.UnixMilli(), strings.Clone(h.ID)}, test: h.Test}
}

// committed applies a committed write's handoff changes to the view.
func (v *waitingView) committed(w *store.TurnWrite) {
	if w.OpenHandoff == nil && w.AcceptHandoff == nil && w.EndHandoff == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if h := w.OpenHandoff; h != nil {
		hh := heldOf(*h)
		v.hold(hh.key.id, hh)
		if l := v.lines[hh.queue]; l != nil {
			// Only a complete line answers positions; an incomplete one
			// is re-read on use, so adding to it would only grow it. A line
			// that reaches queueListLimit is no longer held, as a re-read
			// would not hold it: nothing here grows with a queue nobody
			// serves.
			if l.complete && !hh.test {
				i, found := slices.BinarySearchFunc(l.line, hh.key, cmpLine)
				if !found {
					l.line = slices.Insert(l.line, i, hh.key)
				}
				if len(l.line) >= queueListLimit {
					l.line, l.complete = nil, false
				}
			}
			l.changes++
		}
	}
	if a := w.AcceptHandoff; a != nil {
		v.leave(a.ID)
	}
	if e := w.EndHandoff; e != nil {
		v.leave(e.ID)
		delete(v.held, e.ID)
		v.failed.forget(e.ID)
	}
}

// leave takes handoff id out of its queue's line (accepted or ended) and
// drops the queue's statistics, which acceptances and ends change.
func (v *waitingView) leave(id string) {
	hh, ok := v.held[id]
	if !ok {
		// Unknown here: any queue may have changed.
		clear(v.lines)
		clear(v.stats)
		return
	}
	delete(v.stats, hh.queue)
	if l := v.lines[hh.queue]; l != nil {
		if i, found := slices.BinarySearchFunc(l.line, hh.key, cmpLine); found {
			l.line = slices.Delete(l.line, i, i+1)
		}
		l.changes++
	}
}

func cmpLine(a, b lineKey) int {
	switch {
	case a.less(b):
		return -1
	case b.less(a):
		return 1
	}
	return 0
}

func (v *waitingView) hold(id string, h heldHandoff) {
	if len(v.held) >= maxHeldHandoffs {
		clear(v.held)
	}
	v.held[id] = h
}

// handoff returns the fixed fields of handoff id, reading the store on a miss.
func (v *waitingView) handoff(ctx context.Context, conv Conversations, id string) (heldHandoff, bool, error) {
	v.mu.Lock()
	h, ok := v.held[id]
	v.mu.Unlock()
	if ok {
		return h, true, nil
	}
	sh, ok, err := conv.Handoff(ctx, id)
	if err != nil || !ok {
		return heldHandoff{}, ok, err
	}
	h = heldOf(sh)
	if sh.EndedAt.IsZero() {
		v.mu.Lock()
		v.hold(id, h)
		v.mu.Unlock()
	}
	return h, true, nil
}

// ahead counts the handoffs waiting before h in its queue.
func (v *waitingView) ahead(ctx context.Context, conv Conversations, id string, h heldHandoff) (int, error) {
	if n, ok := v.aheadFromLine(h); ok {
		return n, nil
	}
	if v.lister != nil && v.mayList(h.queue) {
		if n, ok, err := v.refreshLine(ctx, h); err != nil || ok {
			return n, err
		}
	}
	return conv.WaitingAhead(ctx, store.Handoff{ID: id, Queue: h.queue, CreatedAt: time.UnixMilli(h.key.ms)})
}

// aheadFromLine answers from a fresh, complete cached line.
func (v *waitingView) aheadFromLine(h heldHandoff) (int, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	l := v.lines[h.queue]
	if l == nil || !l.complete {
		return 0, false
	}
	if v.clock().Sub(l.read) > waitingTTL && !l.refreshing {
		return 0, false
	}
	// While another turn re-reads the line, the previous one (kept current
	// by this process's commits) answers.
	i, _ := slices.BinarySearchFunc(l.line, h.key, cmpLine)
	return i, true
}

// mayList reports whether a waiting turn should read queue's line from the
// store. A line found too long to hold (queueListLimit or more waiting) is
// not read again until waitingTTL has passed, and not while another turn
// reads it: each turn counts its own place instead (one indexed COUNT), so
// a long queue costs its waiting turns one read each, not a list of
// queueListLimit handoffs each.
func (v *waitingView) mayList(queue string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	l := v.lines[queue]
	if l == nil || l.complete {
		return true
	}
	if l.refreshing {
		return false
	}
	return l.read.IsZero() || v.clock().Sub(l.read) > waitingTTL
}

// refreshLine re-reads h's queue line from the store and answers from it;
// ok is false when the line is too long to hold.
func (v *waitingView) refreshLine(ctx context.Context, h heldHandoff) (n int, ok bool, err error) {
	v.mu.Lock()
	l := v.lines[h.queue]
	if l == nil {
		l = &queueLine{}
		v.lines[h.queue] = l
	}
	l.refreshing = true
	before := l.changes
	v.mu.Unlock()

	start := v.clock()
	line, complete, panicked, err := v.listLine(ctx, h.queue)

	v.mu.Lock()
	defer v.mu.Unlock()
	if cur := v.lines[h.queue]; cur != l {
		l = cur // dropped meanwhile (clear): install into a fresh entry
		if l == nil {
			l = &queueLine{}
			v.lines[h.queue] = l
		}
		before = l.changes + 1 // do not trust this read for the new entry
	}
	l.refreshing = false
	if panicked {
		// Logged by listLine. The line stays as it was (and is read again
		// by the next turn that finds it stale); this turn counts its own
		// place instead.
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("skill: queue line of %s: %w", h.queue, err)
	}
	if !complete {
		// Too long to hold, whatever was committed during the read (an
		// accept or end since then is seen by the turns' own counts).
		l.line, l.complete, l.read = nil, false, start
		return 0, false, nil
	}
	if l.changes == before {
		// No commit of this process touched the queue during the read.
		l.line, l.complete, l.read = line, complete, start
	}
	i, _ := slices.BinarySearchFunc(line, h.key, cmpLine)
	return i, true, nil
}

// listLine reads queue's line from the store, sorted; complete is false when
// the queue has queueListLimit or more open handoffs. A panic on the way is
// recovered and logged (panicked): left to unwind through refreshLine it
// would leave the line marked as being refreshed for good, answered from its
// last read by every later turn and never read again.
func (v *waitingView) listLine(ctx context.Context, queue string) (line []lineKey, complete, panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			line, complete, panicked, err = nil, false, true, nil
			v.log().Error("skill: waiting view: reading a queue's line panicked; its waiting turns count their places meanwhile",
				"queue", queue, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	open, err := v.lister.ListHandoffs(ctx, store.HandoffFilter{Waiting: true, Queue: queue, Limit: queueListLimit})
	line = make([]lineKey, 0, len(open))
	for _, o := range open {
		if o.AcceptedAt.IsZero() && !o.Test {
			line = append(line, lineKey{o.CreatedAt.UnixMilli(), o.ID})
		}
	}
	slices.SortFunc(line, cmpLine)
	return line, len(open) < queueListLimit, false, err
}

// log is the view's logger (the server's), or slog's default without one.
func (v *waitingView) log() *slog.Logger {
	if v.logger != nil {
		return v.logger
	}
	return slog.Default()
}

// acceptStats returns queue's acceptance statistics, read at most once per
// waitingTTL (and again after this process accepts or ends one of its
// handoffs).
func (v *waitingView) acceptStats(ctx context.Context, conv Conversations, queue string, now time.Time) (store.AcceptStats, error) {
	v.mu.Lock()
	e, ok := v.stats[queue]
	v.mu.Unlock()
	if ok && v.clock().Sub(e.read) <= waitingTTL {
		return e.st, nil
	}
	start := v.clock()
	st, err := conv.AcceptStats(ctx, queue, now)
	if err != nil {
		return st, err
	}
	v.mu.Lock()
	v.stats[queue] = statsEntry{read: start, st: st}
	v.mu.Unlock()
	return st, nil
}

func isDealerTarget(target string) bool { return strings.HasPrefix(target, "dealer:") }
