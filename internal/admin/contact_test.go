package admin_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// contactBox returns a box over a key of b repeated.
func contactBox(t *testing.T, b byte) *store.ContactBox {
	t.Helper()
	box, err := store.NewContactBox(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// leaveTicket stores a user_message ticket of userKey, with contact sealed
// by box when contact is not empty, as the intake turn does, and returns the
// ticket.
func leaveTicket(t *testing.T, db *store.DB, box *store.ContactBox, userKey, contact string, at time.Time) store.Ticket {
	t.Helper()
	tk := store.Ticket{UserKey: userKey, Queue: "general", Code: "T4K9", Message: "전화 부탁드려요", CreatedAt: at}
	var ops []store.Op
	if contact != "" {
		tk.ContactID = store.NewID(at)
		op, err := box.AddContactOp(tk.ContactID, userKey, contact, at)
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	ops = append(ops, store.OpenTicketOp(&tk))
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for _, op := range ops {
			if _, err := tx.Exec(op.SQL, op.Args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("leave ticket: %v", err)
	}
	return tk
}

// TestTicketContactRoute: a master reads the number a user left with a
// ticket; a manager is refused; an unknown ticket, a ticket without a
// contact, a contact pruned by retention and one sealed under another key
// each get their own answer; every read that reached the store is in the
// access log with the ticket and the reader, and the number is nowhere in it.
func TestTicketContactRoute(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	box := contactBox(t, 7)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}, Contacts: box})
	manager, _ := f.newToken(t, "상담팀", store.RoleManager)
	master, masterID := f.newToken(t, "운영팀", store.RoleMaster)

	now := time.Now().UTC()
	u := testutil.SeedUser(t, db, "contact-user-5e2a", now.Add(-time.Hour))
	withContact := leaveTicket(t, db, box, u.Key, "01098765432", now)
	without := leaveTicket(t, db, box, u.Key, "", now)
	otherKey := leaveTicket(t, db, contactBox(t, 9), u.Key, "01011112222", now)
	pruned := leaveTicket(t, db, box, u.Key, "01033334444", now.Add(-40*24*time.Hour))
	if n, err := db.PruneContacts(ctx, now.Add(-30*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("prune contacts: got %d (%v), want 1", n, err)
	}

	path := func(id string) string { return "/admin/tickets/" + id + "/contact" }
	tests := []struct {
		name, token, id string
		want            int
		wantErr         string // a part of the error message
		logged          bool   // a read_contact row is written
	}{
		{"no token", "", withContact.ID, http.StatusUnauthorized, "missing admin token", false},
		{"manager", manager, withContact.ID, http.StatusForbidden, "master role", false},
		{"bootstrap master", bootToken, withContact.ID, http.StatusOK, "", true},
		{"stored master", master, withContact.ID, http.StatusOK, "", true},
		{"unknown ticket", master, "01NOPE", http.StatusNotFound, "no such ticket", false},
		{"no contact", master, without.ID, http.StatusNotFound, "has no contact", false},
		{"pruned", master, pruned.ID, http.StatusGone, "retention", true},
		{"sealed under another key", master, otherKey.ID, http.StatusInternalServerError, "read contact failed", true},
	}
	var wantLogged []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.call(t, http.MethodGet, path(tt.id), tt.token, nil)
			if code != tt.want {
				t.Fatalf("got %d %v, want %d", code, body, tt.want)
			}
			if tt.want == http.StatusOK {
				want := map[string]any{"ticket_id": withContact.ID, "contact_id": withContact.ContactID, "contact": "01098765432"}
				for k, v := range want {
					if body[k] != v {
						t.Errorf("%s: got %v, want %v", k, body[k], v)
					}
				}
			} else if msg, _ := body["error"].(string); !strings.Contains(msg, tt.wantErr) {
				t.Errorf("error: got %q, want it to mention %q", msg, tt.wantErr)
			}
			if _, ok := body["contact"]; ok && tt.want != http.StatusOK {
				t.Errorf("a %d answer carries a contact: %v", code, body)
			}
		})
		if tt.logged {
			wantLogged = append(wantLogged, tt.id)
		}
	}

	rows, err := db.AccessLog(ctx, store.AccessFilter{Subject: f.srv.Subject(u.Key)})
	if err != nil {
		t.Fatal(err)
	}
	var gotLogged []string
	for i := len(rows) - 1; i >= 0; i-- { // oldest first, as the requests ran
		r := rows[i]
		if r.Action != store.AccessReadContact {
			t.Errorf("access log: unexpected %+v", r)
			continue
		}
		gotLogged = append(gotLogged, r.TicketID)
		if r.Role != store.RoleMaster || (r.TokenID != admin.BootstrapID && r.TokenID != masterID) {
			t.Errorf("access log row %+v: want a master's token", r)
		}
	}
	if strings.Join(gotLogged, ",") != strings.Join(wantLogged, ",") {
		t.Errorf("read_contact rows by ticket: got %v, want %v", gotLogged, wantLogged)
	}
	if len(rows) > 1 && rows[len(rows)-1].TokenID != admin.BootstrapID {
		t.Errorf("first read: got token %q, want %s", rows[len(rows)-1].TokenID, admin.BootstrapID)
	}

	// The access log API shows the ticket; the number is stored nowhere in
	// the clear (the access log included).
	code, body := f.call(t, http.MethodGet, "/admin/access-log?user="+u.Key, bootToken, nil)
	entries, _ := body["entries"].([]any)
	if code != http.StatusOK || len(entries) != len(wantLogged) {
		t.Fatalf("access log API: got %d with %d entries, want 200 with %d", code, len(entries), len(wantLogged))
	}
	if e, _ := entries[len(entries)-1].(map[string]any); e["ticket_id"] != withContact.ID || e["action"] != store.AccessReadContact {
		t.Errorf("oldest access log entry: got %v, want read_contact of %s", e, withContact.ID)
	}
	for _, number := range []string{"01098765432", "01011112222", "01033334444"} {
		if hits := testutil.FindInTables(t, db.ReadDB(), number); len(hits) > 0 {
			t.Errorf("%s stored in the clear: %v", number, hits)
		}
	}
}

// TestTicketContactNotConfigured: without a contact box the route is 501.
func TestTicketContactNotConfigured(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	u := testutil.SeedUser(t, db, "contact-user-none", time.Now().UTC())
	tk := leaveTicket(t, db, contactBox(t, 7), u.Key, "01098765432", time.Now().UTC())
	if code, body := f.call(t, http.MethodGet, "/admin/tickets/"+tk.ID+"/contact", bootToken, nil); code != http.StatusNotImplemented {
		t.Errorf("got %d %v, want 501", code, body)
	}
}
