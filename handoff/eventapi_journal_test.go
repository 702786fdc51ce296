package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestDelivererReadsTheUsersRowTheJournalHasNotWrittenYet: a user first
// talks before adding the channel, then adds it and talks again. That second
// turn is journaled (store/journal.go): the users row keeps is_friend = 0 for
// up to FlushAge (10 s), while the cache — what every turn and the admin's
// answer-delivery verdict read — says friend. An agent answers the user's
// ticket right then. The deliverer must not read the stale row and skip the
// ticket reply "not a friend" for good: PendingEventRecipients writes the
// journaled rows first (Flush) when anything is due.
func TestDelivererReadsTheUsersRowTheJournalHasNotWrittenYet(t *testing.T) {
	db := testutil.Store(t) // default options: cache and journal on, FlushAge 10 s
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	const user = "new-friend"
	eventUser(t, db, user, "bot1", false, false) // first turn: not a friend yet

	// The next turn: the user has added the channel.
	u, conv, found, err := db.Load(ctx, user)
	if err != nil || !found {
		t.Fatalf("load: %v %v", found, err)
	}
	now := time.Now()
	u.IsFriend, u.LastSeen = true, now
	if err := db.Commit(ctx, &store.TurnWrite{User: u, Conv: conv,
		Turn: store.Turn{ID: store.NewID(now), UserKey: user, At: now, Kind: "menu", State: conv.State}}); err != nil {
		t.Fatal(err)
	}
	if u2, _, _, _ := db.Load(ctx, user); !u2.IsFriend {
		t.Fatal("setup: the store does not say the user is a friend")
	}

	// An agent answers the user's ticket: a ticket_reply notification.
	id := notify(t, db, user, store.NotifyTicketReply, "T-journal")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	st, detail := notificationStatus(t, db, id)
	if n := len(rec.gotTalks()); n != 1 || st != store.NotificationSent {
		t.Fatalf("a friend's ticket reply: got %d Event API calls and the notification %s (%q); want 1 call and sent "+
			"(the deliverer read the users row the journal had not written yet)", n, st, detail)
	}
}
