package fsm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestSlowCacheKeyNamesOneReply walks random configs and inputs (as
// TestSlowCompositionProperty does) and wants every CacheKey to name a single
// reply: two replies with the same key must be equal in every field. It
// also wants most bot-state replies to have a key, so the renderer's cache
// is used.
func TestSlowCacheKeyNamesOneReply(t *testing.T) {
	seeds, steps := 150, 150
	if testing.Short() {
		seeds, steps = 30, 80
	}
	keyed, botTurns := 0, 0
	for seed := range seeds {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		e := randomEngine(t, seed, r)
		group := r.IntN(6) == 0
		byKey := map[string]Reply{}
		c := Conversation{UserKey: "u"}
		now := t0
		var last Reply
		for step := range steps {
			now = now.Add(time.Duration(r.IntN(20*60)) * time.Second)
			if r.IntN(15) == 0 {
				ev := []string{EventAccepted, EventEnded, EventWaitTimeout, EventTicketLeft, EventNotifyOnOpen}[r.IntN(5)]
				if o, err := e.Apply(c, ev, now, ""); err == nil {
					c = o.Conversation
				}
				continue
			}
			in := randomInput(r, e, last, now, group)
			in.NewHandoffID, in.NewHandoffCode = fmt.Sprintf("h%d", step), "C"+strconv.Itoa(step)
			o := e.Step(c, in)
			if k := o.Reply.CacheKey; k != "" {
				keyed++
				if prev, ok := byKey[k]; ok && !reflect.DeepEqual(prev, o.Reply) {
					t.Fatalf("seed %d step %d: key %q names two replies:\n%+v\n%+v", seed, step, k, prev, o.Reply)
				}
				byKey[k] = o.Reply
			}
			if c.State == StateBot {
				botTurns++
			}
			c, last = o.Conversation, o.Reply
		}
	}
	if keyed < botTurns/3 {
		t.Errorf("got %d keyed replies over %d bot-state turns, want at least a third keyed", keyed, botTurns)
	}
}
