package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/google/go-cmp/cmp"
)

func testBox(t testing.TB) *ContactBox {
	t.Helper()
	key, err := ContactKey(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	box, err := NewContactBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// commitTicket commits a turn for key that leaves a ticket with a contact.
func commitTicket(t testing.TB, db *DB, box *ContactBox, key, queue, msg, contact string, at time.Time) Ticket {
	t.Helper()
	ctx := context.Background()
	_, c, _, err := db.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	w := testTurn(key, c.Version, at)
	tk := &Ticket{UserKey: key, Queue: queue, Code: "A7K2", Message: msg, CreatedAt: at}
	if contact != "" {
		tk.ContactID = NewID(at)
		op, err := box.AddContactOp(tk.ContactID, key, contact, at)
		if err != nil {
			t.Fatal(err)
		}
		w.Ops = append(w.Ops, op)
	}
	w.Ops = append(w.Ops, OpenTicketOp(tk))
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return *tk
}

func TestTicketWorkflow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	box := testBox(t)
	at := time.Date(2026, 2, 16, 22, 0, 0, 0, time.UTC)
	tk := commitTicket(t, db, box, "u-t1", "general", "환불 문의 010-****-****", "01012345678", at)
	commitTicket(t, db, box, "u-t2", "vip", "배송 문의", "", at.Add(time.Minute))

	got, ok, err := db.TicketByID(ctx, tk.ID)
	if err != nil || !ok {
		t.Fatalf("TicketByID: %v, %v", ok, err)
	}
	want := Ticket{ID: tk.ID, UserKey: "u-t1", Queue: "general", Reason: TicketReasonUserMessage,
		Status: TicketStatusOpen, CreatedAt: at, Code: "A7K2", Message: "환불 문의 010-****-****",
		ContactID: tk.ContactID, UpdatedAt: at}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ticket (-want +got):\n%s", diff)
	}
	if _, ok, err := db.TicketByID(ctx, "nope"); err != nil || ok {
		t.Errorf("TicketByID(nope): got %v, %v; want not found", ok, err)
	}

	for _, tt := range []struct {
		f    TicketFilter
		want int
	}{
		{TicketFilter{}, 2}, {TicketFilter{Queue: "vip"}, 1}, {TicketFilter{Status: TicketStatusOpen, Queue: "general"}, 1},
		{TicketFilter{Status: TicketStatusClosed}, 0}, {TicketFilter{Limit: 1}, 1},
	} {
		list, err := db.ListTickets(ctx, tt.f)
		if err != nil || len(list) != tt.want {
			t.Errorf("ListTickets(%+v): got %d, %v; want %d", tt.f, len(list), err, tt.want)
		}
	}

	later := at.Add(time.Hour)
	if err := db.AssignTicket(ctx, tk.ID, "kim", later); err != nil {
		t.Fatalf("AssignTicket: %v", err)
	}
	n, err := db.AnswerTicket(ctx, tk.ID, "환불 처리해 드렸어요.", later)
	if err != nil {
		t.Fatalf("AnswerTicket: %v", err)
	}
	if n.UserKey != "u-t1" || n.Kind != NotifyTicketReply || n.Ref != tk.ID || n.ID == "" {
		t.Errorf("got notification %+v, want a ticket_reply for u-t1", n)
	}
	pending, err := db.Notifications(ctx, NotificationPending, later, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != n.ID {
		t.Errorf("pending notifications: got %+v, %v; want %s", pending, err, n.ID)
	}
	if _, err := db.AnswerTicket(ctx, tk.ID, "again", later); !errors.Is(err, ErrTicketState) {
		t.Errorf("AnswerTicket twice: got %v, want ErrTicketState", err)
	}
	if err := db.AssignTicket(ctx, tk.ID, "lee", later); !errors.Is(err, ErrTicketState) {
		t.Errorf("AssignTicket after answer: got %v, want ErrTicketState", err)
	}
	if err := db.CloseTicket(ctx, tk.ID, later); err != nil {
		t.Fatalf("CloseTicket: %v", err)
	}
	if err := db.CloseTicket(ctx, tk.ID, later); !errors.Is(err, ErrTicketState) {
		t.Errorf("CloseTicket twice: got %v, want ErrTicketState", err)
	}
	if err := db.CloseTicket(ctx, "nope", later); !errors.Is(err, ErrTicketNotFound) {
		t.Errorf("CloseTicket(nope): got %v, want ErrTicketNotFound", err)
	}
	got, _, _ = db.TicketByID(ctx, tk.ID)
	if got.Status != TicketStatusClosed || got.Assignee != "kim" || got.Answer != "환불 처리해 드렸어요." ||
		!got.AnsweredAt.Equal(later) || !got.ClosedAt.Equal(later) || !got.UpdatedAt.Equal(later) {
		t.Errorf("got %+v, want closed, assigned to kim, answered at %v", got, later)
	}
}

func TestContactEncrypted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	box := testBox(t)
	at := time.Now()
	tk := commitTicket(t, db, box, "u-c", "general", "연락 주세요", "01012345678", at)

	var raw []byte
	if err := db.ReadDB().QueryRowContext(ctx, `SELECT ciphertext FROM contacts WHERE id = ?`, tk.ContactID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{"01012345678", "12345678", "5678"} {
		if bytes.Contains(raw, []byte(needle)) {
			t.Errorf("ciphertext contains %q", needle)
		}
	}
	got, ok, err := db.Contact(ctx, box, tk.ContactID)
	if err != nil || !ok || got != "01012345678" {
		t.Fatalf("Contact: got %q, %v, %v; want the number", got, ok, err)
	}
	if _, _, err := db.Contact(ctx, testBox(t), tk.ContactID); err == nil {
		t.Errorf("Contact with another key: got nil error, want a failure")
	}
	// The row id is bound to the ciphertext: a copy under another id does not open.
	if _, err := box.open("other-id", raw); err == nil {
		t.Errorf("open under another id: got nil error, want a failure")
	}
	if n, err := db.PruneContacts(ctx, at.Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("PruneContacts: got %d, %v; want 1", n, err)
	}
	if _, ok, err := db.Contact(ctx, box, tk.ContactID); err != nil || ok {
		t.Errorf("Contact after prune: got %v, %v; want gone", ok, err)
	}
}

func TestContactKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k1, err := ContactKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, contactKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("got key file mode %v, want 0600", got)
	}
	k2, err := ContactKey(dir, "")
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second ContactKey: got a different key (%v), want the stored one", err)
	}
	env := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	k3, err := ContactKey(dir, env)
	if err != nil || !bytes.Equal(k3, bytes.Repeat([]byte{7}, 32)) {
		t.Errorf("ContactKey from env: got %x, %v; want the env key", k3, err)
	}
	if _, err := ContactKey(dir, "c2hvcnQ="); err == nil {
		t.Errorf("ContactKey with a short env key: got nil error, want a failure")
	}
}

func TestIntakePersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTestDB(t, Options{})
	at := time.Now()
	w := testTurn("u-i", 0, at)
	w.Conv.State = fsm.StateAfterHours
	w.Conv.Intake = fsm.Intake{Step: fsm.IntakeContact, Message: "환불 문의"}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	_, c, _, err := db.Load(ctx, "u-i")
	if err != nil || c.Intake != w.Conv.Intake {
		t.Fatalf("Load from cache: got %+v, %v; want %+v", c.Intake, err, w.Conv.Intake)
	}
	// A fresh store reads it from the table (cold and warm paths).
	for _, size := range []int{-1, 0} {
		db2, err := Open(ctx, path, Options{CacheSize: size})
		if err != nil {
			t.Fatal(err)
		}
		_, c, _, err = db2.Load(ctx, "u-i")
		db2.Close()
		if err != nil || c.Intake != w.Conv.Intake {
			t.Errorf("Load (cache %d): got %+v, %v; want %+v", size, c.Intake, err, w.Conv.Intake)
		}
	}
	w2 := testTurn("u-i", c.Version, at)
	if err := db.Commit(ctx, w2); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.ReadDB().QueryRowContext(ctx, `SELECT intake FROM conversations WHERE user_key = 'u-i'`).Scan(&raw); err != nil || raw != "" {
		t.Errorf("intake column after clearing: got %q, %v; want empty", raw, err)
	}
}

func TestWaitingCountAndAcceptStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTestDB(t, Options{})
	now := time.Date(2026, 2, 16, 10, 0, 0, 0, time.UTC)
	open := func(key, queue string, created time.Time) string {
		t.Helper()
		_, c, _, _ := db.Load(ctx, key)
		w := testTurn(key, c.Version, created)
		id := NewID(created)
		w.OpenHandoff = &Handoff{ID: id, Code: "C0DE", Queue: queue, Target: "dealer:x", CreatedAt: created}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
		return id
	}
	accept := func(key, id string, at time.Time) {
		t.Helper()
		_, c, _, _ := db.Load(ctx, key)
		w := testTurn(key, c.Version, at)
		w.Turn = Turn{}
		w.AcceptHandoff = &HandoffAccept{ID: id, At: at}
		if err := db.Commit(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	st, err := db.AcceptStats(ctx, "vip", now)
	if err != nil || st != (AcceptStats{}) {
		t.Fatalf("AcceptStats empty: got %+v, %v", st, err)
	}
	// Waits of 1, 3 and 5 minutes accepted within the day; one 2 days ago.
	for i, wait := range []time.Duration{time.Minute, 3 * time.Minute, 5 * time.Minute} {
		key := "u-a" + string(rune('0'+i))
		created := now.Add(-time.Hour * time.Duration(i+1))
		accept(key, open(key, "vip", created), created.Add(wait))
	}
	old := now.Add(-48 * time.Hour)
	accept("u-old", open("u-old", "vip", old), old.Add(time.Hour))
	open("u-w1", "vip", now.Add(-time.Minute))
	open("u-w2", "vip", now.Add(-time.Second))
	open("u-g", "general", now)
	if n, err := db.WaitingCount(ctx, "vip"); err != nil || n != 2 {
		t.Errorf("WaitingCount(vip): got %d, %v; want 2", n, err)
	}
	st, err = db.AcceptStats(ctx, "vip", now)
	if err != nil {
		t.Fatal(err)
	}
	if want := (AcceptStats{Samples: 3, Median: 3 * time.Minute, Serving: 3}); st != want {
		t.Errorf("AcceptStats: got %+v, want %+v", st, want)
	}
}
