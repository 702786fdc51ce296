package store

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/baton-chat/baton/fsm"
)

// convCache is the bounded write-through cache of users and conversations:
// a fixed set of shards, each a map into a slot array evicted with the clock
// (second-chance) algorithm. The writer puts committed conversations; Load
// fills misses read from the table, guarded by the shard's epoch so a fill
// never resurrects data older than a concurrent write or drop.
type convCache struct {
	seed   maphash.Seed
	shards []cacheShard
	// noFill makes fill a no-op: set while the tables may be older than
	// the journal (after a failed batch, until the writer replays it).
	noFill atomic.Bool
}

// cacheShard is one lock's worth of the cache.
type cacheShard struct {
	mu    sync.Mutex
	idx   map[string]int32
	slots []cacheSlot
	max   int
	hand  int
	epoch uint64 // bumped whenever an entry leaves the shard
	// complete: every stored user of this shard is in it (warmed at open,
	// nothing evicted or dropped since), so a miss means a new user.
	complete bool
	hits     uint64
	miss     uint64
	dirty    int      // dirty slots
	_        [32]byte // keep neighbouring shards' locks off one cache line
}

// entry is what the writer reads of a cached user.
type entry struct {
	user             User
	conv             fsm.Conversation
	lastTurn         int64
	dirty, userDirty bool
}

// newConvCache returns a cache of about size entries; size < 0 disables it.
func newConvCache(size int) *convCache {
	c := &convCache{seed: maphash.MakeSeed()}
	if size < 0 {
		return c
	}
	n := 64
	if size < 64*16 {
		n = 1
	}
	per := (size + n - 1) / n
	c.shards = make([]cacheShard, n)
	for i := range c.shards {
		c.shards[i] = cacheShard{idx: make(map[string]int32), max: per}
	}
	return c
}

// shard returns key's shard, or nil when the cache is disabled.
func (c *convCache) shard(key string) *cacheShard {
	if len(c.shards) == 0 {
		return nil
	}
	if len(c.shards) == 1 {
		return &c.shards[0]
	}
	return &c.shards[maphash.String(c.seed, key)%uint64(len(c.shards))]
}

// get returns a copy of key's entry, its slices freshly allocated, and the
// shard epoch to pass to fill on a miss.
func (c *convCache) get(key string) (u User, conv fsm.Conversation, ok bool, epoch uint64) {
	s := c.shard(key)
	if s == nil {
		return u, conv, false, 0
	}
	s.mu.Lock()
	i, ok := s.idx[key]
	if !ok {
		s.miss++
		epoch = s.epoch
		s.mu.Unlock()
		return u, conv, false, epoch
	}
	sl := &s.slots[i]
	sl.ref = true
	s.hits++
	e := sl.entry()
	s.mu.Unlock()
	return e.user, e.conv, true, 0
}

// user returns the cached user row (as stored) without copying the conversation.
func (c *convCache) user(key string) (User, bool) {
	return readSlot(c, key, (*cacheSlot).user)
}

// readSlot returns what read takes from key's slot under its shard's lock,
// without marking the slot used; false when key is not cached.
func readSlot[T any](c *convCache, key string, read func(*cacheSlot) T) (T, bool) {
	var zero T
	s := c.shard(key)
	if s == nil {
		return zero, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.idx[key]
	if !ok {
		return zero, false
	}
	return read(&s.slots[i]), true
}

// head is what the writer's journaled path reads of an entry: no
// conversation strings, so reading it allocates nothing.
type head struct {
	user      User
	version   int64
	lastTurn  int64
	userDirty bool
}

// peekHead returns key's head for the writer, without marking it used.
func (c *convCache) peekHead(key string) (head, bool) {
	return readSlot(c, key, func(sl *cacheSlot) head {
		return head{user: sl.user(), version: sl.version, lastTurn: sl.lastTurn, userDirty: sl.userDirty}
	})
}

// peek returns key's entry for the writer, without marking it used.
func (c *convCache) peek(key string) (entry, bool) {
	return readSlot(c, key, (*cacheSlot).entry)
}

// putEntry stores a committed entry (a packed copy: e stays the caller's),
// dirty or clean as e says. Only the writer stores entries, after the batch
// that wrote them committed, and it knows: a turn journaled in that batch is
// dirty (its entry's user flag carries the earlier turns'); a turn that
// wrote its rows is clean, and so were the rows before it, which the writer
// wrote first in the same batch (writeNow). Keeping an older dirty flag
// over a clean put would pin the entry for good: the writer's journal no
// longer lists it, so nothing would write or clean it.
func (c *convCache) putEntry(key string, e entry) {
	s := c.shard(key)
	if s == nil {
		return
	}
	sl := packSlot(key, e)
	s.mu.Lock()
	s.storeEntry(sl)
	s.mu.Unlock()
}

// clean marks key's entry written to the tables if it is still at version
// (a later turn keeps it dirty).
func (c *convCache) clean(key string, version int64) {
	s := c.shard(key)
	if s == nil {
		return
	}
	s.mu.Lock()
	if i, ok := s.idx[key]; ok {
		sl := &s.slots[i]
		if sl.dirty && sl.version == version {
			sl.dirty, sl.userDirty = false, false
			s.dirty--
		}
	}
	s.mu.Unlock()
}

// cleanAll marks every entry written (after the journal was replayed), and
// refuses the fills of reads begun before: they may have read the tables
// behind the journal.
func (c *convCache) cleanAll() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for j := range s.slots {
			s.slots[j].dirty, s.slots[j].userDirty = false, false
		}
		s.dirty = 0
		s.epoch++
		s.mu.Unlock()
	}
}

// knownAbsent reports whether key is certainly not stored: its shard is
// complete and does not hold it.
func (c *convCache) knownAbsent(key string) bool {
	s := c.shard(key)
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.idx[key]
	return s.complete && !ok
}

// markComplete declares every shard complete (after warming from the table).
func (c *convCache) markComplete() {
	for i := range c.shards {
		c.shards[i].mu.Lock()
		c.shards[i].complete = true
		c.shards[i].mu.Unlock()
	}
}

// capacity is the number of entries the cache holds at most.
func (c *convCache) capacity() int {
	n := 0
	for i := range c.shards {
		n += c.shards[i].max
	}
	return n
}

// put stores a committed clean entry.
func (c *convCache) put(key string, u User, conv fsm.Conversation, lastTurn int64) {
	c.putEntry(key, entry{user: u, conv: conv, lastTurn: lastTurn})
}

// fill stores an entry read from the table if the shard lost no entry since
// epoch was taken and no write stored one meanwhile.
func (c *convCache) fill(key string, u User, conv fsm.Conversation, lastTurn int64, epoch uint64) {
	s := c.shard(key)
	if s == nil || c.noFill.Load() {
		return
	}
	sl := packSlot(key, entry{user: u, conv: conv, lastTurn: lastTurn})
	s.mu.Lock()
	if _, ok := s.idx[key]; !ok && s.epoch == epoch {
		s.storeEntry(sl)
	}
	s.mu.Unlock()
}

// drop removes key. The writer drops a dirty entry only after writing it.
func (c *convCache) drop(key string) {
	s := c.shard(key)
	if s == nil {
		return
	}
	s.mu.Lock()
	s.epoch++
	s.complete = false
	if i, ok := s.idx[key]; ok {
		if s.slots[i].dirty {
			s.dirty--
		}
		delete(s.idx, key)
		last := len(s.slots) - 1
		if int(i) != last {
			s.slots[i] = s.slots[last]
			s.idx[s.slots[i].key()] = i
		}
		s.slots[last] = cacheSlot{}
		s.slots = s.slots[:last]
		if s.hand >= len(s.slots) {
			s.hand = 0
		}
	}
	s.mu.Unlock()
}

// stats sums the shards' counters.
func (c *convCache) stats() (entries int, hits, misses uint64) {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		entries += len(s.slots)
		hits += s.hits
		misses += s.miss
		s.mu.Unlock()
	}
	return entries, hits, misses
}

// storeEntry inserts or replaces key under s.mu, evicting a clean entry by
// clock when full. When every slot is dirty the shard grows past its bound
// (the writer flushes dirty entries within seconds, and sooner when many).
func (s *cacheShard) storeEntry(sl cacheSlot) {
	key := sl.key()
	if i, ok := s.idx[key]; ok {
		if s.slots[i].dirty {
			s.dirty--
		}
		if sl.dirty {
			s.dirty++
		}
		sl.ref = true
		s.slots[i] = sl
		// Assigning an existing key replaces the map's copy of the key
		// too, so the map holds no reference to the old packed string.
		s.idx[key] = i
		return
	}
	if sl.dirty {
		s.dirty++
	}
	if len(s.slots) < s.max || s.dirty > len(s.slots)/2 {
		s.slots = append(s.slots, sl)
		s.idx[key] = int32(len(s.slots) - 1)
		return
	}
	// At most two sweeps: the first clears reference bits, the second
	// finds a clean unreferenced slot (more than half are clean).
	for s.slots[s.hand].ref || s.slots[s.hand].dirty {
		s.slots[s.hand].ref = false
		s.hand = (s.hand + 1) % len(s.slots)
	}
	v := s.hand
	delete(s.idx, s.slots[v].key())
	s.epoch++
	s.complete = false
	s.slots[v] = sl
	s.idx[key] = int32(v)
	s.hand = (v + 1) % len(s.slots)
}
