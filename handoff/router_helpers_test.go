package handoff

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats.go/jetstream"
)

// sinkRecorder is a loopback HTTP server that records every request it gets.
type sinkRecorder struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []recordedReq
	status int // answer; 0 means 200
	// before, when set, runs before the answer of every request.
	before func()
}

type recordedReq struct {
	Header http.Header
	Body   []byte
	At     time.Time
}

func newSinkRecorder(t testing.TB) *sinkRecorder {
	t.Helper()
	r := &sinkRecorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, recordedReq{Header: req.Header.Clone(), Body: body, At: time.Now()})
		status, before := r.status, r.before
		r.mu.Unlock()
		if before != nil {
			before()
		}
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *sinkRecorder) setStatus(s int) { r.mu.Lock(); r.status = s; r.mu.Unlock() }

func (r *sinkRecorder) requests() []recordedReq {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedReq(nil), r.reqs...)
}

// wantCount waits until the recorder has n requests.
func (r *sinkRecorder) wantCount(t testing.TB, n int) []recordedReq {
	t.Helper()
	checkForT(t, 10*time.Second, func() error {
		if got := len(r.requests()); got != n {
			return fmt.Errorf("recorder has %d requests, want %d", got, n)
		}
		return nil
	})
	return r.requests()
}

// checkForT polls fn every 10 ms until it returns nil or total passes.
func checkForT(t testing.TB, total time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", total, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// routerFixture is a real store and a real embedded JetStream with the
// BATON stream.
type routerFixture struct {
	db  *store.DB
	js  jetstream.JetStream
	dir string
	// e is the embedded server, for a second connection (a router whose
	// connection a test closes).
	e *Embedded
	// outbox holds the outbox rows of the last escalate.
	outbox []store.OutboxMsg
}

func newRouterFixture(t testing.TB) *routerFixture {
	t.Helper()
	return newRouterFixtureWith(t, store.Options{})
}

// newRouterFixtureWith is newRouterFixture with the store opened with opts.
func newRouterFixtureWith(t testing.TB, opts store.Options) *routerFixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "baton.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e, err := StartEmbedded(filepath.Join(dir, "nats"), nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := e.Connect("test")
	if err != nil {
		e.Shutdown()
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close(); e.Shutdown() })
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureStream(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	return &routerFixture{db: db, js: js, dir: dir, e: e}
}

// escalate commits, like a turn, a user turn that opens a handoff to target
// with its outbox request, and returns the handoff.
func (f *routerFixture) escalate(t testing.TB, user, target string, at time.Time) store.Handoff {
	t.Helper()
	id := store.NewID(at)
	h := store.Handoff{ID: id, Code: Effects{}.NewCode(), UserKey: user, BotID: "bot-1", PlusfriendKey: "pf-" + user,
		Queue: "general", Target: target, Reason: "keyword", MenuPath: []string{"main"}, FAQMisses: 1, CreatedAt: at}
	w := &store.TurnWrite{
		User:        store.User{Key: user, PlusfriendKey: "pf-" + user, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: user, State: fsm.StateWaiting, HandoffID: id, Queue: "general", StateSince: at, LastTurnAt: at},
		Turn:        store.Turn{ID: store.NewID(at), UserKey: user, At: at, Block: "text", Utterance: "상담원 연결해 주세요 010-****-****", Kind: "handoff", State: fsm.StateWaiting},
		OpenHandoff: &h,
		Outbox:      []store.OutboxMsg{{ID: store.NewID(at), Subject: SubjectRequest("general"), Payload: []byte(id), CreatedAt: at}},
	}
	if err := f.db.Commit(context.Background(), w); err != nil {
		t.Fatalf("commit escalation: %v", err)
	}
	f.outbox = w.Outbox
	return h
}

// end closes handoff h as a cancel would (without an outbox message).
func (f *routerFixture) end(t testing.TB, h store.Handoff, at time.Time) {
	t.Helper()
	if err := f.endAs(h, "user_cancel", at); err != nil {
		t.Fatal(err)
	}
}

// endAs closes handoff h with reason, as a turn would, without an outbox
// message (no end event); it may run off the test's goroutine.
func (f *routerFixture) endAs(h store.Handoff, reason string, at time.Time) error {
	_, conv, _, err := f.db.Load(context.Background(), h.UserKey)
	if err != nil {
		return err
	}
	conv.State, conv.HandoffID = fsm.StateBot, ""
	w := &store.TurnWrite{User: store.User{Key: h.UserKey, LastSeen: at}, Conv: conv,
		EndHandoff: &store.HandoffEnd{ID: h.ID, Reason: reason, At: at}}
	if err := f.db.Commit(context.Background(), w); err != nil {
		return fmt.Errorf("commit end: %w", err)
	}
	return nil
}

// run starts fn in the background until the test ends.
func runUntilCleanup(t testing.TB, fn func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = fn(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// lastHandoff returns the id of user's open handoff.
func (f *routerFixture) lastHandoff(t testing.TB, user string) string {
	t.Helper()
	h, ok, err := f.db.OpenHandoff(context.Background(), user)
	if err != nil || !ok {
		t.Fatalf("%s: no open handoff: %v", user, err)
	}
	return h.ID
}
