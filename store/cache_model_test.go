package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// cacheModel is what the cache must hold: the last entry stored for each
// key, as the tables would read it back (times normalised).
type cacheModel map[string]entry

// TestCacheRandomOpsAgainstModel runs random puts, fills, drops, cleans and
// reads on a small cache (evicting often) and checks every answer against
// a map: a cached entry is the last one stored for its key, a dirty entry
// is never evicted, and the shard's map, slots and dirty count agree.
func TestCacheRandomOpsAgainstModel(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 4, 16, 64*16 + 1} { // the last has 64 shards
		t.Run(fmt.Sprint("size", size), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(size), 7))
			c := newConvCache(size)
			model := cacheModel{}
			keys := make([]string, 3*size+4)
			for i := range keys {
				keys[i] = fmt.Sprintf("user-%d-%s", i, randomString(r))
			}
			randomEntry := func(key string) entry {
				var e entry
				randomize(r, reflect.ValueOf(&e.user))
				randomize(r, reflect.ValueOf(&e.conv))
				// Times as a turn makes them: nanoseconds, a local zone.
				kst := time.FixedZone("KST", 9*3600)
				e.user.LastSeen = time.Unix(r.Int64N(1<<32), r.Int64N(1e9)).In(kst)
				e.conv.StateSince = time.Unix(r.Int64N(1<<32), r.Int64N(1e9)).In(kst)
				e.conv.UserKey = key
				e.conv.Version = r.Int64N(4)
				e.lastTurn = r.Int64()
				return e
			}
			want := func(key string, e entry) entry {
				e.user.Key = key
				normUser(&e.user)
				normConv(&e.conv)
				return e
			}
			ops := 2000
			for op := range ops {
				key := keys[r.IntN(len(keys))]
				switch r.IntN(6) {
				case 0, 1: // the writer stores a committed turn, dirty or not as it says
					e := randomEntry(key)
					e.dirty = r.IntN(3) == 0
					e.userDirty = e.dirty && r.IntN(2) == 0
					c.putEntry(key, e)
					model[key] = want(key, e)
				case 2: // Load: a miss reads the table and fills
					if _, _, ok, epoch := c.get(key); !ok {
						e := randomEntry(key)
						if r.IntN(4) == 0 { // an entry leaves between the read and the fill
							k := keys[r.IntN(len(keys))]
							c.drop(k)
							delete(model, k)
						}
						_, had := c.peek(key)
						c.fill(key, e.user, e.conv, e.lastTurn, epoch)
						if !had {
							if _, ok := c.peek(key); ok {
								model[key] = want(key, entry{user: e.user, conv: e.conv, lastTurn: e.lastTurn})
							}
						}
					}
				case 3:
					c.drop(key)
					delete(model, key)
				case 4: // the writer flushed the entry at some version
					if m, ok := model[key]; ok {
						v := m.conv.Version
						if r.IntN(4) == 0 {
							v++ // a later turn: stays dirty
						}
						c.clean(key, v)
						if m.dirty && v == m.conv.Version {
							m.dirty, m.userDirty = false, false
							model[key] = m
						}
					}
				case 5:
					if r.IntN(50) == 0 {
						c.cleanAll()
						for k, m := range model {
							m.dirty, m.userDirty = false, false
							model[k] = m
						}
					}
				}
				if size < 64 || op%50 == 0 || op == ops-1 {
					checkModel(t, op, c, model, key, op == ops-1)
				}
				if t.Failed() {
					return
				}
			}
		})
	}
}

// checkModel checks the shards' bookkeeping against the model and compares
// the entry of touched (of every key when all is set) with it; a key the
// clock evicted leaves the model, which it may only when clean.
func checkModel(t *testing.T, op int, c *convCache, model cacheModel, touched string, all bool) {
	t.Helper()
	for key, m := range model {
		s := c.shard(key)
		s.mu.Lock()
		_, ok := s.idx[key]
		s.mu.Unlock()
		if !ok {
			if m.dirty {
				t.Errorf("op %d: dirty entry %q evicted", op, key)
			}
			delete(model, key)
			continue
		}
		if key != touched && !all {
			continue
		}
		// reflect.DeepEqual: time.Time's == tells a location or a monotonic
		// reading apart, which a cached time must not have.
		if got, _ := c.peek(key); !reflect.DeepEqual(got, m) {
			t.Errorf("op %d: entry %q (-model +cache):\n%s", op, key, cmp.Diff(m, got, cmp.AllowUnexported(entry{})))
		}
		u, conv, ok, _ := c.get(key)
		if !ok || !reflect.DeepEqual(u, m.user) || !reflect.DeepEqual(conv, m.conv) {
			t.Errorf("op %d: get %q: got %v %+v %+v, want %+v %+v", op, key, ok, u, conv, m.user, m.conv)
		}
		if u, ok := c.user(key); !ok || !reflect.DeepEqual(u, m.user) {
			t.Errorf("op %d: user %q: got %+v, want %+v", op, key, u, m.user)
		}
	}
	entries := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		dirty := 0
		for j := range s.slots {
			sl := &s.slots[j]
			if sl.dirty {
				dirty++
			}
			if k := sl.key(); s.idx[k] != int32(j) {
				t.Errorf("op %d: slot %d holds %q, the map says %d", op, j, k, s.idx[k])
			}
			if _, ok := model[sl.key()]; !ok {
				t.Errorf("op %d: cache holds %q, dropped or never stored", op, sl.key())
			}
		}
		if dirty != s.dirty {
			t.Errorf("op %d: shard %d counts %d dirty, holds %d", op, i, s.dirty, dirty)
		}
		if len(s.idx) != len(s.slots) {
			t.Errorf("op %d: shard %d: %d map entries, %d slots", op, i, len(s.idx), len(s.slots))
		}
		entries += len(s.slots)
		s.mu.Unlock()
	}
	if entries != len(model) {
		t.Errorf("op %d: cache holds %d entries, model %d", op, entries, len(model))
	}
}
