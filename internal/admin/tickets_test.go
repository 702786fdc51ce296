package admin_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"path"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// sqlTickets is a small Tickets over the real tickets table: it reads
// tickets through the store, as serve's adapter does, and moves them with
// plain UPDATEs (no ticket events, no reply notification), so the thin
// handlers are exercised against real rows.
type sqlTickets struct{ db *store.DB }

func (s sqlTickets) TicketByID(ctx context.Context, id string) (store.Ticket, bool, error) {
	return s.db.TicketByID(ctx, id)
}

// ListTickets is the store's own: paging and filters are the store's SQL.
func (s sqlTickets) ListTickets(ctx context.Context, f store.TicketFilter) ([]store.Ticket, error) {
	return s.db.ListTickets(ctx, f)
}

// move changes a ticket's status when it is in one of from.
func (s sqlTickets) move(ctx context.Context, id, to, set string, arg any, from ...string) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM tickets WHERE id = ?`, id).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("ticket %s: %w", id, admin.ErrNotFound)
		} else if err != nil {
			return err
		}
		for _, f := range from {
			if f == status {
				_, err := tx.ExecContext(ctx, `UPDATE tickets SET status = ?, `+set+` = ? WHERE id = ?`, to, arg, id)
				return err
			}
		}
		return fmt.Errorf("ticket %s is %s: %w", id, status, store.ErrConflict)
	})
}

func (s sqlTickets) AssignTicket(ctx context.Context, id, assignee string, at time.Time) error {
	return s.move(ctx, id, "assigned", "assignee", assignee, "open", "assigned")
}

func (s sqlTickets) AnswerTicket(ctx context.Context, id, answer string, at time.Time) error {
	return s.move(ctx, id, "answered", "answer", answer, "open", "assigned")
}

func (s sqlTickets) CloseTicket(ctx context.Context, id string, at time.Time) error {
	return s.move(ctx, id, "closed", "closed_at", at.UnixMilli(), "open", "assigned", "answered")
}

func TestTicketRoutes(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{Tickets: sqlTickets{db}})
	u := testutil.SeedUser(t, db, "ticket-user-0b7e", time.Now().Add(-time.Hour).UTC())
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
	id := u.TicketIDs[0]

	steps := []struct {
		method, path string
		body         any
		want         int
		status       string
	}{
		{http.MethodPost, "/admin/tickets/" + id + "/assign", map[string]string{}, http.StatusBadRequest, ""},
		{http.MethodPost, "/admin/tickets/" + id + "/assign", map[string]string{"assignee": "kim"}, http.StatusOK, "assigned"},
		{http.MethodPost, "/admin/tickets/" + id + "/answer", map[string]string{"answer": "내일 배송됩니다."}, http.StatusOK, "answered"},
		{http.MethodPost, "/admin/tickets/" + id + "/assign", map[string]string{"assignee": "lee"}, http.StatusConflict, "answered"},
		{http.MethodPost, "/admin/tickets/" + id + "/close", nil, http.StatusOK, "closed"},
		{http.MethodPost, "/admin/tickets/" + id + "/close", nil, http.StatusConflict, "closed"},
		{http.MethodPost, "/admin/tickets/01NOPE/close", nil, http.StatusNotFound, ""},
		{http.MethodGet, "/admin/tickets/01NOPE", nil, http.StatusNotFound, ""},
		{http.MethodPost, "/admin/tickets/" + id + "/answer", map[string]string{"answer": "x", "extra": "y"}, http.StatusBadRequest, ""},
	}
	for _, st := range steps {
		code, body := f.call(t, st.method, st.path, manager, st.body)
		if code != st.want {
			t.Fatalf("%s %s: got %d %v, want %d", st.method, st.path, code, body, st.want)
		}
		if st.status != "" {
			if tk, _ := body["ticket"].(map[string]any); tk["status"] != st.status {
				t.Errorf("%s %s: ticket status got %v, want %s", st.method, st.path, body["ticket"], st.status)
			}
		}
		// A refused action names the status that refused it.
		if op := path.Base(st.path); code == http.StatusConflict && body["error"] != op+": not allowed: the ticket is "+st.status {
			t.Errorf("%s %s: got error %q, want %q", st.method, st.path, body["error"], op+": not allowed: the ticket is "+st.status)
		}
	}
	var assignee, answer string
	if err := db.ReadDB().QueryRow(`SELECT assignee, answer FROM tickets WHERE id = ?`, id).Scan(&assignee, &answer); err != nil {
		t.Fatal(err)
	}
	if assignee != "kim" || answer != "내일 배송됩니다." {
		t.Errorf("stored ticket: got assignee %q answer %q, want kim and the answer", assignee, answer)
	}

	code, body := f.call(t, http.MethodGet, "/admin/tickets?status=open", manager, nil)
	if list, _ := body["tickets"].([]any); code != http.StatusOK || len(list) != 1 {
		t.Errorf("open tickets: got %d %v, want the handoff's ticket only", code, body)
	}
	// A status that is none of the four is a mistake to name, not an empty list.
	for _, status := range []string{"Open", "pending", "opened"} {
		code, body := f.call(t, http.MethodGet, "/admin/tickets?status="+status, manager, nil)
		if msg, _ := body["error"].(string); code != http.StatusBadRequest || msg != `status must be "open", "assigned", "answered" or "closed" (or left out: every status)` {
			t.Errorf("status %q: got %d %v, want 400 naming the four statuses", status, code, body)
		}
	}
	// Reading a user's ticket is a transcript read; so is every action on
	// it that found the ticket (its answer shows the ticket; a refused one
	// is an attempt): assign, answer, assign 409, close, close 409, and
	// this read.
	if code, _ := f.call(t, http.MethodGet, "/admin/tickets/"+id, manager, nil); code != http.StatusOK {
		t.Fatalf("read ticket: got %d", code)
	}
	rows, err := db.AccessLog(context.Background(), store.AccessFilter{Subject: f.srv.Subject(u.Key)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Errorf("access log after 5 actions and a ticket read: got %d rows %+v, want 6", len(rows), rows)
	}
	for _, r := range rows {
		if r.Action != store.AccessReadTicket || r.TokenID != managerID || r.TicketID != id {
			t.Errorf("access log row: got %+v, want a read_ticket of %s by %s", r, id, managerID)
		}
	}

	// A message the user left says where (origin), in the list and alone;
	// a ticket without one (the handoff's) has no "origin".
	op := store.OpenTicketOp(&store.Ticket{UserKey: u.Key, Queue: "general", Code: "OR1G",
		Message: "환불 문의", Origin: fsm.TicketOriginNoMatch})
	if err := db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(context.Background(), op.SQL, op.Args...)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	left := op.Args[0].(string)
	code, body = f.call(t, http.MethodGet, "/admin/tickets?code=OR1G", manager, nil)
	if list, _ := body["tickets"].([]any); code != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["origin"] != fsm.TicketOriginNoMatch {
		t.Errorf("list by code: got %d %v, want the ticket with origin %q", code, body, fsm.TicketOriginNoMatch)
	}
	code, body = f.call(t, http.MethodGet, "/admin/tickets/"+left, manager, nil)
	if tk, _ := body["ticket"].(map[string]any); code != http.StatusOK || tk["origin"] != fsm.TicketOriginNoMatch {
		t.Errorf("read ticket %s: got %d %v, want origin %q", left, code, body, fsm.TicketOriginNoMatch)
	}
	code, body = f.call(t, http.MethodGet, "/admin/tickets/"+id, manager, nil)
	if tk, _ := body["ticket"].(map[string]any); code != http.StatusOK || tk["origin"] != nil {
		t.Errorf("read ticket %s: got %d %v, want no origin", id, code, body)
	}
}

// memHours stands in for the hours work's override store (a parallel
// branch): the handlers' validation and pass-through are what is tested.
type memHours struct {
	mu sync.Mutex
	m  map[string]admin.HoursOverride
}

func (h *memHours) SetOverride(_ context.Context, queue string, mode handoff.Override, until time.Time, by string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m[queue] = admin.HoursOverride{Queue: queue, Mode: mode, Until: until, By: by}
	return nil
}

func (h *memHours) ClearOverride(_ context.Context, queue string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.m[queue]; !ok {
		return admin.ErrNotFound
	}
	delete(h.m, queue)
	return nil
}

func (h *memHours) Overrides(context.Context) ([]admin.HoursOverride, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []admin.HoursOverride
	for _, o := range h.m {
		out = append(out, o)
	}
	return out, nil
}

func TestHoursOverrideRoutes(t *testing.T) {
	hours := &memHours{m: map[string]admin.HoursOverride{}}
	f := newFixture(t, false, admin.Options{Hours: hours})
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
	until := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name, method, path string
		body               any
		want               int
	}{
		{"bad mode", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "*", "mode": "maybe"}, http.StatusBadRequest},
		{"bad queue", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "Gen eral", "mode": "open"}, http.StatusBadRequest},
		{"past until", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "*", "mode": "open", "until": "2020-01-01T00:00:00Z"}, http.StatusBadRequest},
		{"bad until", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "*", "mode": "open", "until": "tomorrow"}, http.StatusBadRequest},
		{"all closed", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "*", "mode": "closed"}, http.StatusOK},
		{"general open until", http.MethodPost, "/admin/hours/override", map[string]string{"queue": "general", "mode": "open", "until": until.Format(time.RFC3339)}, http.StatusOK},
		{"clear all", http.MethodDelete, "/admin/hours/override", nil, http.StatusOK},
		{"clear again", http.MethodDelete, "/admin/hours/override?queue=*", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		if code, body := f.call(t, tt.method, tt.path, manager, tt.body); code != tt.want {
			t.Errorf("%s: got %d %v, want %d", tt.name, code, body, tt.want)
		}
	}
	got, _ := hours.Overrides(context.Background())
	want := []admin.HoursOverride{{Queue: "general", Mode: handoff.OverrideOpen, Until: until, By: managerID}}
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("overrides: got %+v, want %+v", got, want)
	}
	code, body := f.call(t, http.MethodGet, "/admin/hours/override", manager, nil)
	if list, _ := body["overrides"].([]any); code != http.StatusOK || len(list) != 1 {
		t.Errorf("GET overrides: got %d %v, want one", code, body)
	}
}
