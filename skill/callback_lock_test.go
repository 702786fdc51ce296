package skill_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
)

// TestCallbackTurnWaitingForUserLockIsPosted: a callback turn's wait for
// the user's turn lock is bounded by the callback budget. It used not to be
// (runTurn took a plain mutex whatever ctx said): while the lock was held —
// an admin erasure running under Server.WithUser, an Apply, a turn stuck
// in a store call — the turn neither ran nor gave up, handleSkill's
// callback goroutine blocked on <-done, and when the lock was finally
// released after budget + grace, the fallback was posted under an expired
// context and never reached Kakao.
//
// Correct behaviour (docs/design.md §3 step 6: "finish through the callback
// (the turn within 45 s, its one POST by 55 s after the request, on a
// context of its own: the fallback of a turn that ran out of time is posted
// too)"; server.go's callbackBudget comment names "a user lock held by a
// stuck turn" as a case the budget covers; spec §5: the callbackUrl is
// valid ~1 min and single-use): the turn gives up at its budget, and its
// one POST (the fallback) goes out by budget + callbackPostGrace, lock or
// no lock.
func TestCallbackTurnWaitingForUserLockIsPosted(t *testing.T) {
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	db := testutil.Store(t)
	host := &callbackHost{}
	hs := httptest.NewServer(host)
	defer hs.Close()
	cb := handoff.NewCallbackClient([]string{strings.TrimPrefix(hs.URL, "http://")})
	cb.AllowHTTP = true // the loopback stand-in for bot-api.kakao.com is plain http
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		SoftDeadline: 50 * time.Millisecond, HardDeadline: 2 * time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	const budget = 300 * time.Millisecond // 45 s in production
	const grace = 10 * time.Second        // callbackPostGrace
	skill.SetCallbackBudget(s, budget)
	const user = "u-cb-lock"

	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.WithUser(user, func() error { close(held); <-release; return nil })
	}()
	<-held

	start := time.Now()
	code, out := post(t, s.Handler(), withCallback(t, user, "배송 조회", hs.URL+"/v1/bots/b/callback/one-time-token", false))
	if code != 200 || !bytes.Equal(out, skill.CallbackAck(cfg.Texts.CallbackWait)) {
		close(release)
		t.Fatalf("got %d %s, want the useCallback answer", code, out)
	}
	// Wait, with the lock still held, until the latest moment the one POST
	// may go out (budget + grace after the request) and a little more.
	for len(host.got()) == 0 && time.Since(start) < budget+grace+700*time.Millisecond {
		time.Sleep(20 * time.Millisecond)
	}
	postedWhileHeld := len(host.got())
	close(release)
	<-done
	// After the release the answer would be too late anyway; give it a moment.
	time.Sleep(500 * time.Millisecond)
	if postedWhileHeld == 0 {
		t.Fatalf("no callback POST within budget+grace (%v) of the request while the user's lock was held; "+
			"%d POST(s) after its release (a POST under an expired context never leaves): the user keeps the waiting bubble for good",
			budget+grace, len(host.got()))
	}
	if got := host.got(); len(got) != 1 || !bytes.Equal(got[0], skill.Fallback(cfg.Texts.Fallback, cfg.Texts.FallbackButton)) {
		t.Errorf("callback POSTs: got %d (%q), want one: the fallback", len(got), got)
	}
}
