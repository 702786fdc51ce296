package skill_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// TestWaitingViewForgetsErasedUser: erasing a waiting user the way the
// admin API does (handoff.EraseUser under the server's WithUser) takes the
// user out of the waiting view's queue line at once: the users behind move
// up on their next turn, without waiting for the view's TTL (its clock is
// stopped here) or for another change to the queue.
func TestWaitingViewForgetsErasedUser(t *testing.T) {
	s, db, monday := mondayServer(t)
	base := time.Now()
	skill.SetWaitingClock(s, func() time.Time { return base }) // the view's TTL never passes
	h := s.Handler()
	status := func(step, user string, pos int) {
		t.Helper()
		code, out := post(t, h, payload(user, "언제 연결돼요?"))
		if want := fmt.Sprintf("대기 순서 %d번", pos); code != 200 || !strings.Contains(string(out), want) {
			t.Errorf("%s: %s: got %d %s, want %q", step, user, code, out, want)
		}
	}

	for _, u := range []string{"we-a", "we-b", "we-c"} {
		toVIP(t, h, u)
	}
	status("three waiting", "we-c", 3)
	status("three waiting", "we-b", 2)

	var e store.Erasure
	err := s.WithUser("we-a", func() error {
		var err error
		e, err = handoff.EraseUser(context.Background(), db, "we-a", monday)
		return err
	})
	if err != nil || !e.Found || len(e.Handoffs) != 1 {
		t.Fatalf("erase we-a: %+v, %v; want one handoff erased", e, err)
	}
	status("a erased", "we-b", 1)
	status("a erased", "we-c", 2)

	// A fresh server (empty view) on the same store agrees.
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	s2 := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), testutil.EngineFor(t, cfg), db, handoff.Effects{}, nil, skill.Options{
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30, Now: func() time.Time { return monday },
	})
	h = s2.Handler()
	status("fresh server", "we-b", 1)
	status("fresh server", "we-c", 2)
}
