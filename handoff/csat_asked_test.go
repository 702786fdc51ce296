package handoff

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// endedSession stores a human session of user key (a friend on bot) on the
// general queue: handoff id requested, accepted and ended a minute apart,
// ending now.
func endedSession(t *testing.T, db *store.DB, key, bot, id string) {
	t.Helper()
	now := time.Now()
	var version int64
	for _, edit := range []func(w *store.TurnWrite){
		func(w *store.TurnWrite) {
			w.OpenHandoff = &store.Handoff{ID: id, Code: id, Queue: "general", Target: "notify", CreatedAt: now.Add(-2 * time.Minute)}
		},
		func(w *store.TurnWrite) { w.AcceptHandoff = &store.HandoffAccept{ID: id, At: now.Add(-time.Minute)} },
		func(w *store.TurnWrite) { w.EndHandoff = &store.HandoffEnd{ID: id, Reason: "agent_link", At: now} },
	} {
		w := &store.TurnWrite{
			User: store.User{Key: key, BotID: bot, IsFriend: true, FirstSeen: now, LastSeen: now},
			Conv: fsm.Conversation{UserKey: key, State: fsm.StateBot, Version: version},
		}
		edit(w)
		if err := db.Commit(context.Background(), w); err != nil {
			t.Fatal(err)
		}
		version = w.Conv.Version
	}
}

// TestCSATAskedOnlyWhenTheEventAPIDelivered: the report counts a session
// as asked by the Event API only when Kakao accepted the call that carried
// the question. The deliverer marks the notification sent before it calls
// (so that a crash never sends twice); a call whose answer cannot be read
// stays sent and is never resent, but nobody can say the user got it, and
// a refused one fails: neither is an asked question.
func TestCSATAskedOnlyWhenTheEventAPIDelivered(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	d := newTestDeliverer(t, db, rec, testEventConfig())
	for _, tc := range []struct {
		user, handoff string
		status        int // the stand-in's answer to the talk call; 0: SUCCESS with a task id
		want          string
	}{
		{"c-ok", "h-delivered", 0, store.NotificationSent},
		{"c-unread", "h-unknown", http.StatusOK, store.NotificationSent}, // 200 with no body: outcome unknown
		{"c-refused", "h-refused", http.StatusBadRequest, store.NotificationFailed},
	} {
		endedSession(t, db, tc.user, "bot1", tc.handoff)
		id := notify(t, db, tc.user, store.NotifyCSAT, tc.handoff)
		rec.set(func() { rec.talkStatus = tc.status })
		if _, err := d.DeliverOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := notificationStatus(t, db, id); st != tc.want {
			t.Fatalf("%s: notification %s, want %s", tc.handoff, st, tc.want)
		}
	}
	if n := len(rec.gotTalks()); n != 3 {
		t.Fatalf("the Event API stand-in got %d calls, want 3", n)
	}
	r, err := db.UnansweredReport(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Handoffs) != 1 || r.Handoffs[0].CSAT.SessionsEnded != 3 || r.Handoffs[0].CSAT.Asked != 1 {
		t.Fatalf("report: got %+v, want 3 sessions ended, 1 asked (the delivered question)", r.Handoffs)
	}
}
