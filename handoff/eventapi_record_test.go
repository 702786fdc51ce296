package handoff

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
	_ "github.com/mattn/go-sqlite3"
)

// eventStore opens a store in a temporary directory and returns it with a
// function that injects a store outage on its SQLite file: a trigger,
// written through a second connection, failing every change of an Event
// API send to status; the function returned by that ends the outage.
func eventStore(t *testing.T) (*store.DB, func(status string) (end func())) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "baton.db")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	side, err := sql.Open("sqlite3", path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = side.Close() })
	return db, func(status string) func() {
		t.Helper()
		ctx := context.Background()
		if _, err := side.ExecContext(ctx, `CREATE TRIGGER send_outage BEFORE UPDATE OF status ON eventapi_sends
			WHEN NEW.status = '`+status+`' BEGIN SELECT RAISE(ABORT, 'injected outage'); END`); err != nil {
			t.Fatal(err)
		}
		return func() {
			t.Helper()
			if _, err := side.ExecContext(ctx, `DROP TRIGGER send_outage`); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// onlySend returns the one Event API send of the test, by the id its call
// carried.
func onlySend(t *testing.T, db *store.DB, rec *kakaoRecorder) store.EventSend {
	t.Helper()
	talks := rec.gotTalks()
	if len(talks) != 1 {
		t.Fatalf("Kakao got %d calls, want 1", len(talks))
	}
	s, ok, err := db.EventSendByID(context.Background(), talks[0].Body.Params[EventParam])
	if err != nil || !ok {
		t.Fatalf("send %s: found %v, %v", talks[0].Body.Params[EventParam], ok, err)
	}
	return s
}

// TestEventDelivererRecordsAnAcceptanceTheStoreRefused: Kakao accepted a
// call but the store refused to record it. The running deliverer records
// the acceptance, with Kakao's task id, in a later round once the store is
// back, without calling Kakao again (the users would get the message
// twice); the task is then polled and its spend counted like any other.
// The send is not left "sending" until a restart marks it unknown.
func TestEventDelivererRecordsAnAcceptanceTheStoreRefused(t *testing.T) {
	t.Parallel()
	db, outage := eventStore(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	eventUser(t, db, "acc-1", "bot1", true, false)
	eventUser(t, db, "acc-2", "bot1", true, false)
	n1 := notify(t, db, "acc-1", store.NotifyReopen, "")
	notify(t, db, "acc-2", store.NotifyReopen, "")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	var logs testlog.Buffer
	d.log = slog.New(slog.NewTextHandler(&logs, nil))

	end := outage(store.EventSendAccepted)
	d.round(ctx)
	d.round(ctx) // the store still refuses: nothing is sent again
	if s := onlySend(t, db, rec); s.Status != store.EventSendSending {
		t.Fatalf("while the store refuses: got %s, want sending", s.Status)
	}
	if out := logs.String(); !strings.Contains(out, "injected outage") {
		t.Errorf("the store's refusal is not logged:\n%s", out)
	}
	end()
	d.round(ctx)
	s := onlySend(t, db, rec)
	if s.Status != store.EventSendAccepted || s.TaskID != "task-1" {
		t.Fatalf("once the store is back: got %s with task %q, want accepted as task-1", s.Status, s.TaskID)
	}
	rec.set(func() {
		rec.task = func(id string, users int) string { return `{"taskId":"` + id + `","status":"ALL SUCCESS"}` }
	})
	d.round(ctx)
	if s := onlySend(t, db, rec); s.Status != store.EventSendSucceeded || s.Won != 30 {
		t.Fatalf("after the task's success: got %s with %d won, want succeeded with 30", s.Status, s.Won)
	}
	if r, sp, _ := db.EventSpend(ctx, s.Day); r != 0 || sp != 30 {
		t.Fatalf("got reserved %d spent %d, want 0 and 30", r, sp)
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("sent")); got != 2 {
		t.Errorf("%v messages counted sent, want 2 (once)", got)
	}
	if st, _ := notificationStatus(t, db, n1); st != store.NotificationSent {
		t.Errorf("notification: got %s, want sent", st)
	}
	// A restart finds nothing left to recover.
	d2 := newTestDeliverer(t, db, rec, testEventConfig())
	if err := d2.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if s := onlySend(t, db, rec); s.Status != store.EventSendSucceeded {
		t.Fatalf("after a restart: got %s, want succeeded", s.Status)
	}
}

// TestEventDelivererPanicKeepsAnAcceptanceTheStoreRefused: a round that
// panics while an acceptance waits for its record does not mark that send
// unknown (as it does a call it interrupted): its outcome is known, and it
// is recorded once the store is back.
func TestEventDelivererPanicKeepsAnAcceptanceTheStoreRefused(t *testing.T) {
	t.Parallel()
	db, outage := eventStore(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	eventUser(t, db, "pan-1", "bot1", true, false)
	notify(t, db, "pan-1", store.NotifyReopen, "")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	var logs testlog.Buffer
	d.log = slog.New(slog.NewTextHandler(&logs, nil))
	var boom atomic.Bool
	d.Now = func() time.Time {
		if boom.CompareAndSwap(true, false) {
			var m map[string]int
			m["now"]++ // panics: assignment to entry in nil map
		}
		return time.Now()
	}
	end := outage(store.EventSendAccepted)
	d.round(ctx)
	boom.Store(true)
	d.round(ctx)
	if boom.Load() || !strings.Contains(logs.String(), "assignment to entry in nil map") {
		t.Fatalf("no panic in the second round:\n%s", logs.String())
	}
	if s := onlySend(t, db, rec); s.Status != store.EventSendSending {
		t.Fatalf("after the panic: got %s, want still sending (its acceptance is known)", s.Status)
	}
	end()
	d.round(ctx)
	if s := onlySend(t, db, rec); s.Status != store.EventSendAccepted || s.TaskID != "task-1" {
		t.Fatalf("once the store is back: got %s with task %q, want accepted as task-1", s.Status, s.TaskID)
	}
}

// TestEventDelivererRecordsARefusalTheStoreRefused: Kakao refused a call
// (502, nothing billed) but the store refused to record it. A later round
// records the refusal once the store is back: the reservation is released
// and the notification waits for its retry, which is the only new call.
func TestEventDelivererRecordsARefusalTheStoreRefused(t *testing.T) {
	t.Parallel()
	db, outage := eventStore(t)
	rec := newKakaoRecorder(t)
	rec.set(func() { rec.talkStatus = http.StatusBadGateway })
	ctx := context.Background()
	eventUser(t, db, "ref-1", "bot1", true, false)
	id := notify(t, db, "ref-1", store.NotifyReopen, "")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	d.RetryAfter = time.Hour
	end := outage(store.EventSendFailed)
	d.round(ctx)
	if s := onlySend(t, db, rec); s.Status != store.EventSendSending {
		t.Fatalf("while the store refuses: got %s, want sending", s.Status)
	}
	end()
	d.round(ctx)
	s := onlySend(t, db, rec)
	if s.Status != store.EventSendFailed {
		t.Fatalf("once the store is back: got %s, want failed", s.Status)
	}
	if st, _ := notificationStatus(t, db, id); st != store.NotificationPending {
		t.Fatalf("notification: got %s, want pending for its retry", st)
	}
	if r, sp, _ := db.EventSpend(ctx, s.Day); r != 0 || sp != 0 {
		t.Fatalf("got reserved %d spent %d, want nothing held for a refused call", r, sp)
	}
}
