package handoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// turnFirst is the timer consumer's Applier with a user turn slipped in
// just before the first event it applies — the turn that holds the user's
// lock when a firing arrives. It forwards every way of applying the skill
// server has.
type turnFirst struct {
	s    *skill.Server
	once sync.Once
	turn func()
}

func (a *turnFirst) Apply(ctx context.Context, userKey, event, reason string) (fsm.Outcome, error) {
	a.once.Do(a.turn)
	return a.s.Apply(ctx, userKey, event, reason)
}

func (a *turnFirst) ApplyWhen(ctx context.Context, userKey, event, reason string, still func(context.Context) (bool, error)) (fsm.Outcome, error) {
	a.once.Do(a.turn)
	return a.s.ApplyWhen(ctx, userKey, event, reason, still)
}

// TestAfterHoursFiringLosesToANewStay: the after_hours timer fires while
// the user's next turn holds the lock, and that turn leaves after_hours and
// asks for an agent again — still closed, so a new stay in after_hours with
// a new timer. The old firing read after_hours before the turn and used to
// expire the new stay the instant the turn released the lock: the user who
// had just been offered "메시지 남기기" was back at the menu, and the new
// timer was marked fired. The firing must find its own timer no longer
// pending, under the user's lock, and change nothing.
func TestAfterHoursFiringLosesToANewStay(t *testing.T) {
	t.Parallel()
	d := newTimerDealer(t)
	hours := &closedUntil{}
	hours.opens.Store(time.Now().Add(time.Hour).UnixMilli())
	var url atomic.Pointer[string]
	var turnErr error
	e := startTimerEnvWith(t, t.TempDir(), timerConfig(t, d, time.Minute), hours,
		func(p *handoff.TimerPolicy) { p.AfterHoursIdle = time.Second },
		timerEnvOpts{wrap: func(s *skill.Server) handoff.Applier {
			return &turnFirst{s: s, turn: func() { turnErr = postTurn(*url.Load(), "u-again", "상담원 블록", "상담원") }}
		}})
	url.Store(&e.url)
	e.turn("u-again", "상담원 블록", "상담원")
	if c := e.conv("u-again"); c.State != fsm.StateAfterHours {
		t.Fatalf("escalating while closed: got %s, want after_hours", c.State)
	}
	before, err := e.db.PendingTimers(context.Background(), "u-again")
	if err != nil || len(before) != 1 || before[0].Kind != store.TimerAfterHours {
		t.Fatalf("timers after the first escalation: got %+v, %v; want one after_hours", before, err)
	}
	e.waitHandled(1)
	if turnErr != nil {
		t.Fatalf("the turn slipped in before the firing: %v", turnErr)
	}
	if c := e.conv("u-again"); c.State != fsm.StateAfterHours {
		t.Errorf("after the old timer fired behind the new stay's turn: got %s, want after_hours", c.State)
	}
	after, err := e.db.PendingTimers(context.Background(), "u-again")
	if err != nil || len(after) != 1 || after[0].Kind != store.TimerAfterHours || after[0].ID == before[0].ID {
		t.Errorf("timers: got %+v, %v; want the new stay's after_hours timer pending", after, err)
	}
	if tm := e.timer(store.TimerAfterHours, before[0].ID); tm.Status != store.TimerCancelled {
		t.Errorf("the first stay's timer: got %s, want cancelled (by the turn that left)", tm.Status)
	}
}

// postTurn posts one Open Builder turn of user (a friend) to base's /skill
// from any goroutine.
func postTurn(base, user, block, utterance string) error {
	body, _ := json.Marshal(map[string]any{
		"bot": map[string]any{"id": "bot1", "name": "test"},
		"userRequest": map[string]any{
			"utterance": utterance, "block": map[string]any{"id": "blk-" + block, "name": block},
			"user": map[string]any{"id": user, "type": "botUserKey",
				"properties": map[string]any{"plusfriendUserKey": "pf-" + user, "isFriend": true}},
		},
	})
	resp, err := http.Post(base+"/skill", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /skill: status %d, err %v; want 200", resp.StatusCode, err)
	}
	return nil
}
