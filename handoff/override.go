package handoff

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/store"
)

// AllQueues is the queue of an override that applies to every queue.
const AllQueues = "*"

// Errors of the admin override; the admin API answers 400 or 404 for them.
var (
	// ErrBadOverride: a mode other than open or closed, or an until that
	// is not in the future.
	ErrBadOverride = errors.New("bad hours override")
	// ErrUnknownQueue: neither a configured queue nor "*".
	ErrUnknownQueue = errors.New("unknown queue")
)

// QueueOverride is an admin override in effect: Queue ("*" for every
// queue) is forced open or closed until Until (exclusive; zero = until
// cleared).
type QueueOverride struct {
	Queue string    `json:"queue"`
	Mode  Override  `json:"mode"`
	Until time.Time `json:"until,omitzero"`
	SetBy string    `json:"set_by"`
	SetAt time.Time `json:"set_at"`
}

// activeAt reports whether o applies at t.
func (o QueueOverride) activeAt(t time.Time) bool {
	return o.Until.IsZero() || t.Before(o.Until)
}

// HoursControl is the business hours Baton serves with: the config's Hours
// plus the admin overrides ("open now", "closed until T"), which are kept
// in SQLite so they survive a restart. It satisfies fsm.Hours and is safe
// for concurrent use; Open reads an in-memory copy of the overrides and
// never touches the store.
//
// Precedence, first match wins: the queue's own admin override, the "*"
// admin override, BATON_HOURS_OVERRIDE, the weekly hours with exceptions and
// holidays. An override stops applying at its Until.
type HoursControl struct {
	db *store.DB
	// Now is the clock for setting and listing overrides; default time.Now.
	Now func() time.Time

	hours     atomic.Pointer[Hours]
	overrides atomic.Pointer[map[string]QueueOverride]
	mu        sync.Mutex // serialises SetOverride and ClearOverride
}

// NewHoursControl serves hours with the overrides stored in db (loaded
// now). It returns the store's error when they cannot be read.
func NewHoursControl(ctx context.Context, db *store.DB, hours *Hours) (*HoursControl, error) {
	c := &HoursControl{db: db}
	c.hours.Store(hours)
	rows, err := db.HoursOverrides(ctx)
	if err != nil {
		return nil, fmt.Errorf("handoff: load hours overrides: %w", err)
	}
	m := map[string]QueueOverride{}
	for _, r := range rows {
		m[r.Queue] = fromStoreOverride(r)
	}
	c.overrides.Store(&m)
	return c, nil
}

func fromStoreOverride(r store.HoursOverride) QueueOverride {
	return QueueOverride{Queue: r.Queue, Mode: Override(r.Mode), Until: r.Until, SetBy: r.SetBy, SetAt: r.SetAt}
}

func (c *HoursControl) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// SetHours swaps in the hours of a reloaded config; overrides stay.
func (c *HoursControl) SetHours(h *Hours) { c.hours.Store(h) }

// Hours returns the config hours in use.
func (c *HoursControl) Hours() *Hours { return c.hours.Load() }

// SetOverride forces queue (or every queue, "*") open or closed until
// until (zero: until cleared), replacing its previous override, and
// records who did it. It returns ErrUnknownQueue or ErrBadOverride
// (wrapped) for bad input, or the store's error; the override applies to
// turns only once it is stored.
func (c *HoursControl) SetOverride(ctx context.Context, queue string, mode Override, until time.Time, by string) error {
	if mode != OverrideOpen && mode != OverrideClosed {
		return fmt.Errorf("handoff: hours override %s: %w: mode %q, want open or closed", queue, ErrBadOverride, mode)
	}
	if queue != AllQueues && !c.Hours().known[queue] {
		return fmt.Errorf("handoff: hours override %q: %w", queue, ErrUnknownQueue)
	}
	now := c.now()
	if !until.IsZero() && !until.After(now) {
		return fmt.Errorf("handoff: hours override %s: %w: until %s is not in the future", queue, ErrBadOverride, until.UTC().Format(time.RFC3339))
	}
	o := QueueOverride{Queue: queue, Mode: mode, Until: until, SetBy: by, SetAt: now}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.db.SetHoursOverride(ctx, store.HoursOverride{Queue: queue, Mode: string(mode), Until: until, SetBy: by, SetAt: now}); err != nil {
		return fmt.Errorf("handoff: hours override %s: %w", queue, err)
	}
	m := maps.Clone(*c.overrides.Load())
	m[queue] = o
	c.overrides.Store(&m)
	return nil
}

// ClearOverride removes the override of queue ("*" for the all-queues
// one); the queue follows its hours again. Clearing a queue without an
// override is not an error. It returns ErrUnknownQueue (wrapped) for a
// queue the config does not have and no override names (a typo, which
// would otherwise look cleared while the override meant stays), or the
// store's error.
func (c *HoursControl) ClearOverride(ctx context.Context, queue string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	deleted, err := c.db.DeleteHoursOverride(ctx, queue)
	if err != nil {
		return fmt.Errorf("handoff: clear hours override %s: %w", queue, err)
	}
	if !deleted && queue != AllQueues && !c.Hours().known[queue] {
		return fmt.Errorf("handoff: clear hours override %q: %w", queue, ErrUnknownQueue)
	}
	m := maps.Clone(*c.overrides.Load())
	delete(m, queue)
	c.overrides.Store(&m)
	return nil
}

// Overrides returns the overrides in effect now, ordered by queue ("*"
// first), as stored; expired ones are left out. It returns the store's
// error.
func (c *HoursControl) Overrides(ctx context.Context) ([]QueueOverride, error) {
	rows, err := c.db.HoursOverrides(ctx)
	if err != nil {
		return nil, fmt.Errorf("handoff: hours overrides: %w", err)
	}
	now := c.now()
	out := []QueueOverride{}
	for _, r := range rows {
		if o := fromStoreOverride(r); o.activeAt(now) {
			out = append(out, o)
		}
	}
	return out, nil
}

// Prune deletes expired overrides from the store and from memory (they
// already do nothing); for the periodic sweep. It returns the store's error.
func (c *HoursControl) Prune(ctx context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n, err := c.db.PruneHoursOverrides(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("handoff: prune hours overrides: %w", err)
	}
	m := maps.Clone(*c.overrides.Load())
	maps.DeleteFunc(m, func(_ string, o QueueOverride) bool { return !o.activeAt(now) })
	c.overrides.Store(&m)
	return n, nil
}

// override returns the admin override that applies to queue at t.
func (c *HoursControl) override(m map[string]QueueOverride, queue string, t time.Time) (QueueOverride, bool) {
	if o, ok := m[queue]; ok && o.activeAt(t) {
		return o, true
	}
	if o, ok := m[AllQueues]; ok && o.activeAt(t) {
		return o, true
	}
	return QueueOverride{}, false
}

// maxOverrideHops bounds Open's walk across "closed until" overrides: each
// hop passes one override's end, and at most two (the queue's and "*") can
// apply.
const maxOverrideHops = 8

// Open reports whether queue takes handoffs at t and, when it does not,
// the next instant it opens: after a "closed until T" override that is T or
// the first opening of the hours after T; zero when none is known (closed
// until cleared, or no opening within a year). It satisfies fsm.Hours.
func (c *HoursControl) Open(queue string, t time.Time) (bool, time.Time) {
	m := *c.overrides.Load()
	h := c.hours.Load()
	at := t
	for range maxOverrideHops {
		if o, ok := c.override(m, queue, at); ok {
			if o.Mode == OverrideOpen {
				return at.Equal(t), h.inQueueZone(queue, openingAt(at, t))
			}
			if o.Until.IsZero() {
				return false, time.Time{}
			}
			at = o.Until
			continue
		}
		open, next := h.Open(queue, at)
		if open {
			return at.Equal(t), h.inQueueZone(queue, openingAt(at, t))
		}
		// An override that does not apply at `at` does not apply later
		// either (they only end), so the hours' next opening stands.
		return false, next
	}
	return false, time.Time{}
}

// openingAt is the next-opening answer when the queue is open at at.
func openingAt(at, t time.Time) time.Time {
	if at.Equal(t) {
		return time.Time{}
	}
	return at
}

// NextOpen returns t when queue is open at t, else the next instant it
// opens (zero when none is known). Timers use it to schedule notify-on-open.
func (c *HoursControl) NextOpen(queue string, t time.Time) time.Time {
	open, next := c.Open(queue, t)
	if open {
		return t
	}
	return next
}
