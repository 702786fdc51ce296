package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// entry builds a cache value for key at version v.
func testEntry(key string, v int64) (User, fsm.Conversation) {
	return User{Key: key}, fsm.Conversation{UserKey: key, Version: v, MenuPath: []string{"main"}}
}

// checkCache verifies the shards' maps and slots agree and the bound holds.
func checkCache(t *testing.T, c *convCache, bound int) {
	t.Helper()
	total := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		if len(s.idx) != len(s.slots) {
			t.Errorf("shard %d: %d map entries, %d slots", i, len(s.idx), len(s.slots))
		}
		for k, j := range s.idx {
			if got := s.slots[j].key(); got != k {
				t.Errorf("shard %d: map %q -> slot %d holding %q", i, k, j, got)
			}
		}
		total += len(s.slots)
		s.mu.Unlock()
	}
	if total > bound {
		t.Errorf("cache entries: got %d, want <= %d", total, bound)
	}
}

func TestCacheBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size, bound int
	}{
		{10, 10},
		{1000, 1000},
		{4096, 4096}, // sharded
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.size), func(t *testing.T) {
			c := newConvCache(tt.size)
			for i := range 5 * tt.size {
				u, conv := testEntry(fmt.Sprint("k", i), 1)
				c.put(u.Key, u, conv, 0)
			}
			checkCache(t, c, tt.bound)
			if n, _, _ := c.stats(); n < tt.bound*9/10 {
				t.Errorf("entries after filling: got %d, want about %d", n, tt.bound)
			}
		})
	}
}

func TestCacheClockKeepsReferenced(t *testing.T) {
	t.Parallel()
	c := newConvCache(4)
	for i := range 4 {
		u, conv := testEntry(fmt.Sprint("k", i), 1)
		c.put(u.Key, u, conv, 0)
	}
	if _, _, ok, _ := c.get("k0"); !ok {
		t.Fatalf("get k0: got miss, want hit")
	}
	u, conv := testEntry("k4", 1)
	c.put("k4", u, conv, 0) // evicts the first unreferenced entry, k1
	for key, want := range map[string]bool{"k0": true, "k1": false, "k2": true, "k3": true, "k4": true} {
		if _, _, ok, _ := c.get(key); ok != want {
			t.Errorf("get %s: got present %v, want %v", key, ok, want)
		}
	}
	checkCache(t, c, 4)
}

func TestCacheFillNeverResurrects(t *testing.T) {
	t.Parallel()
	c := newConvCache(100)
	t.Run("drop during read", func(t *testing.T) {
		_, _, _, epoch := c.get("a")
		c.drop("a")
		u, conv := testEntry("a", 1)
		c.fill("a", u, conv, 0, epoch)
		if _, _, ok, _ := c.get("a"); ok {
			t.Errorf("fill after drop: got cached, want miss")
		}
	})
	t.Run("write during read", func(t *testing.T) {
		_, _, _, epoch := c.get("b")
		u, conv2 := testEntry("b", 2)
		c.put("b", u, conv2, 0)
		_, conv1 := testEntry("b", 1)
		c.fill("b", u, conv1, 0, epoch)
		if _, got, _, _ := c.get("b"); got.Version != 2 {
			t.Errorf("version after racing fill: got %d, want 2", got.Version)
		}
	})
	t.Run("quiet read", func(t *testing.T) {
		_, _, _, epoch := c.get("c")
		u, conv := testEntry("c", 3)
		c.fill("c", u, conv, 0, epoch)
		if _, got, ok, _ := c.get("c"); !ok || got.Version != 3 {
			t.Errorf("fill: got %v version %d, want cached version 3", ok, got.Version)
		}
	})
}

func TestCacheConcurrent(t *testing.T) {
	t.Parallel()
	c := newConvCache(2048)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20000 {
				key := fmt.Sprint("k", (i*7+g*13)%5000)
				switch i % 4 {
				case 0:
					u, conv := testEntry(key, int64(i))
					c.put(key, u, conv, 0)
				case 1:
					if _, _, ok, epoch := c.get(key); !ok {
						u, conv := testEntry(key, int64(i))
						c.fill(key, u, conv, 0, epoch)
					}
				case 2:
					if u, conv, ok, _ := c.get(key); ok && (u.Key != key || conv.UserKey != key) {
						t.Errorf("get %s: got user %s conversation %s", key, u.Key, conv.UserKey)
						return
					}
				case 3:
					if i%40 == 3 {
						c.drop(key)
					}
				}
			}
		}()
	}
	wg.Wait()
	checkCache(t, c, 2048)
}

func TestCacheDisabled(t *testing.T) {
	t.Parallel()
	c := newConvCache(-1)
	u, conv := testEntry("a", 1)
	c.put("a", u, conv, 0)
	if _, _, ok, _ := c.get("a"); ok {
		t.Errorf("disabled cache: got hit, want miss")
	}
}
