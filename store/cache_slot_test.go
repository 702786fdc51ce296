package store

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
)

// randomize sets every field reachable in v (a pointer to a struct) to a
// random value, so a field added to User, fsm.Conversation or fsm.Intake
// that packSlot does not keep fails TestCacheSlotRoundTrip.
func randomize(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		randomize(r, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			var t time.Time
			if r.IntN(4) > 0 {
				// Millisecond precision in UTC, as the tables keep times;
				// some before 1970.
				t = time.UnixMilli(r.Int64N(1<<42) - 1<<40).UTC()
			}
			v.Set(reflect.ValueOf(t))
			return
		}
		for i := range v.NumField() {
			randomize(r, v.Field(i))
		}
	case reflect.String:
		v.SetString(randomString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64() - 1<<62)
	case reflect.Slice:
		n := r.IntN(5)
		if n == 0 {
			v.SetZero()
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			randomize(r, s.Index(i))
		}
		v.Set(s)
	default:
		panic("randomize: unhandled kind " + v.Kind().String())
	}
}

func randomString(r *rand.Rand) string {
	parts := []string{"", "a", "상담원", "👩‍💻", "main", "\x00", "waiting", strings.Repeat("가", 50)}
	var b strings.Builder
	for range r.IntN(4) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

func TestCacheSlotRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		var e entry
		randomize(r, reflect.ValueOf(&e.user))
		randomize(r, reflect.ValueOf(&e.conv))
		e.lastTurn = r.Int64()
		e.dirty, e.userDirty = r.IntN(2) == 1, r.IntN(2) == 1
		key := randomString(r)
		if i%2 == 0 {
			e.conv.UserKey = key // the usual case: packed once
		}
		want := e
		want.user.Key = key // the slot's key names the user

		sl := packSlot(key, e)
		if got := sl.key(); got != key {
			t.Fatalf("entry %d: key %q, want %q", i, got, key)
		}
		got := sl.entry()
		if d := cmp.Diff(want, got, cmp.AllowUnexported(entry{})); d != "" {
			t.Fatalf("entry %d: round trip (-want +got):\n%s", i, d)
		}
		if d := cmp.Diff(want.user, sl.user()); d != "" {
			t.Fatalf("entry %d: user (-want +got):\n%s", i, d)
		}
	}
}

// A slot unpacks times as the tables read them back: milliseconds, UTC.
func TestCacheSlotTimesAsTables(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 18, 4, 5, 123456789, time.FixedZone("KST", 9*3600))
	e := entry{user: User{FirstSeen: at}, conv: fsm.Conversation{StateSince: at}}
	sl := packSlot("k", e)
	got := sl.entry()
	if want := normTime(at); !got.user.FirstSeen.Equal(want) || got.user.FirstSeen != want || got.conv.StateSince != want {
		t.Errorf("times: got %v and %v, want %v", got.user.FirstSeen, got.conv.StateSince, want)
	}
	if !got.conv.LastTurnAt.IsZero() {
		t.Errorf("zero time: got %v", got.conv.LastTurnAt)
	}
}

// The shard's map holds its key inside the slot's packed string, also after
// the entry is replaced, so an old packed string is not kept alive by it.
func TestCacheMapKeySharesSlot(t *testing.T) {
	t.Parallel()
	c := newConvCache(10)
	key := strings.Clone("user-1")
	for v := range int64(3) {
		u, conv := testEntry(strings.Clone(key), v+1)
		c.put(key, u, conv, 0)
		s := c.shard(key)
		for k, i := range s.idx {
			if unsafe.StringData(k) != unsafe.StringData(s.slots[i].strs) {
				t.Fatalf("version %d: the map's key %q is not the slot's packed string", v+1, k)
			}
		}
	}
}

// A caller may change what get returned without changing the cache.
func TestCacheGetOwnsSlices(t *testing.T) {
	t.Parallel()
	c := newConvCache(10)
	u, conv := testEntry("k", 1)
	conv.Clarify = []string{"faq1", "faq2"}
	c.put("k", u, conv, 0)
	_, got, ok, _ := c.get("k")
	if !ok {
		t.Fatal("miss")
	}
	got.MenuPath[0] = "changed"
	got.Clarify[0] = "changed"
	_ = append(got.MenuPath, "appended")
	_, again, _, _ := c.get("k")
	if again.MenuPath[0] != "main" || again.Clarify[0] != "faq1" || again.Clarify[1] != "faq2" {
		t.Errorf("cache changed through get's slices: %v %v", again.MenuPath, again.Clarify)
	}
}
