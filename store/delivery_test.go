package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

func TestDeliveriesAndRecentTurns(t *testing.T) {
	t.Parallel()
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

// TestAdoptSinkNames: on a store migration 00023 marked (an older baton
// wrote delivery records keyed by a sink's place in the notify list),
// AdoptSinkNames renames the records it is given names for — a request,
// its handoff.closed, a ticket's — and leaves the others (a sink the
// config no longer has, a dealer), once: a second call, whatever its
// names, renames nothing.
func TestAdoptSinkNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	at := time.UnixMilli(1_700_000_000_000)
	w := testTurn("u-1", 0, at)
	w.OpenHandoff = &Handoff{ID: "h-1", Code: "A7K2", UserKey: "u-1", Queue: "general", Target: "notify", CreatedAt: at}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OpenTicket(ctx, Ticket{ID: "t-1", UserKey: "u-1", Queue: "general", Reason: "user_message", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"notify:0:webhook", "notify:0:webhook:closed", "notify:1:slack", "notify:2:webhook", "dealer:acme"} {
		if err := db.MarkDelivered(ctx, "h-1", target, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkTicketDelivered(ctx, "t-1", "notify:1:slack", at); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"notify:0:webhook": "notify:hook", "notify:0:webhook:closed": "notify:hook:closed",
		"notify:1:slack": "notify:team"}
	if n, err := db.AdoptSinkNames(ctx, names); err != nil || n != 0 {
		t.Fatalf("an unmarked store: renamed %d (err %v), want 0", n, err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO legacy_sink_names (pending) VALUES (1)`) // as 00023 does
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		names map[string]string
		want  int64
	}{{names, 4}, {map[string]string{"notify:2:webhook": "notify:new"}, 0}} {
		if n, err := db.AdoptSinkNames(ctx, c.names); err != nil || n != c.want {
			t.Fatalf("call %d: renamed %d (err %v), want %d", i+1, n, err, c.want)
		}
	}
	targets := func(m map[string]time.Time, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return slices.Sorted(maps.Keys(m))
	}
	if got, want := targets(db.Deliveries(ctx, "h-1")), []string{"dealer:acme", "notify:2:webhook", "notify:hook", "notify:hook:closed", "notify:team"}; !slices.Equal(got, want) {
		t.Errorf("handoff deliveries %v, want %v", got, want)
	}
	if got, want := targets(db.TicketDeliveries(ctx, "t-1")), []string{"notify:team"}; !slices.Equal(got, want) {
		t.Errorf("ticket deliveries %v, want %v", got, want)
	}
}
