package skill_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// mondayServer is a server on real parts whose clock stands at Monday
// 10:00 KST (monday), with no rate limit.
func mondayServer(t testing.TB) (*skill.Server, *store.DB, time.Time) {
	t.Helper()
	cfg, e, db := realParts(t)
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return monday },
	})
	return s, db, monday
}

func TestEstimateWait(t *testing.T) {
	four := 4 * time.Minute
	tests := []struct {
		name     string
		st       store.AcceptStats
		position int
		want     time.Duration
		wantOK   bool
	}{
		{"no history", store.AcceptStats{}, 1, 0, false},
		{"too few samples", store.AcceptStats{Samples: 2, Median: four}, 1, 0, false},
		{"one agent: a median per place", store.AcceptStats{Samples: 3, Median: four}, 3, 3 * four, true},
		{"serving counts as at least one", store.AcceptStats{Samples: 5, Median: four, Serving: 0}, 1, four, true},
		{"three in parallel: places 1-3 wait one median", store.AcceptStats{Samples: 5, Median: four, Serving: 3}, 3, four, true},
		{"three in parallel: place 4 waits two", store.AcceptStats{Samples: 5, Median: four, Serving: 3}, 4, 2 * four, true},
		{"no position", store.AcceptStats{Samples: 5, Median: four}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := skill.EstimateWait(tt.st, tt.position)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// waitingServer is the real pipeline on the example config (always open)
// and a real store, at a fixed Monday morning.
func waitingServer(t testing.TB) (*skill.Server, http.Handler) {
	t.Helper()
	s, _, _ := mondayServer(t)
	return s, s.Handler()
}

func turnOf(t testing.TB, h http.Handler, body []byte) []byte {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body)))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	return rec.Body.Bytes()
}

// tapLabel returns the payload of tapping the quick reply labelled label.
func tapLabel(t testing.TB, user string, answer []byte, label string) []byte {
	t.Helper()
	var r struct {
		Template struct {
			QuickReplies []struct {
				Label, MessageText string
				Extra              map[string]any
			} `json:"quickReplies"`
		} `json:"template"`
	}
	if err := json.Unmarshal(answer, &r); err != nil {
		t.Fatal(err)
	}
	for _, q := range r.Template.QuickReplies {
		if q.Label == label {
			var p map[string]any
			_ = json.Unmarshal(payload(user, q.MessageText), &p)
			p["action"] = map[string]any{"clientExtra": q.Extra}
			out, _ := json.Marshal(p)
			return out
		}
	}
	t.Fatalf("no quick reply %q in %s", label, answer)
	return nil
}

// toVIP walks user from the welcome to waiting in the vip dealer queue.
func toVIP(t testing.TB, h http.Handler, user string) {
	t.Helper()
	a := turnOf(t, h, welcomeOf(user))
	a = turnOf(t, h, tapLabel(t, user, a, "회원/계정"))
	a = turnOf(t, h, tapLabel(t, user, a, "VIP 전용 상담"))
	a = turnOf(t, h, tapLabel(t, user, a, "네, 연결해 주세요"))
	turnOf(t, h, tapLabel(t, user, a, "건너뛰기")) // vip asks for an order number first
}

// TestDealerPositions: three users waiting in one dealer queue see
// positions 1, 2, 3 through the real skill server and store; after the
// first is accepted the others see 1, 2.
func TestDealerPositions(t *testing.T) {
	s, h := waitingServer(t)
	users := []string{"u-pos-a", "u-pos-b", "u-pos-c"}
	for _, u := range users {
		toVIP(t, h, u)
	}
	status := func(user string, pos int) {
		t.Helper()
		got := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
		if want := fmt.Sprintf("대기 순서 %d번", pos); !strings.Contains(got, want) {
			t.Errorf("%s: got %s, want %q", user, got, want)
		}
		if !strings.Contains(got, "예상 대기 확인 중") {
			t.Errorf("%s: got %s, want the ETA unknown without history", user, got)
		}
	}
	for i, u := range users {
		status(u, i+1)
	}
	if _, err := s.Apply(context.Background(), users[0], fsm.EventAccepted, ""); err != nil {
		t.Fatal(err)
	}
	status(users[1], 1)
	status(users[2], 2)
}

// BenchmarkWaitingStatus measures a status turn in a dealer queue: the
// position count and the acceptance statistics are read on every such turn.
func BenchmarkWaitingStatus(b *testing.B) {
	s, h := waitingServer(b)
	const users = 64
	for i := range users {
		u := fmt.Sprintf("bench-wait-%d", i)
		toVIP(b, h, u)
		if i%4 == 0 { // some history for the ETA
			if _, err := s.Apply(context.Background(), u, fsm.EventAccepted, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	bodies := make([][]byte, users)
	for i := range users {
		bodies[i] = payload(fmt.Sprintf("bench-wait-%d", (i|1)), "언제 연결돼요?")
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		turnOf(b, h, bodies[i%users])
	}
}

// TestAcceptedFailedOverHandoffStaysOpen: a user's status turn caches
// "not failed over" for their dealer handoff; within the view's TTL the
// router fails it over and an agent accepts it from the notify sinks. The
// user's next turn reads the failure afresh: it is answered under
// texts.human_dealer_failure and leaves the handoff with the agent, where
// the cached answer would have ended it as a return from a human.
func TestAcceptedFailedOverHandoffStaysOpen(t *testing.T) {
	s, db, monday := mondayServer(t)
	skill.SetWaitingClock(s, func() time.Time { return monday }) // the view's TTL never passes
	h := s.Handler()
	ctx := context.Background()
	toVIP(t, h, "u-failed-accepted")
	turnOf(t, h, payload("u-failed-accepted", "언제 연결돼요?")) // caches the no
	hc, ok, err := db.OpenHandoff(ctx, "u-failed-accepted")
	if err != nil || !ok {
		t.Fatalf("open handoff: %v %v", ok, err)
	}
	if failed, err := db.FailDealerOver(ctx, store.Ticket{HandoffID: hc.ID, Reason: "dealer_failed"},
		"dealer:happytalk:failed", monday); err != nil || !failed {
		t.Fatalf("fail over: %v %v", failed, err)
	}
	if _, err := s.Apply(ctx, "u-failed-accepted", fsm.EventAccepted, handoff.LinkReason); err != nil {
		t.Fatal(err)
	}

	got := string(turnOf(t, h, payload("u-failed-accepted", "배송비 얼마에요")))
	if want := strings.ReplaceAll(configs.DefaultTexts().HumanDealerFailure, "{code}", hc.Code); !strings.Contains(got, want) {
		t.Errorf("got %s, want %q", got, want)
	}
	if _, c, _, err := db.Load(ctx, "u-failed-accepted"); err != nil || c.State != fsm.StateHuman || c.HandoffID != hc.ID {
		t.Errorf("after the turn: state %q handoff %q (err %v), want human with %s", c.State, c.HandoffID, err, hc.ID)
	}
}

// TestDealerAcceptOfFailedOverHandoffRefused: a dealer's session.started
// (EventAccepted with fsm.ReasonDealerSession) on a handoff the router has
// failed over from that dealer changes nothing — the agents own it through
// the notify sinks — while an agent's accept link still takes it. (That the
// refusal holds when the failover commits between this check and the
// accept's commit is store.TestDealerAcceptYieldsToFailover.)
func TestDealerAcceptOfFailedOverHandoffRefused(t *testing.T) {
	s, db, monday := mondayServer(t)
	h := s.Handler()
	ctx := context.Background()
	const user = "u-dealer-late"
	toVIP(t, h, user)
	hc, ok, err := db.OpenHandoff(ctx, user)
	if err != nil || !ok {
		t.Fatalf("open handoff: %v %v", ok, err)
	}
	if failed, err := db.FailDealerOver(ctx, store.Ticket{HandoffID: hc.ID, Reason: "dealer_failed"},
		"dealer:happytalk:failed", monday); err != nil || !failed {
		t.Fatalf("fail over: %v %v", failed, err)
	}
	_, err = s.ApplyFor(ctx, user, hc.ID, fsm.EventAccepted, fsm.ReasonDealerSession)
	if !errors.Is(err, store.ErrFailedOver) || !errors.Is(err, fsm.ErrNoTransition) {
		t.Fatalf("the dealer's accept: %v, want store.ErrFailedOver and fsm.ErrNoTransition", err)
	}
	if _, c, _, err := db.Load(ctx, user); err != nil || c.State != fsm.StateWaiting {
		t.Fatalf("after the dealer's accept: state %q (err %v), want waiting", c.State, err)
	}
	if _, err := s.ApplyFor(ctx, user, hc.ID, fsm.EventAccepted, handoff.LinkReason); err != nil {
		t.Fatalf("an agent's accept link: %v", err)
	}
	if _, c, _, err := db.Load(ctx, user); err != nil || c.State != fsm.StateHuman {
		t.Errorf("after the agent's accept: state %q (err %v), want human", c.State, err)
	}
}
