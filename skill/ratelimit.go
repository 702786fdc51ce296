package skill

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// limiter is a per-user token bucket (Turns per Per, with Burst), sharded to
// keep lock contention low. Buckets that have refilled completely are
// forgotten by Sweep, so memory follows the number of recently active users.
type limiter struct {
	rate   float64 // tokens per second
	burst  float64
	seed   maphash.Seed
	shards [64]limiterShard
}

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]bucket
}

// bucket holds no pointer (last is Unix nanoseconds), so the collector need
// not scan the buckets of tens of thousands of recent users.
type bucket struct {
	tokens float64
	last   int64
}

func newLimiter(turns int, per time.Duration, burst int) *limiter {
	if turns <= 0 || per <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = 1
	}
	l := &limiter{rate: float64(turns) / per.Seconds(), burst: float64(burst), seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = make(map[string]bucket)
	}
	return l
}

// Allow takes one token from key's bucket at now and reports whether there was one.
func (l *limiter) Allow(key string, now time.Time) bool {
	if l == nil {
		return true
	}
	s := &l.shards[maphash.String(l.seed, key)%uint64(len(l.shards))]
	s.mu.Lock()
	defer s.mu.Unlock()
	ns := now.UnixNano()
	b, ok := s.buckets[key]
	if !ok {
		s.buckets[key] = bucket{tokens: l.burst - 1, last: ns}
		return true
	}
	b.tokens += l.refill(b, ns)
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = ns
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	s.buckets[key] = b
	return allowed
}

// refill is the tokens b has gained from its last turn to ns: none when
// the wall clock was set back (times are wall-clock nanoseconds, which a
// clock step moves; time.Now's monotonic reading does not survive them).
func (l *limiter) refill(b bucket, ns int64) float64 {
	if ns <= b.last {
		return 0
	}
	return time.Duration(ns-b.last).Seconds() * l.rate
}

// Sweep drops buckets that would be full at now (their users are idle).
func (l *limiter) Sweep(now time.Time) {
	if l == nil {
		return
	}
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		for k, b := range s.buckets {
			if b.tokens+l.refill(b, now.UnixNano()) >= l.burst {
				delete(s.buckets, k)
			}
		}
		s.mu.Unlock()
	}
}

// userLocks serialises the turns of one user in this process. It is a fixed
// array of striped mutexes: bounded memory whatever the number of users, and
// two users rarely share a stripe.
type userLocks struct {
	seed    maphash.Seed
	stripes [4096]sync.Mutex
}

func newUserLocks() *userLocks { return &userLocks{seed: maphash.MakeSeed()} }

func (u *userLocks) lock(key string) *sync.Mutex {
	m := &u.stripes[maphash.String(u.seed, key)%uint64(len(u.stripes))]
	m.Lock()
	return m
}

// lockCtx is lock that gives up when ctx ends first, returning ctx's error:
// a turn must not wait past its own deadline or callback budget for a lock
// a stuck holder (a slow Apply, an erasure) keeps. A free lock is taken at
// once; otherwise a goroutine waits for it and hands it over, or releases
// it again if the turn has given up by then.
func (u *userLocks) lockCtx(ctx context.Context, key string) (*sync.Mutex, error) {
	m := &u.stripes[maphash.String(u.seed, key)%uint64(len(u.stripes))]
	if m.TryLock() {
		return m, nil
	}
	done := ctx.Done()
	if done == nil {
		m.Lock()
		return m, nil
	}
	got := make(chan struct{}) // unbuffered: a send is a handover
	go func() {
		m.Lock()
		select {
		case got <- struct{}{}:
		case <-done:
			m.Unlock()
		}
	}()
	select {
	case <-got:
		return m, nil
	case <-done:
		return nil, ctx.Err()
	}
}
