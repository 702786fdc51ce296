package handoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// hiccupStore is the real store whose next UserByPlusfriendKey fails once
// when armed: the store hiccup that gets a dealer event answered 500.
type hiccupStore struct {
	*store.DB
	mu    sync.Mutex
	armed bool
}

func (s *hiccupStore) UserByPlusfriendKey(ctx context.Context, key string) (store.User, bool, error) {
	s.mu.Lock()
	fail := s.armed
	s.armed = false
	s.mu.Unlock()
	if fail {
		return store.User{}, false, errors.New("database is locked")
	}
	return s.DB.UserByPlusfriendKey(ctx, key)
}

// lateEventEnv is a dealerEnv whose store can have one hiccup, with u1 in
// the bot state (no handoff: a user who reaches 상담톡 through the
// channel's own menu).
func lateEventEnv(t *testing.T) (*dealerEnv, *hiccupStore) {
	t.Helper()
	var hs *hiccupStore
	e := newDealerEnvWith(t, func(db *store.DB) handoff.DealerEventStore {
		hs = &hiccupStore{DB: db}
		return hs
	})
	e.seed(t, "u1", fsm.StateBot, "", "")
	return e, hs
}

// retriedAfterEnd sends body (an event that opens a session), has Baton
// answer it 500 (the hiccup), then the dealer's session.ended for u1 (ended,
// sent after body was made, so dated no earlier), then body again, the
// dealer's retry (contract §3.4: same id, same bytes). It returns the
// retry's answer.
func retriedAfterEnd(t *testing.T, e *dealerEnv, hs *hiccupStore, body []byte, ended map[string]any) (int, string) {
	t.Helper()
	hs.mu.Lock()
	hs.armed = true
	hs.mu.Unlock()
	if code, out := e.post(t, "happytalk", eventSecret, time.Now(), body); code != http.StatusInternalServerError {
		t.Fatalf("first attempt: got %d %s, want 500 (the store hiccup)", code, out)
	}
	if code, out := e.send(t, ended); code != 200 || out != status("ignored") {
		t.Fatalf("ended: got %d %s, want 200 ignored (nothing open)", code, out)
	}
	return e.post(t, "happytalk", eventSecret, time.Now(), body)
}

// TestDealerLateAssignedAfterEndedOpensNothing: a user reached 상담톡
// through the channel's own menu. The dealer's agent.assigned got a 500
// (any store hiccup), and its session.ended (the user left) went through
// before the dealer's retry of agent.assigned (contract §3.4: retry 5xx with
// the same id). The retry is late news about the ended session: it opens no
// external handoff. Before, it opened one that nothing ever closed (no
// session.ended would come, no timer watches external handoffs), counted as
// waiting in the vip queue (max_waiting) and ahead of every real user who
// queued after it.
func TestDealerLateAssignedAfterEndedOpensNothing(t *testing.T) {
	e, hs := lateEventEnv(t)
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	assigned := event(map[string]any{"id": "ev-assigned", "type": "agent.assigned", "user": pf,
		"agent": map[string]any{"id": "a-1", "name": "김상담"}})
	code, out := retriedAfterEnd(t, e, hs, assigned, map[string]any{"id": "ev-end", "type": "session.ended", "user": pf, "end_type": "user"})
	if code != 200 || out != status("already_applied") {
		t.Errorf("assigned (retried): got %d %s, want 200 already_applied (late news)", code, out)
	}
	time.Sleep(5 * time.Millisecond)
	hid2 := e.seed(t, "u2", fsm.StateWaiting, "vip", "dealer:happytalk") // a real user queues afterwards
	ctx := context.Background()
	ahead, err := e.db.WaitingAhead(ctx, e.handoff(t, hid2))
	if err != nil {
		t.Fatal(err)
	}
	h, open, err := e.db.OpenHandoff(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	reply := skillTurnReply(t, e, "u2", "언제 연결돼요?")
	if open || ahead != 0 {
		t.Fatalf("after the dealer reported u1's session ended: u1 still has open %q handoff %s (open=%v, never accepted, no timer), "+
			"and u2, the only real user waiting in vip, has %d ahead; u2 is told: %s", h.Reason, h.ID, open, ahead, reply)
	}
}

// TestDealerLateStartedAfterEndedOpensNothing: the same with a
// session.started retried after the end: no accepted external handoff is
// left open, counted among the sessions the vip agents serve.
func TestDealerLateStartedAfterEndedOpensNothing(t *testing.T) {
	e, hs := lateEventEnv(t)
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	started := event(map[string]any{"id": "ev-start", "type": "session.started", "user": pf})
	code, out := retriedAfterEnd(t, e, hs, started, map[string]any{"id": "ev-end", "type": "session.ended", "user": pf, "end_type": "agent"})
	if code != 200 || out != status("already_applied") {
		t.Errorf("started (retried): got %d %s, want 200 already_applied (late news)", code, out)
	}
	ctx := context.Background()
	if h, open, err := e.db.OpenHandoff(ctx, "u1"); err != nil || open {
		t.Fatalf("u1 has open %q handoff %s (accepted %v, err %v) after the dealer reported the session ended", h.Reason, h.ID, !h.AcceptedAt.IsZero(), err)
	}
	st, err := e.db.AcceptStats(ctx, "vip", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Serving != 0 {
		t.Errorf("vip serving %d sessions, want 0", st.Serving)
	}
}

// TestDealerLateEventWithoutAtOpensNothing: events without "at" (it is
// optional) cannot show they are newer than the end Baton heard of: after a
// session.ended, an agent.assigned without "at" opens nothing either.
func TestDealerLateEventWithoutAtOpensNothing(t *testing.T) {
	e, _ := lateEventEnv(t)
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	if code, out := e.send(t, map[string]any{"id": "ev-end", "type": "session.ended", "user": pf, "at": nil}); code != 200 {
		t.Fatalf("ended: got %d %s", code, out)
	}
	code, out := e.send(t, map[string]any{"id": "ev-assigned", "type": "agent.assigned", "user": pf, "at": nil,
		"agent": map[string]any{"id": "a-1", "name": "김상담"}})
	if code != 200 || out != status("already_applied") {
		t.Errorf("assigned without at: got %d %s, want 200 already_applied", code, out)
	}
	if h, open, err := e.db.OpenHandoff(context.Background(), "u1"); err != nil || open {
		t.Fatalf("u1 has open %q handoff %s (err %v), want none", h.Reason, h.ID, err)
	}
}

// TestDealerNewSessionAfterEndedOpensExternal: the remembered end shuts out
// only what is not newer: the user's next 상담톡 session, dated after the
// end, opens (and here accepts) an external handoff as before.
func TestDealerNewSessionAfterEndedOpensExternal(t *testing.T) {
	e, _ := lateEventEnv(t)
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	end := time.Now().UTC().Truncate(time.Second)
	if code, out := e.send(t, map[string]any{"id": "ev-end", "type": "session.ended", "user": pf,
		"at": end.Format(time.RFC3339)}); code != 200 {
		t.Fatalf("ended: got %d %s", code, out)
	}
	code, out := e.send(t, map[string]any{"id": "ev-start-2", "type": "session.started", "user": pf,
		"at": end.Add(time.Second).Format(time.RFC3339)})
	if code != 200 || out != status("applied") {
		t.Fatalf("next session's started: got %d %s, want 200 applied", code, out)
	}
	h, open, err := e.db.OpenHandoff(context.Background(), "u1")
	if err != nil || !open || h.Reason != handoff.ExternalReason || h.AcceptedAt.IsZero() {
		t.Fatalf("u1's open handoff: %+v open=%v err=%v, want an accepted external one", h, open, err)
	}
}

// TestDealerLateAssignedAfterOwnHandoffEnded: the dealer ends a handoff
// Baton sent it (session.ended naming it), and a retried agent.assigned of
// that session without handoff_id (matched by plusfriend key, rule 2) comes
// after: the user has no open handoff any more, and the late event opens no
// external one.
func TestDealerLateAssignedAfterOwnHandoffEnded(t *testing.T) {
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateHuman, "vip", "dealer:happytalk")
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	assigned := event(map[string]any{"id": "ev-assigned", "type": "agent.assigned", "user": pf,
		"agent": map[string]any{"id": "a-2", "name": "박상담"}})
	if code, out := e.send(t, map[string]any{"id": "ev-end", "type": "session.ended", "handoff_id": hid, "end_type": "agent"}); code != 200 || out != status("applied") {
		t.Fatalf("ended: got %d %s, want 200 applied", code, out)
	}
	if code, out := e.post(t, "happytalk", eventSecret, time.Now(), assigned); code != 200 || out != status("already_applied") {
		t.Errorf("assigned (retried): got %d %s, want 200 already_applied", code, out)
	}
	if h, open, err := e.db.OpenHandoff(context.Background(), "u1"); err != nil || open {
		t.Fatalf("u1 has open %q handoff %s (err %v), want none", h.Reason, h.ID, err)
	}
}

// TestDealerEndedDuringExternalOpen: a session.ended that finds nothing to
// close because it runs between a late event's check of the remembered end
// and its insert (the interleaving a loaded machine produces) does not leave
// the handoff that insert opens: the late event sees the end after its
// insert and closes what it opened.
func TestDealerEndedDuringExternalOpen(t *testing.T) {
	var es *externalRaceStore
	e := newDealerEnvWith(t, func(db *store.DB) handoff.DealerEventStore {
		es = &externalRaceStore{DB: db}
		return es
	})
	e.seed(t, "u1", fsm.StateBot, "", "")
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	assigned := event(map[string]any{"id": "ev-assigned", "type": "agent.assigned", "user": pf})
	es.before = func() {
		if code, out := e.send(t, map[string]any{"id": "ev-end", "type": "session.ended", "user": pf}); code != 200 || out != status("ignored") {
			t.Errorf("ended: got %d %s, want 200 ignored (nothing open yet)", code, out)
		}
	}
	if code, out := e.post(t, "happytalk", eventSecret, time.Now(), assigned); code != 200 || out != status("already_applied") {
		t.Errorf("assigned: got %d %s, want 200 already_applied", code, out)
	}
	ctx := context.Background()
	if h, open, err := e.db.OpenHandoff(ctx, "u1"); err != nil || open {
		t.Fatalf("u1 has open %q handoff %s (err %v), want none", h.Reason, h.ID, err)
	}
}

// skillTurnReply posts a plain user turn of key to /skill and returns the
// reply's JSON.
func skillTurnReply(t *testing.T, e *dealerEnv, key, text string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"intent": map[string]any{"id": "fallback", "name": "폴백 블록"},
		"userRequest": map[string]any{"block": map[string]any{"id": "fallback", "name": "폴백 블록"}, "utterance": text,
			"user": map[string]any{"id": key, "type": "botUserKey", "properties": map[string]any{
				"isFriend": true, "plusfriendUserKey": "pf-" + key}}},
		"bot":    map[string]any{"id": "bot1", "name": "샘플몰"},
		"action": map[string]any{"clientExtra": map[string]any{}},
	})
	resp, err := http.Post(e.url+"/skill", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return string(out)
}

// TestDealerEventWithoutAtAfterLateWindowOpens: an event without "at" is
// late news only within 10 minutes of the remembered end; later it is the
// user's next session (a dealer that never sends "at" still gets it
// tracked).
func TestDealerEventWithoutAtAfterLateWindowOpens(t *testing.T) {
	e, _ := lateEventEnv(t)
	ctx := context.Background()
	ended := time.Now().Add(-11 * time.Minute)
	if err := e.db.RecordDealerSessionEnd(ctx, "happytalk", "u1", ended, ended); err != nil {
		t.Fatal(err)
	}
	pf := map[string]any{"plusfriend_user_key": "pf-u1"}
	code, out := e.send(t, map[string]any{"id": "ev-start-later", "type": "session.started", "user": pf, "at": nil})
	if code != 200 || out != status("applied") {
		t.Fatalf("started without at 11 min after the end: got %d %s, want 200 applied", code, out)
	}
	if h, open, err := e.db.OpenHandoff(ctx, "u1"); err != nil || !open || h.Reason != handoff.ExternalReason {
		t.Fatalf("u1's open handoff: %+v open=%v err=%v, want an external one", h, open, err)
	}
}
