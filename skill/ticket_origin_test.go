package skill_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// originServer is the example config's skill server on db, with the
// engine's hours closed (handoff.OverrideClosed) or always open, and the
// queues' max_waiting counted from db.
func originServer(t *testing.T, db *store.DB, closed bool, edit func(*configs.Config)) *skill.Server {
	t.Helper()
	cfg, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cfg)
	}
	opts := fsm.Options{Capacity: handoff.NewCapacity(db, nil)}
	if closed {
		h, err := handoff.NewHours(cfg, nil, handoff.OverrideClosed)
		if err != nil {
			t.Fatal(err)
		}
		opts.Hours = h
	}
	e := testutil.EngineWith(t, cfg, opts)
	return skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
}

// TestTicketOriginThroughTheStore: a message a user leaves keeps where they
// were when they chose to leave it — the reply that offered 메시지 남기기
// out of hours (an FAQ answer, the no-match reply, the welcome's menu, the
// complaint reply, the FAQ answer to a question naming a human) or why the
// conversation went to after_hours (a request for a human out of hours, a
// full queue) — through the real engine and the store's ticket row, which
// the admin API and the notify sinks read. (The wait-timeout apology's
// origin is checked by TestWaitTimeoutApologyQuotesTheQueueWaitedFor.)
func TestTicketOriginThroughTheStore(t *testing.T) {
	db := testutil.Store(t)
	ctx := context.Background()
	closed := originServer(t, db, true, nil).Handler()
	full := originServer(t, db, false, func(c *configs.Config) {
		q := c.Handoff.Queues[c.Escalation.Queue]
		q.MaxWaiting = 1
		c.Handoff.Queues[c.Escalation.Queue] = q
	}).Handler()
	// One user already waits on escalation.queue: with max_waiting 1 it is full.
	now := time.Now()
	if err := db.Commit(ctx, &store.TurnWrite{User: store.User{Key: "u-waiting", FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: "u-waiting", State: fsm.StateWaiting, HandoffID: "h-waiting", Queue: "general"},
		Turn: store.Turn{ID: store.NewID(now), UserKey: "u-waiting", At: now, State: fsm.StateWaiting},
		OpenHandoff: &store.Handoff{ID: "h-waiting", Code: "W8T1", UserKey: "u-waiting", Queue: "general",
			Target: "notify", Reason: fsm.ReasonKeyword, CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	tx := configs.DefaultTexts()
	tests := []struct {
		user  string
		h     http.Handler
		turns []string // after the welcome block; then 메시지 남기기, the message and 건너뛰기
		want  string
	}{
		{"u-menu", closed, nil, fsm.TicketOriginMenu},
		{"u-faq", closed, []string{"배송비 얼마에요"}, fsm.TicketOriginFAQ},
		{"u-nomatch", closed, []string{"보라색 코끼리 우주선"}, fsm.TicketOriginNoMatch},
		{"u-complaint", closed, []string{"진짜 최악이에요 짜증나"}, fsm.TicketOriginComplaint},
		{"u-keyword", closed, []string{"상담원 운영 시간이 언제예요?"}, fsm.TicketOriginKeyword},
		{"u-afterhours", closed, []string{"상담원"}, fsm.TicketOriginAfterHours},
		{"u-full", full, []string{"상담원"}, fsm.TicketOriginMaxWaiting},
	}
	for _, tt := range tests {
		post(t, tt.h, welcomeOf(tt.user))
		for _, u := range append(tt.turns, tx.LeaveMessage, "환불 문의가 있어요", tx.ContactSkip) {
			post(t, tt.h, payload(tt.user, u))
		}
	}
	tickets, err := db.Tickets(ctx, store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Ticket{}
	for _, tk := range tickets {
		got[tk.UserKey] = tk
	}
	for _, tt := range tests {
		tk, ok := got[tt.user]
		switch {
		case !ok:
			t.Errorf("%s: no ticket left, want one with origin %q", tt.user, tt.want)
		case tk.Origin != tt.want || tk.Reason != store.TicketReasonUserMessage:
			t.Errorf("%s: got ticket reason %q, origin %q; want %q, %q", tt.user, tk.Reason, tk.Origin, store.TicketReasonUserMessage, tt.want)
		}
		if byID, ok, err := db.TicketByID(ctx, tk.ID); err != nil || !ok || byID.Origin != tt.want {
			t.Errorf("%s: TicketByID got origin %q (found %v, err %v), want %q", tt.user, byID.Origin, ok, err, tt.want)
		}
	}
}
