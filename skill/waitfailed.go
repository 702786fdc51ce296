package skill

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DealerFailures tells whether the router recorded a handoff's dealer as
// failed for good (it fell back to the notify sinks and a dealer_failed
// ticket); *store.DB satisfies it. Without it waiting turns never say so.
type DealerFailures interface {
	// DealerFailed reports the dealer failure of handoff id, or an error
	// when the store cannot be read.
	DealerFailed(ctx context.Context, id string) (bool, error)
}

// failedView caches the answers of DealerFailures for waiting turns: a
// failure is final, so a yes is kept; a no is asked again after
// waitingTTL, so a failure recorded by the router shows within a second.
type failedView struct {
	mu      sync.Mutex
	failed  map[string]bool      // handoff id → failed (true only)
	checked map[string]time.Time // handoff id → when a no was read
	clock   func() time.Time
	src     DealerFailures // nil: never failed
}

func newFailedView(conv Conversations) *failedView {
	v := &failedView{failed: map[string]bool{}, checked: map[string]time.Time{}, clock: time.Now}
	v.src, _ = conv.(DealerFailures)
	return v
}

// dealerFailed reports whether handoff id's dealer failed for good.
func (v *failedView) dealerFailed(ctx context.Context, id string) (bool, error) {
	if v.src == nil {
		return false, nil
	}
	v.mu.Lock()
	if v.failed[id] {
		v.mu.Unlock()
		return true, nil
	}
	at, ok := v.checked[id]
	v.mu.Unlock()
	if ok && v.clock().Sub(at) <= waitingTTL {
		return false, nil
	}
	start := v.clock()
	failed, err := v.src.DealerFailed(ctx, id)
	if err != nil {
		return false, fmt.Errorf("skill: dealer failure of handoff %s: %w", id, err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.failed)+len(v.checked) >= maxHeldHandoffs {
		clear(v.failed)
		clear(v.checked)
	}
	if failed {
		v.failed[id] = true
		delete(v.checked, id)
	} else {
		v.checked[id] = start
	}
	return failed, nil
}

// dealerFailedFresh is dealerFailed without a cached no: the store is read
// unless a failure is held.
func (v *failedView) dealerFailedFresh(ctx context.Context, id string) (bool, error) {
	v.mu.Lock()
	delete(v.checked, id)
	v.mu.Unlock()
	return v.dealerFailed(ctx, id)
}

// forget drops what the view holds of handoff id (ended).
func (v *failedView) forget(id string) {
	v.mu.Lock()
	delete(v.failed, id)
	delete(v.checked, id)
	v.mu.Unlock()
}
