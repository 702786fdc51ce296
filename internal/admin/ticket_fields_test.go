package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestTicketsShowTestAndContactPref: GET /admin/tickets and GET
// /admin/tickets/{id} show a ticket opened for a tester's handoff with
// "test": true and the contact preference the user stated during the
// intake, and a customer's ticket without one with "test": false and no
// contact_preference.
func TestTicketsShowTestAndContactPref(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	manager, _ := f.newToken(t, "상담팀", store.RoleManager)
	at := time.Now().UTC().Truncate(time.Millisecond)
	tester := failedOverTicket(t, db, "u-tester-7c1d", true, fsm.ContactPrefSMS, at)
	customer := failedOverTicket(t, db, "u-customer-7c1d", false, "", at.Add(time.Millisecond))
	want := map[string]struct {
		test bool
		pref any
	}{tester: {true, fsm.ContactPrefSMS}, customer: {false, nil}}

	check := func(where string, tk map[string]any) {
		t.Helper()
		id, _ := tk["id"].(string)
		w, ok := want[id]
		if !ok {
			t.Errorf("%s: got ticket %q, want one of %s, %s", where, id, tester, customer)
			return
		}
		if tk["test"] != w.test || tk["contact_preference"] != w.pref {
			t.Errorf("%s: ticket %s got test %v, contact_preference %v; want %v, %v",
				where, id, tk["test"], tk["contact_preference"], w.test, w.pref)
		}
	}
	code, body := f.call(t, http.MethodGet, "/admin/tickets", manager, nil)
	list, _ := body["tickets"].([]any)
	if code != http.StatusOK || len(list) != 2 {
		t.Fatalf("GET /admin/tickets: got %d %v, want 200 and two tickets", code, body)
	}
	for _, tk := range list {
		m, _ := tk.(map[string]any)
		check("GET /admin/tickets", m)
	}
	for id := range want {
		code, body := f.call(t, http.MethodGet, "/admin/tickets/"+id, manager, nil)
		if code != http.StatusOK {
			t.Fatalf("GET /admin/tickets/%s: got %d %v, want 200", id, code, body)
		}
		m, _ := body["ticket"].(map[string]any)
		check("GET /admin/tickets/{id}", m)
	}
}

// failedOverTicket opens a dealer handoff of user key (test traffic when
// test, with contact preference pref) and the dealer_failed ticket the
// router opens when it fails the dealer over, and returns the ticket's id.
func failedOverTicket(t *testing.T, db *store.DB, key string, test bool, pref string, at time.Time) string {
	t.Helper()
	ctx := context.Background()
	h := store.Handoff{ID: store.NewID(at), Code: "F7C1", UserKey: key, Queue: "general", Target: "dealer:acme",
		Reason: "menu", CreatedAt: at, Test: test, ContactPref: pref}
	w := &store.TurnWrite{User: store.User{Key: key, FirstSeen: at, LastSeen: at, Test: test},
		Conv:        fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: h.ID, Queue: h.Queue},
		Turn:        store.Turn{ID: store.NewID(at), UserKey: key, At: at, State: fsm.StateWaiting, Test: test},
		OpenHandoff: &h}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	tk := store.Ticket{ID: store.NewID(at), HandoffID: h.ID, Reason: "dealer_failed"}
	if failed, err := db.FailDealerOver(ctx, tk, "dealer:acme:failed", at); err != nil || !failed {
		t.Fatalf("fail the dealer over: got %v, %v; want a ticket", failed, err)
	}
	return tk.ID
}
