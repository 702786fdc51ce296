package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestLatestNotification: a user's notification is found by kind and ref,
// the latest one when there are several; another ref, kind or user finds
// none.
func TestLatestNotification(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	for _, key := range []string{"n1", "n2"} {
		if err := db.Commit(ctx, testTurn(key, 0, now)); err != nil {
			t.Fatal(err)
		}
	}
	older := &Notification{UserKey: "n1", Kind: NotifyWaitTimeout, Ref: "h1", CreatedAt: now.Add(-time.Minute)}
	newer := &Notification{UserKey: "n1", Kind: NotifyWaitTimeout, Ref: "h1", CreatedAt: now}
	for _, n := range []*Notification{older, newer,
		{UserKey: "n1", Kind: NotifyCSAT, Ref: "h1", CreatedAt: now.Add(time.Minute)},
		{UserKey: "n2", Kind: NotifyWaitTimeout, Ref: "h2", CreatedAt: now.Add(time.Minute)}} {
		if err := db.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := LatestNotification(ctx, db, "n1", NotifyWaitTimeout, "h1")
	if err != nil || !ok || got.ID != newer.ID || got.Status != NotificationPending {
		t.Fatalf("got %+v, %v, %v; want the newer pending wait_timeout notification %s", got, ok, err, newer.ID)
	}
	for _, q := range [][3]string{{"n1", NotifyWaitTimeout, "h2"}, {"n2", NotifyWaitTimeout, "h1"}, {"n1", NotifyReopen, "h1"}} {
		if got, ok, err := LatestNotification(ctx, db, q[0], q[1], q[2]); err != nil || ok {
			t.Errorf("%v: got %+v, %v, %v; want none", q, got, ok, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LatestNotification(ctx, db, "n1", NotifyWaitTimeout, "h1"); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: got %v, want ErrClosed", err)
	}
}

// TestWithdrawNotificationOp: a turn withdraws a pending notification
// (skipped, with the detail); once it is no longer pending — withdrawn, or
// taken by the Event API deliverer — the turn conflicts and writes nothing.
func TestWithdrawNotificationOp(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	ctx := context.Background()
	now := time.Now()
	if err := db.Commit(ctx, testTurn("w1", 0, now)); err != nil {
		t.Fatal(err)
	}
	n := &Notification{UserKey: "w1", Kind: NotifyWaitTimeout, Ref: "h1", CreatedAt: now}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	w := testTurn("w1", 1, now.Add(time.Second))
	w.Ops = []Op{WithdrawNotificationOp(n.ID, "told", now.Add(time.Second))}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Notification(ctx, n.ID)
	if got.Status != NotificationSkipped || got.Detail != "told" {
		t.Fatalf("got %s (%q), want skipped (told)", got.Status, got.Detail)
	}
	again := testTurn("w1", 2, now.Add(2*time.Second))
	again.Ops = []Op{WithdrawNotificationOp(n.ID, "told again", now.Add(2*time.Second))}
	if err := db.Commit(ctx, again); !errors.Is(err, ErrConflict) {
		t.Fatalf("withdrawing a notification no longer pending: got %v, want ErrConflict", err)
	}
	if got, _, _ := db.Notification(ctx, n.ID); got.Detail != "told" {
		t.Errorf("the conflicting turn changed the notification: %+v", got)
	}
}

// TestPendingEventRecipientsReadsJournaledFriendFlag: the deliverer reads
// the friend flag a journaled turn carried, not the users row the journal
// has not written yet; with nothing due it writes nothing (it asks every
// few seconds).
func TestPendingEventRecipientsReadsJournaledFriendFlag(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{}) // cache and journal on, FlushAge 10 s
	ctx := context.Background()
	now := time.Now()
	first := testTurn("j1", 0, now)
	first.User.IsFriend = false
	if err := db.Commit(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	second := testTurn("j1", 1, now.Add(time.Second)) // the user added the channel
	if err := db.Commit(ctx, second); err != nil {
		t.Fatal(err)
	}
	if db.Stats().Dirty == 0 {
		t.Fatal("setup: the second turn's rows are written already; want them in the journal")
	}
	n := &Notification{UserKey: "j1", Kind: NotifyTicketReply, Ref: "T1", CreatedAt: now, NotBefore: now.Add(time.Hour)}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	batches := db.Stats().Batches
	if got, err := db.PendingEventRecipients(ctx, now, 10); err != nil || len(got) != 0 {
		t.Fatalf("nothing due: got %+v, %v", got, err)
	}
	if s := db.Stats(); s.Batches != batches || s.Dirty == 0 {
		t.Errorf("nothing due: %d batches and %d dirty after, want %d and the rows still in the journal", s.Batches, s.Dirty, batches)
	}
	got, err := db.PendingEventRecipients(ctx, now.Add(time.Hour), 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("due: got %+v, %v; want the ticket reply", got, err)
	}
	if !got[0].IsFriend {
		t.Errorf("due: the recipient is not a friend; want the flag the user's last turn carried")
	}
}
