package skill_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// TestWaitTimeoutToldWhenItsApologyIsSkipped: a friend waits in the vip
// 상담톡 queue and the wait times out. The apology (with 메시지 남기기 on
// the queue waited for) is left to the Event API, which can reach a friend
// (EndedWhileWaiting). But the deliverer then skips the wait_timeout
// message — the day's budget is spent (30,000원 is 2,000 messages) — so
// the user's next turn tells the timeout, as it does when the Event API
// cannot reach the user (EndedUntold reads what became of the apology).
func TestWaitTimeoutToldWhenItsApologyIsSkipped(t *testing.T) {
	tx := configs.DefaultTexts()
	s, h, db, clk := dealerClockServer(t, handoff.Effects{}) // the Event API sends wait_timeout messages
	ctx := context.Background()
	const user = "timeout-budget"
	vipTimedOut(t, s, h, clk, user, func(b []byte) []byte { return b })
	// The apology, as the timer policy records it with the timeout
	// (handoff.TimerPolicy.PlanTurn: NotifyWaitTimeout, ref the handoff).
	h0, ok, err := db.LastHandoff(ctx, user)
	if err != nil || !ok || h0.EndReason != fsm.EventWaitTimeout {
		t.Fatalf("setup: last handoff %+v (%v %v), want one ended by wait_timeout", h0, ok, err)
	}
	if err := db.AddNotification(ctx, &store.Notification{UserKey: user, Kind: store.NotifyWaitTimeout, Ref: h0.ID,
		CreatedAt: clk.Now(), NotBefore: h0.EndedAt}); err != nil {
		t.Fatal(err)
	}
	pending, err := db.Notifications(ctx, store.NotificationPending, time.Time{}, 10)
	if err != nil || len(pending) != 1 || pending[0].Kind != store.NotifyWaitTimeout {
		t.Fatalf("setup: pending notifications %+v (%v), want the wait_timeout apology", pending, err)
	}

	// A loopback Event API; the day's budget is already held by earlier calls.
	var calls atomic.Int32
	kakao := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.WriteString(w, `{"taskId":"t1","status":"SUCCESS"}`)
	}))
	defer kakao.Close()
	ev := configs.EventAPI{BaseURL: kakao.URL, RestAPIKey: "k", DailyBudgetWon: 30000, WonPerMessage: 15, CallsPerSecond: 100,
		Events: map[string]string{"wait_timeout": "상담 대기 사과"}}
	day := clk.Now().In(time.FixedZone("KST", 9*3600)).Format(time.DateOnly)
	other := "earlier"
	turnOf(t, h, payload(other, "안녕하세요"))
	n := &store.Notification{UserKey: other, Kind: store.NotifyReopen, CreatedAt: clk.Now()}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := db.BeginEventSend(ctx, &store.EventSend{ID: store.NewID(clk.Now()), BotID: "bot1", Event: "x", Day: day,
		ReservedWon: 30000, CreatedAt: clk.Now()}, []store.EventItem{{NotificationID: n.ID, UserKey: other}}, 30000); err != nil {
		t.Fatal(err)
	}
	d := handoff.NewEventDeliverer(db, handoff.NewEventAPIClient(kakao.URL, "k"), ev, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.Now = clk.Now
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Notification(ctx, pending[0].ID)
	if got.Status != store.NotificationSkipped || got.Detail != handoff.SkipBudget || calls.Load() != 0 {
		t.Fatalf("setup: the apology is %s (%q) after %d calls; want skipped over budget", got.Status, got.Detail, calls.Load())
	}

	clk.Add(time.Minute)
	reply := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
	if c := conversationOf(t, db, user); c.State != fsm.StateBot {
		t.Fatalf("setup: state %s, want bot", c.State)
	}
	if !strings.Contains(reply, tx.EventWaitTimeout) && !strings.Contains(reply, tx.EventWaitTimeoutNoReply) {
		t.Fatalf("the wait timed out and its Event API apology was skipped (over budget); the next turn says %s — "+
			"want it to tell the timeout (%q) with 메시지 남기기, as it does when the Event API cannot reach the user", reply, tx.EventWaitTimeout)
	}
}

// TestWaitTimeoutToldUnlessItsApologyWentOut: after a friend's vip wait
// timed out, their next turn tells the timeout unless the Event API
// apology went out. A sent apology is not told twice; a failed one is
// told; one still pending (due, or waiting for a retry) is told by the turn
// and withdrawn in its commit, so the deliverer never sends it after. Each
// is told once.
func TestWaitTimeoutToldUnlessItsApologyWentOut(t *testing.T) {
	tx := configs.DefaultTexts()
	for _, tc := range []struct {
		name       string
		fate       func(t *testing.T, db *store.DB, n *store.Notification)
		told       bool
		wantStatus string
	}{
		{"sent", func(t *testing.T, db *store.DB, n *store.Notification) {
			s := &store.EventSend{ID: store.NewID(time.Now()), BotID: "bot1", Event: "e", Day: "2026-11-23", ReservedWon: 15, CreatedAt: time.Now()}
			if err := db.BeginEventSend(context.Background(), s, []store.EventItem{{NotificationID: n.ID, UserKey: n.UserKey}}, 1000); err != nil {
				t.Fatal(err)
			}
		}, false, store.NotificationSent},
		{"failed", func(t *testing.T, db *store.DB, n *store.Notification) {
			if _, err := db.MarkNotification(context.Background(), n.ID, store.NotificationFailed, "kakao error type 1", time.Now()); err != nil {
				t.Fatal(err)
			}
		}, true, store.NotificationFailed},
		{"pending", func(*testing.T, *store.DB, *store.Notification) {}, true, store.NotificationSkipped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, h, db, clk := dealerClockServer(t, handoff.Effects{})
			ctx := context.Background()
			const user = "timeout-fate"
			vipTimedOut(t, s, h, clk, user, func(b []byte) []byte { return b })
			h0, ok, err := db.LastHandoff(ctx, user)
			if err != nil || !ok || h0.EndReason != fsm.EventWaitTimeout {
				t.Fatalf("setup: last handoff %+v (%v %v), want one ended by wait_timeout", h0, ok, err)
			}
			n := &store.Notification{UserKey: user, Kind: store.NotifyWaitTimeout, Ref: h0.ID, CreatedAt: h0.EndedAt, NotBefore: h0.EndedAt}
			if err := db.AddNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
			tc.fate(t, db, n)

			reply := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
			if told := strings.Contains(reply, tx.EventWaitTimeout) || strings.Contains(reply, tx.EventWaitTimeoutNoReply); told != tc.told {
				t.Fatalf("apology %s: the next turn told the timeout %v, want %v; reply %s", tc.name, told, tc.told, reply)
			}
			if tc.told && !strings.Contains(reply, `"label":"메시지 남기기"`) {
				t.Errorf("the turn that tells the timeout offers no 메시지 남기기: %s", reply)
			}
			got, _, _ := db.Notification(ctx, n.ID)
			if got.Status != tc.wantStatus {
				t.Errorf("the apology is %s (%q) after the turn, want %s", got.Status, got.Detail, tc.wantStatus)
			}
			if tc.wantStatus == store.NotificationSkipped && got.Detail != handoff.SkipToldInChat {
				t.Errorf("the withdrawn apology's detail %q, want %q", got.Detail, handoff.SkipToldInChat)
			}
			again := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
			if strings.Contains(again, tx.EventWaitTimeout) || strings.Contains(again, tx.EventWaitTimeoutNoReply) {
				t.Errorf("the turn after: reply %s; want the timeout told once", again)
			}
		})
	}
}

// TestWaitTimeoutPendingApologyNotSentAfterTheTurnToldIt: with the timer
// policy, the wait timeout records the apology; the user speaks before the
// deliverer's round, so the turn tells the timeout and withdraws the
// apology, and the deliverer makes no call for it.
func TestWaitTimeoutPendingApologyNotSentAfterTheTurnToldIt(t *testing.T) {
	tx := configs.DefaultTexts()
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	hours, err := handoff.NewHours(cfg, nil, handoff.Override(""))
	if err != nil {
		t.Fatal(err)
	}
	e, db := testutil.EngineWith(t, cfg, fsm.Options{Hours: hours}), testutil.Store(t)
	clk := &settableClock{now: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)} // Monday 10:00 KST
	fx := handoff.Effects{Timers: handoff.NewTimerConfig(handoff.NewTimerPolicy(cfg, hours))}
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, fx, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30, Now: clk.Now,
	})
	h := s.Handler()
	ctx := context.Background()
	const user = "timeout-pending"
	vipTimedOut(t, s, h, clk, user, func(b []byte) []byte { return b })
	pending, err := db.Notifications(ctx, store.NotificationPending, time.Time{}, 10)
	if err != nil || len(pending) != 1 || pending[0].Kind != store.NotifyWaitTimeout {
		t.Fatalf("setup: pending notifications %+v (%v), want the apology the timer policy recorded", pending, err)
	}

	reply := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
	if !strings.Contains(reply, tx.EventWaitTimeout) && !strings.Contains(reply, tx.EventWaitTimeoutNoReply) {
		t.Fatalf("the apology still pending: the next turn says %s; want it to tell the timeout", reply)
	}

	var calls atomic.Int32
	kakao := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		_, _ = io.WriteString(w, `{"taskId":"t1","status":"SUCCESS"}`)
	}))
	defer kakao.Close()
	ev := configs.EventAPI{BaseURL: kakao.URL, RestAPIKey: "k", DailyBudgetWon: 30000, WonPerMessage: 15, CallsPerSecond: 100,
		Events: map[string]string{"wait_timeout": "상담 대기 사과"}}
	d := handoff.NewEventDeliverer(db, handoff.NewEventAPIClient(kakao.URL, "k"), ev, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.Now = clk.Now
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Notification(ctx, pending[0].ID)
	if calls.Load() != 0 || got.Status != store.NotificationSkipped || got.Detail != handoff.SkipToldInChat {
		t.Fatalf("after the turn told it: %d Event API calls, the apology %s (%q); want none and skipped (%q)",
			calls.Load(), got.Status, got.Detail, handoff.SkipToldInChat)
	}
}
