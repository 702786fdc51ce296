package bench

import (
	"sync"
	"time"
)

// pool hands out users so that a user is in at most one request at a time
// and rests Traffic.UserGap between turns. Users wait in FIFO order of the
// end of their last turn; when the oldest is still resting, a new user
// joins, so the pool grows to what the load needs (≈ turns/s × gap) and no
// user ever exceeds one turn per gap. A user whose session is over leaves.
type pool struct {
	mu       sync.Mutex
	traffic  *Traffic
	seed     uint64
	queue    []*user
	head     int
	created  uint64
	phase    int
	distinct int
}

// newPool returns a pool with n users ready to start.
func newPool(t *Traffic, seed uint64, n int) *pool {
	p := &pool{traffic: t, seed: seed, queue: make([]*user, 0, n), phase: 1} // new users have phase 0
	for range n {
		p.queue = append(p.queue, p.newUser())
	}
	return p
}

func (p *pool) newUser() *user {
	u := p.traffic.newUser(p.seed, p.created)
	p.created++
	return u
}

// get returns a user that may send its next turn at now.
func (p *pool) get(now time.Time) *user {
	p.mu.Lock()
	defer p.mu.Unlock()
	var u *user
	for p.head < len(p.queue) {
		h := p.queue[p.head]
		if h.turns >= h.session { // session over: the user leaves
			p.pop()
			continue
		}
		if h.readyAt.After(now) {
			break
		}
		u = p.pop()
		break
	}
	if u == nil {
		u = p.newUser()
	}
	if u.phase != p.phase {
		u.phase = p.phase
		p.distinct++
	}
	return u
}

func (p *pool) pop() *user {
	u := p.queue[p.head]
	p.queue[p.head] = nil
	p.head++
	if p.head >= 1024 && p.head*2 >= len(p.queue) {
		n := copy(p.queue, p.queue[p.head:])
		clear(p.queue[n:])
		p.queue = p.queue[:n]
		p.head = 0
	}
	return u
}

// put returns u after its turn ended at now.
func (p *pool) put(u *user, now time.Time) {
	u.readyAt = now.Add(p.traffic.UserGap)
	p.mu.Lock()
	p.queue = append(p.queue, u)
	p.mu.Unlock()
}

// startPhase resets the distinct-user count for a new phase.
func (p *pool) startPhase() {
	p.mu.Lock()
	p.phase++
	p.distinct = 0
	p.mu.Unlock()
}

// stats returns the distinct users of the current phase and all users
// ever created.
func (p *pool) stats() (distinct int, created uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.distinct, p.created
}
