package handoff

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// TestEndedUntold: a dealer wait timeout whose apology the flags leave to
// the Event API (a friend, not test traffic, wait_timeout sent) is told on
// the next turn unless the apology went out: skipped (over budget…),
// failed, stale or never recorded (with a timer policy, which records it)
// are told; a pending one is told and withdrawn in the turn; a sent one is
// not told twice. The apology is read only for such a wait timeout.
func TestEndedUntold(t *testing.T) {
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	friend := store.User{Key: "u1", IsFriend: true}
	dealer := store.Handoff{ID: "h1", UserKey: "u1", Target: "dealer:happytalk", EndReason: "wait_timeout", EndedAt: at}
	oneOnOne, cancelled := dealer, dealer
	oneOnOne.Target = "notify"
	cancelled.EndReason = "user_cancel"
	apology := func(status string) *store.Notification {
		return &store.Notification{ID: "n1", UserKey: "u1", Kind: store.NotifyWaitTimeout, Ref: "h1", Status: status}
	}
	timers := &TimerConfig{}
	for _, tc := range []struct {
		name     string
		fx       Effects
		h        store.Handoff
		u        store.User
		apology  *store.Notification // nil: none recorded
		noReader bool
		want     bool
		withdraw bool
		read     bool
	}{
		{"sent: told by it, not twice", Effects{Timers: timers}, dealer, friend, apology(store.NotificationSent), false, false, false, true},
		{"skipped over budget", Effects{Timers: timers}, dealer, friend, apology(store.NotificationSkipped), false, true, false, true},
		{"failed", Effects{Timers: timers}, dealer, friend, apology(store.NotificationFailed), false, true, false, true},
		{"stale", Effects{Timers: timers}, dealer, friend, apology(store.NotificationStale), false, true, false, true},
		{"pending: told now, withdrawn", Effects{Timers: timers}, dealer, friend, apology(store.NotificationPending), false, true, true, true},
		{"never recorded, with a timer policy", Effects{Timers: timers}, dealer, friend, nil, false, true, false, true},
		{"never recorded, no timer policy records any", Effects{}, dealer, friend, nil, false, false, false, true},
		{"no reader: the flags alone", Effects{Timers: timers}, dealer, friend, nil, true, false, false, false},
		{"not a friend: the flags tell, no read", Effects{Timers: timers}, dealer, store.User{Key: "u1"}, apology(store.NotificationPending), false, true, false, false},
		{"one_on_one: silent, no read", Effects{Timers: timers}, oneOnOne, friend, apology(store.NotificationSkipped), false, false, false, false},
		{"a cancel: no read", Effects{Timers: timers}, cancelled, friend, apology(store.NotificationSkipped), false, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := false
			latest := func(_ context.Context, userKey, kind, ref string) (store.Notification, bool, error) {
				read = true
				if userKey != "u1" || kind != store.NotifyWaitTimeout || ref != "h1" {
					t.Errorf("read %s %s %s, want u1's wait_timeout apology of h1", userKey, kind, ref)
				}
				if tc.apology == nil {
					return store.Notification{}, false, nil
				}
				return *tc.apology, true, nil
			}
			if tc.noReader {
				latest = nil
			}
			told, ops, err := tc.fx.EndedUntold(context.Background(), tc.h, tc.u, latest, at)
			if err != nil {
				t.Fatal(err)
			}
			if told != tc.want || (len(ops) > 0) != tc.withdraw || read != tc.read {
				t.Fatalf("told %v, %d ops, read %v; want told %v, withdraw %v, read %v", told, len(ops), read, tc.want, tc.withdraw, tc.read)
			}
			if tc.withdraw && (len(ops) != 1 || !ops[0].MustAffect || ops[0].Args[len(ops[0].Args)-1] != "n1") {
				t.Errorf("ops %+v, want one MustAffect op withdrawing n1", ops)
			}
		})
	}

	boom := errors.New("disk")
	_, _, err := Effects{}.EndedUntold(context.Background(), dealer, friend,
		func(context.Context, string, string, string) (store.Notification, bool, error) {
			return store.Notification{}, false, boom
		}, at)
	if !errors.Is(err, boom) {
		t.Errorf("a failed read: got %v, want it returned", err)
	}
}
