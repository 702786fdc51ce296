package skill_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// dealerClockServer is mondayServer (the example config with its vip queue
// on a 상담톡 dealer) with a settable clock and effects fx.
func dealerClockServer(t *testing.T, fx handoff.Effects) (*skill.Server, http.Handler, *store.DB, *settableClock) {
	t.Helper()
	cfg, e, db := realParts(t)
	clk := &settableClock{now: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)} // Monday 10:00 KST
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, fx, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: clk.Now,
	})
	return s, s.Handler(), db, clk
}

// vipTimedOut walks user (its payloads passed through as) into the vip
// dealer queue, then lets the wait time out 10 minutes later.
func vipTimedOut(t *testing.T, s *skill.Server, h http.Handler, clk *settableClock, user string, as func([]byte) []byte) {
	t.Helper()
	a := turnOf(t, h, as(welcomeOf(user)))
	for _, l := range []string{"회원/계정", "VIP 전용 상담", "네, 연결해 주세요", "건너뛰기"} {
		a = turnOf(t, h, as(tapLabel(t, user, a, l)))
	}
	if got := string(turnOf(t, h, as(payload(user, "언제 연결돼요?")))); !strings.Contains(got, "대기 순서 1번") {
		t.Fatalf("setup: not waiting in vip: %s", got)
	}
	clk.Add(10 * time.Minute)
	if _, err := s.Apply(context.Background(), user, fsm.EventWaitTimeout, ""); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
}

// TestWaitTimeoutToldNonFriend: a user who has not added the channel waits
// in the vip dealer queue; the wait times out. The apology goes only by
// the Event API (friends only), so their next turn opens with it —
// texts.event_wait_timeout and 메시지 남기기, whose ticket goes to the
// queue they waited for, tapped or typed next — once, as an end by the
// human side is announced (texts.handoff_ended_waiting).
func TestWaitTimeoutToldNonFriend(t *testing.T) {
	tx := configs.DefaultTexts()
	s, h, db, clk := dealerClockServer(t, handoff.Effects{})
	const user = "u-timeout-nf"
	as := func(b []byte) []byte { return notFriend(t, b) }
	vipTimedOut(t, s, h, clk, user, as)
	got := turnOf(t, h, as(payload(user, "언제 연결돼요?")))
	if !strings.Contains(string(got), tx.EventWaitTimeout) && !strings.Contains(string(got), tx.EventWaitTimeoutNoReply) {
		t.Fatalf("non-friend's next turn after the wait timed out: reply %s; want it told the wait ended (%q)", got, tx.EventWaitTimeout)
	}
	if !strings.Contains(string(got), `"label":"메시지 남기기"`) || !strings.Contains(string(got), `"o":"~leave:wait_timeout_ticket:vip"`) {
		t.Errorf("the apology's turn: reply %s; want 메시지 남기기 on the vip queue", got)
	}
	again := string(turnOf(t, h, as(payload(user, "언제 연결돼요?"))))
	if strings.Contains(again, tx.EventWaitTimeout) || strings.Contains(again, tx.EventWaitTimeoutNoReply) {
		t.Errorf("the turn after: reply %s; want the apology once", again)
	}

	// 메시지 남기기 typed right after the apology leaves the ticket on vip.
	const typed = "u-timeout-nf-typed"
	vipTimedOut(t, s, h, clk, typed, as)
	turnOf(t, h, as(payload(typed, "언제 연결돼요?")))
	turnOf(t, h, as(payload(typed, "메시지 남길게요")))
	if c := conversationOf(t, db, typed); c.State != fsm.StateAfterHours || c.Queue != "vip" || c.Intake.Step != fsm.IntakeMessage {
		t.Errorf("메시지 남길게요 after the apology: state %s queue %q intake %+v; want after_hours on vip asking the message",
			c.State, c.Queue, c.Intake)
	}
}

// TestWaitTimeoutToldOnlyWhenUnreached: the next turn tells a wait timeout
// only to a user the Event API apology cannot reach: a friend with the
// Event API sending wait_timeout messages was told by it and is not told
// twice; with the Event API off (NoWaitTimeoutEvent) a friend is told on
// the next turn.
func TestWaitTimeoutToldOnlyWhenUnreached(t *testing.T) {
	tx := configs.DefaultTexts()
	friend := func(b []byte) []byte { return b }
	for _, tc := range []struct {
		name string
		fx   handoff.Effects
		want bool
	}{
		{"friend, the Event API sends it", handoff.Effects{}, false},
		{"friend, the Event API off", handoff.Effects{NoWaitTimeoutEvent: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, h, _, clk := dealerClockServer(t, tc.fx)
			const user = "u-timeout-friend"
			vipTimedOut(t, s, h, clk, user, friend)
			got := string(turnOf(t, h, payload(user, "언제 연결돼요?")))
			if told := strings.Contains(got, tx.EventWaitTimeout) || strings.Contains(got, tx.EventWaitTimeoutNoReply); told != tc.want {
				t.Errorf("next turn after the wait timed out: told %v, want %v; reply %s", told, tc.want, got)
			}
		})
	}
}
