package handoff

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestRefusedCallRetriedThreeTimes: the README promises that "a call
// Kakao refuses with 429/5xx, or that never connects, is retried up to three
// times" — four tries, RetryAfter apart (MaxRetries 3). A Kakao outage of a
// bit over two minutes (RetryAfter 1 min) then still delivers the ticket
// reply on the fourth try.
func TestRefusedCallRetriedThreeTimes(t *testing.T) {
	db := testutil.Store(t)
	ctx := context.Background()
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/v1/tasks/") {
			_, _ = io.WriteString(w, `{"status":"PROCESSING"}`)
			return
		}
		calls++
		if calls <= 3 { // Kakao down for the first three tries
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"taskId":"t4","status":"SUCCESS"}`)
	}))
	defer srv.Close()
	eventUser(t, db, "outage", "bot1", true, false)
	id := notify(t, db, "outage", store.NotifyTicketReply, "T1")
	cfg := testEventConfig()
	d := NewEventDeliverer(db, NewEventAPIClient(srv.URL, cfg.RestAPIKey), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	clock := time.Now()
	d.Now = func() time.Time { return clock }
	for range 6 {
		if _, err := d.DeliverOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(d.RetryAfter + time.Second)
	}
	mu.Lock()
	n := calls
	mu.Unlock()
	st, detail := notificationStatus(t, db, id)
	if st != store.NotificationSent || n != 4 {
		t.Fatalf("503 on three tries, then up: got %d tries and the ticket reply %s (%q); want the fourth try (retried up to three times) and sent", n, st, detail)
	}
}

// TestRefusedCallFailsAfterTheThirdRetry: a message Kakao refuses on every
// try fails for good after its first try and MaxRetries retries, no more.
func TestRefusedCallFailsAfterTheThirdRetry(t *testing.T) {
	db := testutil.Store(t)
	ctx := context.Background()
	rec := newKakaoRecorder(t)
	rec.set(func() { rec.talkStatus = http.StatusServiceUnavailable })
	eventUser(t, db, "down", "bot1", true, false)
	id := notify(t, db, "down", store.NotifyTicketReply, "T1")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	clock := time.Now()
	d.Now = func() time.Time { return clock }
	for range 8 {
		if _, err := d.DeliverOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(d.RetryAfter + time.Second)
	}
	st, detail := notificationStatus(t, db, id)
	if n := len(rec.gotTalks()); n != d.MaxRetries+1 || st != store.NotificationFailed {
		t.Fatalf("Kakao down throughout: got %d tries and the ticket reply %s (%q); want %d tries, then failed",
			n, st, detail, d.MaxRetries+1)
	}
}
