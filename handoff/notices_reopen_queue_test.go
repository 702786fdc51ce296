package handoff

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestNoticesReopenCarriesTheQueue: the reopen notification's ref is the
// queue that opened (TimerConsumer.reopen); the notice hands it to the
// engine, whose 상담원 연결 then hands off to that queue, not to
// escalation.queue.
func TestNoticesReopenCarriesTheQueue(t *testing.T) {
	db := testutil.Store(t)
	ctx := context.Background()
	const user = "u-reopen-vip"
	eventUser(t, db, user, "bot1", true, false)
	id := notify(t, db, user, store.NotifyReopen, "vip")
	now := time.Now()
	s := &store.EventSend{ID: store.NewID(now), BotID: "bot1", Event: "상담 재개 알림", Day: now.Format(time.DateOnly), ReservedWon: 15, CreatedAt: now}
	if err := db.BeginEventSend(ctx, s, []store.EventItem{{NotificationID: id, UserKey: user}}, 1000); err != nil {
		t.Fatal(err)
	}
	n, ops, err := Notices{DB: db}.Notice(ctx, s.ID, user, fsm.StateBot, now)
	if err != nil || len(ops) != 0 {
		t.Fatalf("Notice: %v (ops %v)", err, ops)
	}
	if n == nil || n.Kind != fsm.NoticeReopen || n.Queue != "vip" {
		t.Fatalf("got notice %+v, want a reopen notice on vip", n)
	}
}
