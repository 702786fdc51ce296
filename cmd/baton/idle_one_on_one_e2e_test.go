package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// acceptOneOnOne opens a 1:1 (notify) handoff for s and accepts it through
// the admin API; it returns the handoff id.
func acceptOneOnOne(t *testing.T, m *Main, s *session) string {
	t.Helper()
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	if code, body := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/accept"); code != http.StatusOK {
		t.Fatalf("accept: got %d %v", code, body)
	}
	s.wantState(fsm.StateHuman)
	return id
}

// waitIdleClosed waits until the idle timer closed handoff id of s, then
// checks it ended silently (no CSAT notification) and that retention, two
// years on, deletes the user.
func waitIdleClosed(t *testing.T, m *Main, s *session, id string, later time.Time) {
	t.Helper()
	testutil.CheckFor(t, 15*time.Second, 20*time.Millisecond, func() error {
		if c := s.conv(); c.State != fsm.StateBot {
			return fmt.Errorf("state %s, want bot", c.State)
		}
		return nil
	})
	if got, _, reason, ended := s.handoff(); got != id || !ended || reason != handoff.ReasonIdle {
		t.Errorf("handoff %s ended %v reason %q, want %s ended by %s", got, ended, reason, id, handoff.ReasonIdle)
	}
	if tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || tm.Status != store.TimerFired {
		t.Errorf("idle timer: %+v (err %v), want fired", tm, err)
	}
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM notifications WHERE user_key = ?`, s.user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("notifications after an idle close: got %d, want 0 (the close is silent)", n)
	}
	if _, err := m.DB.Prune(context.Background(), later, retentionPolicy(m.Config.Retention)); err != nil {
		t.Fatal(err)
	}
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM users WHERE key = ?`, s.user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("two years after an accepted 1:1 handoff nobody ended: got the users row kept (handoff %s), want it gone with retention", id)
	}
}

// TestAcceptedOneOnOneHandoffEndsIdleAndIsRetained: a 1:1 (notify) handoff an
// agent accepted but never ended (no end link, and the user never wrote to
// the bot again) is closed by the idle timer handoff.one_on_one_idle after
// acceptance, so retention.users and retention.handoffs apply to it.
func TestAcceptedOneOnOneHandoffEndsIdleAndIsRetained(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	p := *m.TimerConfig.Policy()
	p.OneOnOneIdle = time.Second
	m.TimerConfig.Set(&p)

	s := newSession(t, m, clock, "u-idle-forever")
	id := acceptOneOnOne(t, m, s)
	later := clock.Now().Add(2 * 366 * 24 * time.Hour) // past retention.users (365d) and handoffs (90d)
	waitIdleClosed(t, m, s, id, later)
}

// TestRepairSchedulesIdleForAcceptedOneOnOne: an accepted 1:1 handoff left
// open without an idle timer (accepted by a version without
// handoff.one_on_one_idle) gets one at start, due from its acceptance: two
// days on, it closes at once.
func TestRepairSchedulesIdleForAcceptedOneOnOne(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	// The start-up repair runs in the background: had it run after the
	// policy change below, it would have scheduled the timer itself.
	<-m.repaired
	p := *m.TimerConfig.Policy()
	p.OneOnOneIdle = -1 // as before the upgrade: no idle timer for 1:1
	m.TimerConfig.Set(&p)

	s := newSession(t, m, clock, "u-idle-repair")
	id := acceptOneOnOne(t, m, s)
	if _, found, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || found {
		t.Fatalf("idle timer before the upgrade: found %v (err %v), want none", found, err)
	}
	keys, err := m.DB.ConversationsWithoutTimer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != s.user {
		t.Errorf("conversations without timer: got %v, want [%s]", keys, s.user)
	}

	// The upgrade, two days after the acceptance: the default
	// one_on_one_idle (24h) is long past, so the timer fires at once.
	clock.Advance(48 * time.Hour)
	p.OneOnOneIdle = 0
	m.TimerConfig.Set(&p)
	if n, err := m.Timers.Repair(context.Background()); err != nil || n != 1 {
		t.Fatalf("repair: got %d (err %v), want 1", n, err)
	}
	h, _, err := m.DB.Handoff(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if tm, _, err := m.DB.Timer(context.Background(), store.TimerIdle, id); err != nil || !tm.DueAt.Equal(h.AcceptedAt.Add(configs.DefaultOneOnOneIdle)) {
		t.Errorf("repaired idle timer: %+v (err %v), want due one_on_one_idle after the acceptance", tm, err)
	}
	waitIdleClosed(t, m, s, id, clock.Now().Add(2*366*24*time.Hour))
}
