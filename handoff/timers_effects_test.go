package handoff

import (
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// fakeHours is closed until opens (zero: open; unknown: closed, no next).
type fakeHours struct {
	opens   time.Time
	unknown bool
}

func (h fakeHours) Open(_ string, t time.Time) (bool, time.Time) {
	if h.unknown {
		return false, time.Time{}
	}
	if h.opens.IsZero() || !t.Before(h.opens) {
		return true, time.Time{}
	}
	return false, h.opens
}

func testPolicy(h fsm.Hours) *TimerPolicy {
	n := 0
	return &TimerPolicy{
		DealerWait: 10 * time.Minute, NotifyWait: 30 * time.Minute,
		QueueWait:    map[string]time.Duration{"vip": 5 * time.Minute},
		DealerQueues: map[string]bool{"vip": true, "talk": true},
		DefaultQueue: "general", Hours: h,
		NewID: func(time.Time) string { n++; return fmt.Sprintf("T%d", n) },
	}
}

func TestTimerPolicyPlan(t *testing.T) {
	// 2026-02-13 is the Friday before 설 (2026-02-16..18): the office opens
	// again on Thursday 2026-02-19 at 09:00 KST.
	kst := time.FixedZone("KST", 9*3600)
	now := time.Date(2026, 2, 13, 18, 30, 0, 0, kst)
	afterSeollal := time.Date(2026, 2, 19, 9, 0, 0, 0, kst)
	lunchEnds := now.Add(30 * time.Minute)
	friend := store.User{Key: "u1", IsFriend: true}
	stranger := store.User{Key: "u1"}
	tr := func(from, to fsm.State, ev, reason string) fsm.Transition {
		return fsm.Transition{From: from, To: to, Event: ev, Reason: reason}
	}
	conv := func(s fsm.State, handoff, queue string) fsm.Conversation {
		return fsm.Conversation{UserKey: "u1", State: s, HandoffID: handoff, Queue: queue}
	}
	sched := func(kind, id, handoff string, due time.Time, payload string) ScheduledTimer {
		st := ScheduledTimer{Timer: store.Timer{Kind: kind, ID: id, UserKey: "u1", HandoffID: handoff, DueAt: due, CreatedAt: now}, Payload: payload}
		if kind == store.TimerReopen {
			st.Timer.Queue = payload // the row keeps the queue too
		}
		return st
	}
	tests := []struct {
		name  string
		hours fsm.Hours
		user  store.User
		o     fsm.Outcome
		// accept is the turn's handoff accept (PlanTurn), nil for Plan.
		accept *store.HandoffAccept
		want   TimerPlan
	}{
		{
			name: "notify handoff opens: wait_timeout after handoff.wait_timeout.notify",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateWaiting, "h1", "general"),
				Transitions: []fsm.Transition{tr(fsm.StateBot, fsm.StateWaiting, fsm.EventEscalate, "keyword")},
				Open:        &fsm.HandoffOpen{ID: "h1", Queue: "general", Target: "notify"}},
			want: TimerPlan{Schedule: []ScheduledTimer{sched(store.TimerWaitTimeout, "h1", "h1", now.Add(30*time.Minute), "")}},
		},
		{
			name: "dealer handoff opens: the queue's own wait_timeout",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateWaiting, "h1", "vip"),
				Open: &fsm.HandoffOpen{ID: "h1", Queue: "vip", Target: "dealer:happytalk"}},
			want: TimerPlan{Schedule: []ScheduledTimer{sched(store.TimerWaitTimeout, "h1", "h1", now.Add(5*time.Minute), "")}},
		},
		{
			name: "dealer handoff opens without an override: the dealer wait",
			user: friend,
			o:    fsm.Outcome{Conversation: conv(fsm.StateWaiting, "h1", "talk"), Open: &fsm.HandoffOpen{ID: "h1", Queue: "talk", Target: "dealer:x"}},
			want: TimerPlan{Schedule: []ScheduledTimer{sched(store.TimerWaitTimeout, "h1", "h1", now.Add(10*time.Minute), "")}},
		},
		{
			name: "dealer wait times out: timer fired, handoff timers cancelled, apology recorded",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateBot, fsm.EventWaitTimeout, fsm.EventWaitTimeout)},
				Close:       &fsm.HandoffClose{ID: "h1", Reason: fsm.EventWaitTimeout, NotifyDealer: true}},
			want: TimerPlan{
				Fire:   []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}},
				Cancel: []TimerRef{{HandoffID: "h1"}},
				Notify: []store.Notification{{UserKey: "u1", Kind: store.NotifyWaitTimeout, Ref: "h1", CreatedAt: now, NotBefore: now}},
			},
		},
		{
			name: "one_on_one wait times out: closed silently (no notification)",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateBot, fsm.EventWaitTimeout, fsm.EventWaitTimeout)},
				Close:       &fsm.HandoffClose{ID: "h1", Reason: fsm.EventWaitTimeout}},
			want: TimerPlan{Fire: []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}}, Cancel: []TimerRef{{HandoffID: "h1"}}},
		},
		{
			name: "user cancels: the handoff's timers are cancelled",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateBot, fsm.EventCancel, fsm.EventCancel)},
				Close:       &fsm.HandoffClose{ID: "h1", Reason: fsm.EventCancel, NotifyDealer: true}},
			want: TimerPlan{Cancel: []TimerRef{{HandoffID: "h1"}}},
		},
		{
			name: "dealer accepts: wait_timeout cancelled, idle timer starts",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateHuman, "h1", "vip"),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateHuman, fsm.EventAccepted, "session.started")}},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}},
				Schedule: []ScheduledTimer{sched(store.TimerIdle, "h1", "h1", now.Add(DefaultHumanIdle), "")},
			},
		},
		{
			name: "dealer accepts a handoff whose queue a reload removed: still the dealer's idle rule",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateHuman, "h1", "gone"),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateHuman, fsm.EventAccepted, fsm.ReasonDealerSession)}},
			accept: &store.HandoffAccept{ID: "h1", At: now, ByDealer: true},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}},
				Schedule: []ScheduledTimer{sched(store.TimerIdle, "h1", "h1", now.Add(DefaultHumanIdle), "")},
			},
		},
		{
			name: "1:1 agent accepts: wait_timeout cancelled, idle timer after handoff.one_on_one_idle",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateHuman, "h1", "general"),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateHuman, fsm.EventAccepted, "link")}},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}},
				Schedule: []ScheduledTimer{sched(store.TimerIdle, "h1", "h1", now.Add(configs.DefaultOneOnOneIdle), "")},
			},
		},
		{
			name: "an agent accepts a failed-over dealer handoff: the 1:1 idle rule, not the dealer's",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateHuman, "h1", "vip"),
				Transitions: []fsm.Transition{tr(fsm.StateWaiting, fsm.StateHuman, fsm.EventAccepted, "agent_link")}},
			accept: &store.HandoffAccept{ID: "h1", At: now, FailedOver: true},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerWaitTimeout, ID: "h1"}},
				Schedule: []ScheduledTimer{sched(store.TimerIdle, "h1", "h1", now.Add(configs.DefaultOneOnOneIdle), "")},
			},
		},
		{
			name: "idle timer ends the session: idle fired, handoff timers cancelled",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateHuman, fsm.StateBot, fsm.EventEnded, ReasonIdle)},
				Close:       &fsm.HandoffClose{ID: "h1", Reason: ReasonIdle}},
			want: TimerPlan{Fire: []TimerRef{{Kind: store.TimerIdle, ID: "h1"}}, Cancel: []TimerRef{{HandoffID: "h1"}}},
		},
		{
			name:  "closed at lunch: after_hours until the opening, 30 minutes away",
			hours: fakeHours{opens: lunchEnds},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateAfterHours, "", "general"),
				Transitions: []fsm.Transition{tr(fsm.StateBot, fsm.StateAfterHours, fsm.EventEscalate, "keyword")}},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}},
				Schedule: []ScheduledTimer{sched(store.TimerAfterHours, "T1", "", lunchEnds, "")},
			},
		},
		{
			name:  "closed for 설: after_hours ends after the idle bound",
			hours: fakeHours{opens: afterSeollal},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateAfterHours, "", "general"),
				Transitions: []fsm.Transition{tr(fsm.StateConfirm, fsm.StateAfterHours, fsm.EventConfirmYes, "keyword")}},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}},
				Schedule: []ScheduledTimer{sched(store.TimerAfterHours, "T1", "", now.Add(DefaultAfterHoursIdle), "")},
			},
		},
		{
			name:  "a menu tap leaves after_hours: its timer is cancelled",
			hours: fakeHours{opens: afterSeollal},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateAfterHours, fsm.StateBot, fsm.EventMenuTap, fsm.EventMenuTap)}},
			want: TimerPlan{Cancel: []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}}},
		},
		{
			name:  "the after_hours timer expires the stay: fired",
			hours: fakeHours{opens: afterSeollal},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateAfterHours, fsm.StateBot, fsm.EventExpire, fsm.ReasonAfterHoursExpired)}},
			want: TimerPlan{
				Fire:   []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}},
				Cancel: []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}},
			},
		},
		{
			name:  "notify-on-open over 설: reopen at the opening plus a stagger",
			hours: fakeHours{opens: afterSeollal},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", "vip"),
				Transitions: []fsm.Transition{tr(fsm.StateAfterHours, fsm.StateBot, fsm.EventNotifyOnOpen, fsm.EventNotifyOnOpen)}},
			want: TimerPlan{
				Cancel: []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}, {Kind: store.TimerReopen, UserKey: "u1"}},
				Schedule: []ScheduledTimer{sched(store.TimerReopen, "T1", "",
					testPolicy(fakeHours{opens: afterSeollal}).ReopenDue("vip", "T1", now), "vip")},
			},
		},
		{
			name:  "notify-on-open at lunch: reopen exactly at the opening",
			hours: fakeHours{opens: lunchEnds},
			user:  friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", ""),
				Transitions: []fsm.Transition{tr(fsm.StateAfterHours, fsm.StateBot, fsm.EventNotifyOnOpen, fsm.EventNotifyOnOpen)}},
			want: TimerPlan{
				Cancel:   []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}, {Kind: store.TimerReopen, UserKey: "u1"}},
				Schedule: []ScheduledTimer{sched(store.TimerReopen, "T1", "", lunchEnds, "general")},
			},
		},
		{
			name:  "notify-on-open from a non-friend: no reopen",
			hours: fakeHours{opens: lunchEnds},
			user:  stranger,
			o: fsm.Outcome{Conversation: conv(fsm.StateBot, "", "general"),
				Transitions: []fsm.Transition{tr(fsm.StateAfterHours, fsm.StateBot, fsm.EventNotifyOnOpen, fsm.EventNotifyOnOpen)}},
			want: TimerPlan{Cancel: []TimerRef{{Kind: store.TimerAfterHours, UserKey: "u1"}}},
		},
		{
			name: "back from a human and escalating again: old timers cancelled, new wait_timeout",
			user: friend,
			o: fsm.Outcome{Conversation: conv(fsm.StateWaiting, "h2", "general"),
				Transitions: []fsm.Transition{
					tr(fsm.StateHuman, fsm.StateBot, fsm.EventUserTurn, "returned_via_kakao"),
					tr(fsm.StateBot, fsm.StateWaiting, fsm.EventEscalate, "keyword")},
				Close: &fsm.HandoffClose{ID: "h1", Reason: "returned_via_kakao"},
				Open:  &fsm.HandoffOpen{ID: "h2", Queue: "general", Target: "notify"}},
			want: TimerPlan{
				Cancel:   []TimerRef{{HandoffID: "h1"}},
				Schedule: []ScheduledTimer{sched(store.TimerWaitTimeout, "h2", "h2", now.Add(30*time.Minute), "")},
			},
		},
		{
			name: "a menu turn: nothing",
			user: friend,
			o:    fsm.Outcome{Conversation: conv(fsm.StateBot, "", "")},
			want: TimerPlan{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testPolicy(tc.hours).Plan(&tc.o, tc.user, now)
			if tc.accept != nil {
				got = testPolicy(tc.hours).PlanTurn(&tc.o, &store.TurnWrite{User: tc.user, AcceptHandoff: tc.accept}, now)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReopenStaggerSpreadsALongClosure(t *testing.T) {
	kst := time.FixedZone("KST", 9*3600)
	now := time.Date(2026, 2, 14, 11, 0, 0, 0, kst)
	opens := time.Date(2026, 2, 19, 9, 0, 0, 0, kst)
	p := testPolicy(fakeHours{opens: opens})
	buckets := map[time.Duration]int{}
	for i := range 400 {
		id := store.NewID(now.Add(time.Duration(i) * time.Millisecond))
		due := p.ReopenDue("general", id, now)
		if off := due.Sub(opens); off < 0 || off >= DefaultReopenStagger {
			t.Fatalf("reopen %s: got due %v, want within [opening, opening+%v)", id, due, DefaultReopenStagger)
		}
		if again := p.ReopenDue("general", id, now); !again.Equal(due) {
			t.Fatalf("reopen %s: got %v then %v, want the same due time (deterministic)", id, due, again)
		}
		buckets[due.Sub(opens)/(5*time.Minute)]++
	}
	if len(buckets) != 6 {
		t.Errorf("got reopens in %d five-minute buckets, want all 6 used: %v", len(buckets), buckets)
	}
	for b, n := range buckets {
		if n > 120 {
			t.Errorf("bucket %d holds %d of 400 reopens, want a spread (≤ 120)", b, n)
		}
	}
	if due := p.ReopenDue("general", "x", opens.Add(-time.Hour)); !due.Equal(opens) {
		t.Errorf("reopen an hour before opening: got %v, want exactly %v (no stagger)", due, opens)
	}
	if due := p.ReopenDue("general", "x", opens.Add(time.Hour)); !due.Equal(opens.Add(time.Hour)) {
		t.Errorf("reopen while open: got %v, want now", due)
	}
	unknown := testPolicy(fakeHours{unknown: true})
	if due := unknown.ReopenDue("general", "x", now); !due.Equal(now.Add(DefaultLongClosure)) {
		t.Errorf("reopen with no known opening: got %v, want a re-check after %v", due, DefaultLongClosure)
	}
}

func TestAddTimersWritesRowsAndSchedules(t *testing.T) {
	now := time.Date(2026, 2, 13, 9, 30, 0, 500, time.UTC)
	o := &fsm.Outcome{Conversation: fsm.Conversation{UserKey: "u1", State: fsm.StateWaiting, HandoffID: "h1", Queue: "general"},
		Open: &fsm.HandoffOpen{ID: "h1", Queue: "general", Target: "notify"}}
	w := &store.TurnWrite{User: store.User{Key: "u1"}}
	Effects{}.addTimers(o, w, now)
	if len(w.Ops) != 0 || len(w.Outbox) != 0 {
		t.Fatalf("zero Effects: got %d ops, %d messages; want none", len(w.Ops), len(w.Outbox))
	}
	p := testPolicy(nil)
	p.Wall = func() time.Time { return now.Add(-time.Hour) } // NATS's clock, an hour behind the turn's
	Effects{Timers: NewTimerConfig(p)}.addTimers(o, w, now)
	if len(w.Ops) != 1 || w.Ops[0].SQL != store.ScheduleTimerOp(store.Timer{}).SQL {
		t.Fatalf("ops: got %+v, want one schedule", w.Ops)
	}
	if len(w.Outbox) != 1 {
		t.Fatalf("outbox: got %d messages, want 1", len(w.Outbox))
	}
	m := w.Outbox[0]
	want := map[string]string{
		"Nats-Schedule":        "@at 2026-02-13T09:00:01Z", // 30 min on NATS's clock, rounded up: never early
		"Nats-Schedule-Target": "baton.timer.fire.wait_timeout.h1",
	}
	if m.Subject != "baton.timer.sched.wait_timeout.h1" || len(m.Payload) != 0 {
		t.Errorf("schedule: got subject %s payload %q, want baton.timer.sched.wait_timeout.h1 and none", m.Subject, m.Payload)
	}
	if diff := cmp.Diff(want, m.Headers); diff != "" {
		t.Errorf("schedule headers (-want +got):\n%s", diff)
	}
}

// BenchmarkAddTimers measures the timer work a turn adds: nothing for a
// menu or FAQ turn (most turns), one row and one schedule for an escalation.
func BenchmarkAddTimers(b *testing.B) {
	now := time.Date(2026, 2, 13, 9, 30, 0, 0, time.UTC)
	e := Effects{Timers: NewTimerConfig(benchPolicy())}
	cases := []struct {
		name string
		o    fsm.Outcome
	}{
		{"menu_turn", fsm.Outcome{Conversation: fsm.Conversation{UserKey: "u1", State: fsm.StateBot}}},
		{"escalation", fsm.Outcome{Conversation: fsm.Conversation{UserKey: "u1", State: fsm.StateWaiting, HandoffID: "h1", Queue: "general"},
			Transitions: []fsm.Transition{{From: fsm.StateBot, To: fsm.StateWaiting, Event: fsm.EventEscalate, Reason: "keyword"}},
			Open:        &fsm.HandoffOpen{ID: "01KAZ0000000000000000000H1", Queue: "general", Target: "notify"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := store.TurnWrite{User: store.User{Key: "u1"}}
				e.addTimers(&c.o, &w, now)
			}
		})
	}
}

// benchPolicy is the example config's policy shape.
func benchPolicy() *TimerPolicy {
	return &TimerPolicy{DealerWait: 10 * time.Minute, NotifyWait: 30 * time.Minute,
		QueueWait: map[string]time.Duration{}, DealerQueues: map[string]bool{"vip": true}, DefaultQueue: "general"}
}

func TestTimerPolicyIdleFor(t *testing.T) {
	tests := []struct {
		name            string
		human, oneOnOne time.Duration
		queue           string
		want            time.Duration
	}{
		{name: "dealer queue: HumanIdle default", queue: "vip", want: DefaultHumanIdle},
		{name: "1:1 queue: one_on_one_idle default", queue: "general", want: configs.DefaultOneOnOneIdle},
		{name: "1:1 queue: one_on_one_idle set", oneOnOne: 2 * time.Hour, queue: "general", want: 2 * time.Hour},
		{name: "1:1 queue: off", oneOnOne: -1, queue: "general", want: 0},
		{name: "dealer queue: off", human: -1, queue: "vip", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy(nil)
			p.HumanIdle, p.OneOnOneIdle = tt.human, tt.oneOnOne
			if got := p.IdleFor(tt.queue); got != tt.want {
				t.Errorf("IdleFor(%q): got %v, want %v", tt.queue, got, tt.want)
			}
		})
	}
}
