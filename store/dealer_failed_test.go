package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestDealerFailedLeavesTheQueue: a handoff with a "dealer:<name>:failed"
// delivery is reported by DealerFailed and no longer counts as waiting, in
// WaitingAhead and in ListHandoffs with Waiting; other deliveries (the
// dealer's own, a sink's) change nothing.
func TestDealerFailedLeavesTheQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	var hs []Handoff
	for i := range 3 {
		key := fmt.Sprintf("u-q%d", i)
		h := Handoff{ID: fmt.Sprintf("01H%d", i), Code: "C00" + fmt.Sprint(i), UserKey: key, Queue: "vip",
			Target: "dealer:acme", CreatedAt: at.Add(time.Duration(i) * time.Second)}
		w := &TurnWrite{User: User{Key: key, FirstSeen: at, LastSeen: at},
			Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: "vip"},
			Turn:        Turn{ID: NewID(at), UserKey: key, At: at, State: fsm.StateWaiting},
			OpenHandoff: &h}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatalf("Commit %s: %v", key, err)
		}
		hs = append(hs, h)
	}
	for _, target := range []string{"dealer:acme", "notify:0:webhook"} {
		if err := db.MarkDelivered(ctx, hs[1].ID, target, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkDelivered(ctx, hs[0].ID, "dealer:acme:failed", at); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, false} {
		if got, err := db.DealerFailed(ctx, hs[i].ID); err != nil || got != want {
			t.Errorf("DealerFailed(%s): got %v, %v; want %v", hs[i].ID, got, err, want)
		}
	}
	for i, want := range []int{0, 0, 1} {
		if got, err := db.WaitingAhead(ctx, hs[i]); err != nil || got != want {
			t.Errorf("WaitingAhead(%s): got %d, %v; want %d", hs[i].ID, got, err, want)
		}
	}
	list, err := db.ListHandoffs(ctx, HandoffFilter{Waiting: true, Queue: "vip"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range list {
		ids = append(ids, h.ID)
	}
	if got, want := fmt.Sprint(ids), fmt.Sprint([]string{hs[2].ID, hs[1].ID}); got != want {
		t.Errorf("ListHandoffs(Waiting): got %s, want %s", got, want)
	}
}
