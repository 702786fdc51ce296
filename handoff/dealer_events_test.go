package handoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

const eventSecret = "dealer-s3cret"

// dealerEnv is a real skill server (real engine from the example config, real
// SQLite) with the dealer event handler mounted on its public Echo, served on
// 127.0.0.1.
type dealerEnv struct {
	db  *store.DB
	url string
	app *skill.Server
}

func newDealerEnv(t testing.TB) *dealerEnv {
	t.Helper()
	return newDealerEnvWith(t, func(db *store.DB) handoff.DealerEventStore { return db })
}

// newDealerEnvWith is newDealerEnv with the dealer events reading the store
// wrap returns around the real one (a hook in a race test).
func newDealerEnvWith(t testing.TB, wrap func(*store.DB) handoff.DealerEventStore) *dealerEnv {
	t.Helper()
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	cfg.Dealers["happytalk"] = configs.Dealer{URL: "http://127.0.0.1:1", Secret: eventSecret}
	engine := testutil.EngineFor(t, cfg)
	db := testutil.Store(t)
	log := slog.New(slog.DiscardHandler)
	s := skill.NewServer(log, engine, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	handoff.NewDealerEvents(log, cfg, wrap(db), s).Register(s.Echo())
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &dealerEnv{db: db, url: srv.URL, app: s}
}

// seed stores a user in state, with an open handoff of queue (target) when
// state is waiting or human, and returns the handoff id ("" if none).
func (e *dealerEnv) seed(t testing.TB, key string, state fsm.State, queue, target string) string {
	t.Helper()
	now := time.Now()
	w := &store.TurnWrite{
		User: store.User{Key: key, BotID: "bot1", PlusfriendKey: "pf-" + key, IsFriend: true, LastSeen: now, WelcomedAt: now},
		Conv: fsm.Conversation{UserKey: key, State: state, StateSince: now, WelcomedAt: now},
	}
	if state == fsm.StateWaiting || state == fsm.StateHuman {
		id := store.NewID(now)
		w.Conv.HandoffID, w.Conv.Queue = id, queue
		w.OpenHandoff = &store.Handoff{ID: id, Code: "AB23", UserKey: key, BotID: "bot1", PlusfriendKey: "pf-" + key,
			Queue: queue, Target: target, Reason: "keyword", CreatedAt: now}
		if state == fsm.StateHuman {
			w.OpenHandoff.AcceptedAt = now
		}
	}
	if err := e.db.Commit(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return w.Conv.HandoffID
}

// post sends body to /dealers/{dealer}/events signed with secret at t. Safe
// to call from a goroutine (it reports with t.Error).
func (e *dealerEnv) post(t testing.TB, dealer, secret string, at time.Time, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/dealers/"+dealer+"/events", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(secret), at, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err) // not Fatal: called from goroutines too
		return 0, ""
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// send posts a correctly signed event and returns the status and answer.
func (e *dealerEnv) send(t testing.TB, ev map[string]any) (int, string) {
	t.Helper()
	return e.post(t, "happytalk", eventSecret, time.Now(), event(ev))
}

func event(fields map[string]any) []byte {
	ev := map[string]any{"version": 1, "at": time.Now().UTC().Format(time.RFC3339)}
	for k, v := range fields {
		ev[k] = v
	}
	b, _ := json.Marshal(ev)
	return b
}

func status(s string) string { return `{"status":"` + s + `"}` + "\n" }

func (e *dealerEnv) conv(t *testing.T, key string) fsm.Conversation {
	t.Helper()
	_, c, found, err := e.db.Load(context.Background(), key)
	if err != nil || !found {
		t.Fatalf("load %s: found %v, err %v", key, found, err)
	}
	return c
}

func (e *dealerEnv) handoff(t *testing.T, id string) store.Handoff {
	t.Helper()
	h, ok, err := e.db.Handoff(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("handoff %s: ok %v, err %v", id, ok, err)
	}
	return h
}

// returnedTurn posts the blocks.returned turn of user key to /skill. Safe
// to call from a goroutine (it reports with t.Error).
func (e *dealerEnv) returnedTurn(t *testing.T, key string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"intent": map[string]any{"id": "ret", "name": "상담 종료"},
		"userRequest": map[string]any{"block": map[string]any{"id": "ret", "name": "상담 종료"}, "utterance": "",
			"user": map[string]any{"id": key, "type": "botUserKey", "properties": map[string]any{
				"isFriend": true, "plusfriendUserKey": "pf-" + key}}},
		"bot":    map[string]any{"id": "bot1", "name": "샘플몰"},
		"action": map[string]any{"clientExtra": map[string]any{}},
	})
	resp, err := http.Post(e.url+"/skill", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Error(err) // not Fatal: called from goroutines too
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("returned turn: got %d, want 200", resp.StatusCode)
	}
}

func TestDealerEventForgedChangesNothing(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	body := event(map[string]any{"id": "ev-1", "type": "session.started", "handoff_id": hid})
	before := e.conv(t, "u1")
	// The skew is taken against the clock as each request is signed, with
	// a margin over the 300 s window: the signature carries whole seconds
	// and a loaded machine may take a second or more between signing and
	// checking. signature_test.go tests the boundary itself on a fixed clock.
	tests := []struct {
		name   string
		secret string
		skew   time.Duration
		body   []byte
	}{
		{"wrong secret", "guess", 0, body},
		{"330 s old", eventSecret, -330 * time.Second, body},
		{"330 s ahead", eventSecret, 330 * time.Second, body},
		{"tampered after signing", eventSecret, 0, bytes.Replace(body, []byte("ev-1"), []byte("ev-9"), 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.url+"/dealers/happytalk/events", bytes.NewReader(tc.body))
			req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(tc.secret), time.Now().Add(tc.skew), body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("got %d, want 401", resp.StatusCode)
			}
		})
	}
	if after := e.conv(t, "u1"); after.State != fsm.StateWaiting || after.Version != before.Version {
		t.Fatalf("got state %s v%d, want waiting v%d unchanged", after.State, after.Version, before.Version)
	}
	if h := e.handoff(t, hid); !h.AcceptedAt.IsZero() {
		t.Fatalf("a forged event accepted the handoff at %s", h.AcceptedAt)
	}
	// Nothing was recorded either: the genuine event still applies.
	if code, out := e.send(t, map[string]any{"id": "ev-1", "type": "session.started", "handoff_id": hid}); code != 200 || out != status("applied") {
		t.Fatalf("genuine event: got %d %s, want 200 applied", code, out)
	}
}

func TestDealerEventStartedAndReplay(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	started := map[string]any{"id": "ev-1", "type": "session.started", "handoff_id": hid,
		"agent": map[string]any{"id": "a-7", "name": "김상담"}}
	if code, out := e.send(t, started); code != 200 || out != status("applied") {
		t.Fatalf("got %d %s, want 200 applied", code, out)
	}
	c := e.conv(t, "u1")
	if c.State != fsm.StateHuman || c.HandoffID != hid {
		t.Fatalf("got state %s handoff %q, want human %q", c.State, c.HandoffID, hid)
	}
	if h := e.handoff(t, hid); h.AcceptedAt.IsZero() {
		t.Fatal("the handoff was not marked accepted")
	}
	if a, ok, err := e.db.HandoffAgent(context.Background(), hid); err != nil || !ok || a.ID != "a-7" || a.Name != "김상담" {
		t.Fatalf("got agent %+v %v %v, want a-7 김상담", a, ok, err)
	}
	if code, out := e.send(t, started); code != 200 || out != status("duplicate") {
		t.Fatalf("replay: got %d %s, want 200 duplicate", code, out)
	}
	started["id"] = "ev-2" // the same news under a new id
	if code, out := e.send(t, started); code != 200 || out != status("already_applied") {
		t.Fatalf("second started: got %d %s, want 200 already_applied", code, out)
	}
	if again := e.conv(t, "u1"); again.Version != c.Version {
		t.Fatalf("got version %d, want %d: a replay changed the conversation", again.Version, c.Version)
	}
}

func TestDealerEventMatchByPlusfriendKey(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	if code, out := e.send(t, map[string]any{"id": "ev-1", "type": "session.started",
		"user": map[string]any{"plusfriend_user_key": "pf-u1"}}); code != 200 || out != status("applied") {
		t.Fatalf("got %d %s, want 200 applied", code, out)
	}
	if c := e.conv(t, "u1"); c.State != fsm.StateHuman || c.HandoffID != hid {
		t.Fatalf("got %s %q, want human %q", c.State, c.HandoffID, hid)
	}
	if code, out := e.send(t, map[string]any{"id": "ev-2", "type": "session.ended", "end_type": "user",
		"user": map[string]any{"plusfriend_user_key": "pf-u1"}}); code != 200 || out != status("applied") {
		t.Fatalf("ended: got %d %s, want 200 applied", code, out)
	}
	if h := e.handoff(t, hid); h.EndReason != "ended:user" || h.EndedAt.IsZero() {
		t.Fatalf("got end %q at %s, want ended:user", h.EndReason, h.EndedAt)
	}
}

func TestDealerEventReturnRace(t *testing.T) {
	t.Parallel()
	ended := func(id, hid string) map[string]any {
		return map[string]any{"id": id, "type": "session.ended", "handoff_id": hid, "end_type": "agent"}
	}
	t.Run("session.ended then the returned block", func(t *testing.T) {
		e := newDealerEnv(t)
		hid := e.seed(t, "u1", fsm.StateHuman, "vip", "dealer:happytalk")
		if code, out := e.send(t, ended("ev-1", hid)); code != 200 || out != status("applied") {
			t.Fatalf("got %d %s, want 200 applied", code, out)
		}
		first := e.handoff(t, hid)
		e.returnedTurn(t, "u1")
		if h := e.handoff(t, hid); h.EndReason != "ended:agent" || !h.EndedAt.Equal(first.EndedAt) {
			t.Fatalf("got %q at %s, want ended:agent at %s kept", h.EndReason, h.EndedAt, first.EndedAt)
		}
		if c := e.conv(t, "u1"); c.State != fsm.StateBot || c.HandoffID != "" {
			t.Fatalf("got %s %q, want bot without a handoff", c.State, c.HandoffID)
		}
	})
	t.Run("the returned block then session.ended", func(t *testing.T) {
		e := newDealerEnv(t)
		hid := e.seed(t, "u1", fsm.StateHuman, "vip", "dealer:happytalk")
		e.returnedTurn(t, "u1")
		first := e.handoff(t, hid)
		if first.EndedAt.IsZero() {
			t.Fatal("the returned turn did not end the handoff")
		}
		v := e.conv(t, "u1").Version
		if code, out := e.send(t, ended("ev-1", hid)); code != 200 || out != status("already_applied") {
			t.Fatalf("got %d %s, want 200 already_applied", code, out)
		}
		if h := e.handoff(t, hid); h.EndReason != first.EndReason || !h.EndedAt.Equal(first.EndedAt) {
			t.Fatalf("got %q at %s, want %q at %s kept", h.EndReason, h.EndedAt, first.EndReason, first.EndedAt)
		}
		if c := e.conv(t, "u1"); c.State != fsm.StateBot || c.Version != v {
			t.Fatalf("got %s v%d, want bot v%d", c.State, c.Version, v)
		}
	})
	t.Run("both at once", func(t *testing.T) {
		e := newDealerEnv(t)
		for i := range 10 {
			key := fmt.Sprintf("u%d", i)
			hid := e.seed(t, key, fsm.StateHuman, "vip", "dealer:happytalk")
			var wg sync.WaitGroup
			var code int
			var out string
			wg.Go(func() { code, out = e.send(t, ended(fmt.Sprintf("ev-%d", i), hid)) })
			wg.Go(func() { e.returnedTurn(t, key) })
			wg.Wait()
			if code != 200 || (out != status("applied") && out != status("already_applied")) {
				t.Fatalf("%s: got %d %s, want 200 applied or already_applied", key, code, out)
			}
			h := e.handoff(t, hid)
			if h.EndedAt.IsZero() || (h.EndReason != "ended:agent" && h.EndReason != fsm.EventEnded) {
				t.Fatalf("%s: got end %q at %s, want one end", key, h.EndReason, h.EndedAt)
			}
			if c := e.conv(t, key); c.State != fsm.StateBot || c.HandoffID != "" {
				t.Fatalf("%s: got %s %q, want bot without a handoff", key, c.State, c.HandoffID)
			}
		}
	})
}

func TestDealerEventExternalHandoff(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	e.seed(t, "u1", fsm.StateBot, "", "")
	v := e.conv(t, "u1").Version
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	if code, out := e.send(t, map[string]any{"id": "ev-1", "type": "session.started", "user": pf,
		"agent": map[string]any{"id": "a-1", "name": "이상담"}}); code != 200 || out != status("applied") {
		t.Fatalf("got %d %s, want 200 applied", code, out)
	}
	h, ok, err := e.db.OpenHandoff(context.Background(), "u1")
	if err != nil || !ok {
		t.Fatalf("no external handoff: %v %v", ok, err)
	}
	if h.Reason != handoff.ExternalReason || h.Queue != "vip" || h.Target != "dealer:happytalk" || h.AcceptedAt.IsZero() || h.Code == "" {
		t.Fatalf("got %+v, want an accepted external handoff on vip", h)
	}
	// The lifecycle has no bot → human move: the conversation is untouched.
	if c := e.conv(t, "u1"); c.State != fsm.StateBot || c.Version != v {
		t.Fatalf("got %s v%d, want bot v%d", c.State, c.Version, v)
	}
	if a, ok, _ := e.db.HandoffAgent(context.Background(), h.ID); !ok || a.ID != "a-1" {
		t.Fatalf("got agent %+v %v, want a-1", a, ok)
	}
	if code, out := e.send(t, map[string]any{"id": "ev-2", "type": "session.ended", "user": pf, "end_type": "system"}); code != 200 || out != status("applied") {
		t.Fatalf("ended: got %d %s, want 200 applied", code, out)
	}
	if got := e.handoff(t, h.ID); got.EndReason != "ended:system" || got.EndedAt.IsZero() {
		t.Fatalf("got %q at %s, want ended:system", got.EndReason, got.EndedAt)
	}
	if code, out := e.send(t, map[string]any{"id": "ev-3", "type": "session.ended", "user": pf}); code != 200 || out != status("ignored") {
		t.Fatalf("ended again: got %d %s, want 200 ignored", code, out)
	}
}

func TestDealerEventAnswers(t *testing.T) {
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	notifyHid := e.seed(t, "u2", fsm.StateWaiting, "general", "notify")
	tests := []struct {
		name     string
		dealer   string
		body     []byte
		wantCode int
		wantBody string
	}{
		{"unknown dealer", "nobody", event(map[string]any{"id": "x", "type": "session.started"}), 404, `{"error":"unknown dealer"}` + "\n"},
		{"malformed JSON", "happytalk", []byte(`{"version":1,`), 400, `{"error":"malformed JSON"}` + "\n"},
		{"at not RFC 3339", "happytalk", event(map[string]any{"id": "x", "type": "session.started", "at": "yesterday"}), 400,
			`{"error":"malformed event: at is not an RFC 3339 time (2026-11-28T04:00:00Z)"}` + "\n"},
		{"at a number", "happytalk", event(map[string]any{"id": "x", "type": "session.started", "at": 1795838400}), 400,
			`{"error":"malformed event: at is not an RFC 3339 time (2026-11-28T04:00:00Z)"}` + "\n"},
		{"version a string", "happytalk", event(map[string]any{"version": "1", "id": "x", "type": "session.started"}), 400,
			`{"error":"malformed event: version is a JSON string, want a number"}` + "\n"},
		{"plusfriend key a number", "happytalk", event(map[string]any{"id": "x", "type": "session.started", "user": map[string]any{"plusfriend_user_key": 7}}), 400,
			`{"error":"malformed event: user.plusfriend_user_key is a JSON number, want a string"}` + "\n"},
		{"version 2", "happytalk", event(map[string]any{"version": 2, "id": "x", "type": "session.started"}), 400, `{"error":"unsupported version"}` + "\n"},
		{"no id", "happytalk", event(map[string]any{"type": "session.started"}), 400, `{"error":"missing or too long id"}` + "\n"},
		{"unknown type", "happytalk", event(map[string]any{"id": "t1", "type": "session.paused", "handoff_id": hid}), 200, status("ignored")},
		{"unknown user", "happytalk", event(map[string]any{"id": "t2", "type": "session.started", "user": map[string]any{"plusfriend_user_key": "pf-nobody"}}), 200, status("ignored")},
		{"another target's handoff", "happytalk", event(map[string]any{"id": "t3", "type": "session.started", "handoff_id": notifyHid}), 200, status("ignored")},
		{"another target's user", "happytalk", event(map[string]any{"id": "t4", "type": "session.started", "user": map[string]any{"plusfriend_user_key": "pf-u2"}}), 200, status("ignored")},
		{"agent.assigned", "happytalk", event(map[string]any{"id": "t5", "type": "agent.assigned", "handoff_id": hid, "agent": map[string]any{"id": "a-3", "name": "박상담"}}), 200, status("applied")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.post(t, tc.dealer, eventSecret, time.Now(), tc.body)
			if code != tc.wantCode || out != tc.wantBody {
				t.Fatalf("got %d %s, want %d %s", code, out, tc.wantCode, tc.wantBody)
			}
		})
	}
	if c := e.conv(t, "u1"); c.State != fsm.StateWaiting {
		t.Fatalf("got %s, want waiting: agent.assigned only records the agent", c.State)
	}
	if a, ok, _ := e.db.HandoffAgent(context.Background(), hid); !ok || a.ID != "a-3" {
		t.Fatalf("got agent %+v %v, want a-3", a, ok)
	}
	if c := e.conv(t, "u2"); c.State != fsm.StateWaiting {
		t.Fatalf("got %s, want waiting: another target's handoff must not move", c.State)
	}
}

// BenchmarkDealerEvent is one signed agent.assigned event over loopback HTTP:
// verify, dedupe lookup, match by handoff id, agent write, event record.
func BenchmarkDealerEvent(b *testing.B) {
	e := newDealerEnv(b)
	hid := e.seed(b, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	i := 0
	for b.Loop() {
		i++
		code, out := e.send(b, map[string]any{"id": fmt.Sprintf("ev-%d", i), "type": "agent.assigned",
			"handoff_id": hid, "agent": map[string]any{"id": "a-1", "name": "김상담"}})
		if code != 200 || out != status("applied") {
			b.Fatalf("got %d %s, want 200 applied", code, out)
		}
	}
}

func TestDealerEventAfterTheEndRecordsNoAgent(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	if code, out := e.send(t, map[string]any{"id": "ev-1", "type": "session.ended", "handoff_id": hid,
		"end_type": "system"}); code != 200 || out != status("applied") {
		t.Fatalf("ended: got %d %s, want 200 applied", code, out)
	}
	agent := map[string]any{"id": "a-9", "name": "이상담"}
	for _, typ := range []string{"agent.assigned", "session.started", "session.ended"} {
		code, out := e.send(t, map[string]any{"id": "late-" + typ, "type": typ, "handoff_id": hid, "agent": agent})
		if code != 200 || out != status("already_applied") {
			t.Errorf("%s after the end: got %d %s, want 200 already_applied", typ, code, out)
		}
	}
	if a, ok, err := e.db.HandoffAgent(context.Background(), hid); err != nil || ok {
		t.Fatalf("got agent %+v (recorded %v, err %v), want none on a handoff nobody took before it ended", a, ok, err)
	}
	if h := e.handoff(t, hid); h.EndReason != "ended:system" || !h.AcceptedAt.IsZero() {
		t.Fatalf("got end %q accepted %s, want ended:system, never accepted", h.EndReason, h.AcceptedAt)
	}
}
