package skill_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// TestReopenMessageConnectsToTheQueueAskedAbout: out of hours a user asks
// for VIP 전용 상담 (queue vip) and taps 열리면 알려주세요; the reopen
// notification names vip (TimerPolicy: the conversation's queue). When vip
// opens, the reopen message says "상담 시간이 시작되었어요. 상담원 연결을
// 원하시면 아래 버튼을 눌러 주세요." Its 상담원 연결 must queue them on vip
// (Notices passes the queue; fsm's reopenReply): before, it was the
// generic one (escalation.queue), and the VIP customer was queued on
// general, skipping vip's intake and agents.
func TestReopenMessageConnectsToTheQueueAskedAbout(t *testing.T) {
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	hours, err := handoff.NewHours(cfg, nil, handoff.Override(""))
	if err != nil {
		t.Fatal(err)
	}
	e, db := testutil.EngineWith(t, cfg, fsm.Options{Hours: hours}), testutil.Store(t)
	clk := &settableClock{now: time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)} // Monday 08:00 KST: closed
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30, Now: clk.Now,
		Notices: handoff.Notices{DB: db},
	})
	h := s.Handler()
	ctx := context.Background()
	const user = "zz-vip-reopen"
	a := turnOf(t, h, welcomeOf(user))
	for _, l := range []string{"회원/계정", "VIP 전용 상담"} {
		a = turnOf(t, h, tapLabel(t, user, a, l))
	}
	a = turnOf(t, h, tapLabel(t, user, a, cfg.Texts.NotifyOnOpen))
	if c := conversationOf(t, db, user); c.State != fsm.StateBot || c.Queue != "vip" {
		t.Fatalf("setup: after 열리면 알려주세요 the conversation is %s on %q; want bot on vip (the reopen timer's queue)", c.State, c.Queue)
	}

	// 09:00: vip opened; the reopen notification names it (as the timer does).
	clk.Add(time.Hour)
	_, send := sentNotification(t, db, user, store.NotifyReopen, "vip")
	ev := turnOf(t, h, eventPayload(user, cfg.EventAPI.Events["reopen"], map[string]any{skill.EventParam: send}))
	if !strings.Contains(string(ev), strings.Split(cfg.Texts.EventReopen, ".")[0]) {
		t.Fatalf("the reopen message: %s", ev)
	}
	clk.Add(time.Minute)
	out := turnOf(t, h, tapLabel(t, user, ev, cfg.Texts.Agent))
	// vip asks its confirm question, then its intake (주문번호, skippable).
	for i := 0; i < 5 && conversationOf(t, db, user).State == fsm.StateConfirm; i++ {
		label := cfg.Texts.IntakeSkip
		if strings.Contains(string(out), `"label":"`+cfg.Texts.ConfirmYes+`"`) {
			label = cfg.Texts.ConfirmYes
		}
		out = turnOf(t, h, tapLabel(t, user, out, label))
	}
	hd, ok, err := db.LastHandoff(ctx, user)
	if err != nil || !ok {
		t.Fatalf("no handoff after 상담원 연결 under the reopen message (%v): conversation %+v, reply %s", err, conversationOf(t, db, user), out)
	}
	if hd.Queue != "vip" {
		t.Fatalf("the user asked to be told when vip opens; 상담원 연결 under that reopen message queued them on %q, want vip", hd.Queue)
	}
}
