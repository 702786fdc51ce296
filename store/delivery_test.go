package store

import (
	"context"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

func TestDeliveriesAndRecentTurns(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	var v int64
	for i, text := range []string{"첫째", "둘째", "셋째"} {
		w := testTurn("u-del", v, at.Add(time.Duration(i)*time.Second))
		w.Turn.ID, w.Turn.UserKey, w.Turn.Utterance = NewID(w.Turn.At), "u-del", text
		if i == 2 {
			w.Conv.State, w.Conv.HandoffID = fsm.StateWaiting, "01HDEL"
			w.OpenHandoff = &Handoff{ID: "01HDEL", Code: "AB23", UserKey: "u-del", Queue: "general", Target: "notify", CreatedAt: w.Turn.At}
		}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatalf("Commit %d: %v", i, err)
		}
		v = w.Conv.Version
	}

	turns, err := db.RecentTurns(ctx, "u-del", at.Add(time.Hour), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(turns) != 2 || turns[0].Utterance != "둘째" || turns[1].Utterance != "셋째" {
		t.Fatalf("got turns %+v, want 둘째 then 셋째", turns)
	}

	got, err := db.Deliveries(ctx, "01HDEL")
	if err != nil || len(got) != 0 {
		t.Fatalf("got deliveries %v (err %v), want none", got, err)
	}
	for _, when := range []time.Time{at, at.Add(time.Minute)} {
		if err := db.MarkDelivered(ctx, "01HDEL", "notify:0:webhook", when); err != nil {
			t.Fatalf("MarkDelivered: %v", err)
		}
	}
	got, err = db.Deliveries(ctx, "01HDEL")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got["notify:0:webhook"].Equal(at) {
		t.Fatalf("got deliveries %v, want notify:0:webhook at %v (first time kept)", got, at)
	}
	if err := db.MarkDelivered(ctx, "01HNOPE", "notify:0:webhook", at); err == nil {
		t.Fatal("MarkDelivered for an unknown handoff: got nil error, want a foreign key error")
	}
}
