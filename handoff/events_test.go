package handoff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// newEvents returns the subjects of the outbox rows written since the last
// call (seen holds the ids already returned), oldest first.
func newEvents(t *testing.T, db *store.DB, seen map[string]bool) []string {
	t.Helper()
	rows, err := db.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		if string(r.Payload) == "" {
			t.Errorf("row %s on %s has no payload", r.ID, r.Subject)
		}
		out = append(out, r.Subject)
	}
	return out
}

// textTurn posts a free-text turn of user key to /skill.
func (e *dealerEnv) textTurn(t *testing.T, key, utterance string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"intent": map[string]any{"id": "fb", "name": "폴백 블록"},
		"userRequest": map[string]any{"block": map[string]any{"id": "fb", "name": "폴백 블록"}, "utterance": utterance,
			"user": map[string]any{"id": key, "type": "botUserKey", "properties": map[string]any{
				"isFriend": true, "plusfriendUserKey": "pf-" + key}}},
		"bot":    map[string]any{"id": "bot1", "name": "샘플몰"},
		"action": map[string]any{"clientExtra": map[string]any{}},
	})
	resp, err := http.Post(e.url+"/skill", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("turn %q: got %d, want 200", utterance, resp.StatusCode)
	}
}

// seedSince is seed with the state entered at since.
func (e *dealerEnv) seedSince(t *testing.T, key string, state fsm.State, queue, target string, since time.Time) string {
	t.Helper()
	id := e.seed(t, key, state, queue, target)
	u, c, _, err := e.db.Load(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	c.StateSince = since
	if err := e.db.Commit(context.Background(), &store.TurnWrite{User: u, Conv: c}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestLifecycleEventsOnePerTransition drives every handoff transition
// through the real skill server, link actions and dealer events, and checks
// that each wrote exactly one lifecycle event, on the right subject, in the
// outbox (with the request when a turn opens a handoff).
func TestLifecycleEventsOnePerTransition(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	ctx := context.Background()
	seen := map[string]bool{}
	evt := handoff.SubjectEvent
	pf := func(key string) map[string]any { return map[string]any{"plusfriend_user_key": "pf-" + key} }
	tests := []struct {
		name string
		// do performs the transition and returns the handoff ids the
		// wanted subjects name (want gets them in order).
		do   func(t *testing.T) []string
		want func(ids []string) []string
	}{
		{"accept link", func(t *testing.T) []string {
			id := e.seed(t, "u-accept", fsm.StateWaiting, "general", "notify")
			newEvents(t, e.db, seen)
			if _, changed, err := handoff.ApplyAction(ctx, e.db, e.app, id, handoff.LinkAccept, handoff.LinkReason); err != nil || !changed {
				t.Fatalf("accept: changed %v, err %v", changed, err)
			}
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventAccepted)} }},
		{"end link", func(t *testing.T) []string {
			id := e.seed(t, "u-end", fsm.StateHuman, "general", "notify")
			newEvents(t, e.db, seen)
			if _, changed, err := handoff.ApplyAction(ctx, e.db, e.app, id, handoff.LinkEnd, handoff.LinkReason); err != nil || !changed {
				t.Fatalf("end: changed %v, err %v", changed, err)
			}
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventEnded)} }},
		{"admin end while waiting", func(t *testing.T) []string {
			id := e.seed(t, "u-admin", fsm.StateWaiting, "general", "notify")
			newEvents(t, e.db, seen)
			if _, changed, err := handoff.ApplyAction(ctx, e.db, e.app, id, handoff.LinkEnd, handoff.AdminReason); err != nil || !changed {
				t.Fatalf("end: changed %v, err %v", changed, err)
			}
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventEnded)} }},
		{"user cancel (notify)", func(t *testing.T) []string {
			id := e.seed(t, "u-cancel", fsm.StateWaiting, "general", "notify")
			newEvents(t, e.db, seen)
			e.textTurn(t, "u-cancel", "상담 취소")
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventCancel)} }},
		{"wait timeout (dealer)", func(t *testing.T) []string {
			id := e.seed(t, "u-timeout", fsm.StateWaiting, "vip", "dealer:happytalk")
			newEvents(t, e.db, seen)
			if _, err := e.app.ApplyFor(ctx, "u-timeout", id, fsm.EventWaitTimeout, fsm.EventWaitTimeout); err != nil {
				t.Fatal(err)
			}
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventTimeout)} }},
		{"not connected after the return gap", func(t *testing.T) []string {
			id := e.seedSince(t, "u-gap", fsm.StateWaiting, "general", "notify", time.Now().Add(-time.Hour))
			newEvents(t, e.db, seen)
			e.textTurn(t, "u-gap", "배송 조회")
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventTimeout)} }},
		{"returned via kakao", func(t *testing.T) []string {
			id := e.seed(t, "u-back", fsm.StateHuman, "general", "notify")
			newEvents(t, e.db, seen)
			e.textTurn(t, "u-back", "배송 조회")
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventReturned)} }},
		{"return block", func(t *testing.T) []string {
			id := e.seed(t, "u-block", fsm.StateHuman, "vip", "dealer:happytalk")
			newEvents(t, e.db, seen)
			e.returnedTurn(t, "u-block")
			return []string{id}
		}, func(ids []string) []string { return []string{evt(ids[0], handoff.EventEnded)} }},
		{"dealer session.started and session.ended", func(t *testing.T) []string {
			id := e.seed(t, "u-dealer", fsm.StateWaiting, "vip", "dealer:happytalk")
			newEvents(t, e.db, seen)
			for i, typ := range []string{"session.started", "session.started", "session.ended"} {
				if code, _ := e.send(t, map[string]any{"id": "ev-d" + string(rune('0'+i)), "type": typ, "handoff_id": id}); code != 200 {
					t.Fatalf("%s: got %d, want 200", typ, code)
				}
			}
			return []string{id}
		}, func(ids []string) []string {
			return []string{evt(ids[0], handoff.EventAccepted), evt(ids[0], handoff.EventEnded)}
		}},
		{"external handoff opened, taken and ended", func(t *testing.T) []string {
			e.seed(t, "u-ext", fsm.StateBot, "", "")
			newEvents(t, e.db, seen)
			if code, _ := e.send(t, map[string]any{"id": "ev-x0", "type": "session.started", "user": pf("u-ext")}); code != 200 {
				t.Fatalf("session.started: got %d, want 200", code)
			}
			h, ok, err := e.db.OpenHandoff(ctx, "u-ext")
			if err != nil || !ok {
				t.Fatalf("no external handoff: %v %v", ok, err)
			}
			if code, _ := e.send(t, map[string]any{"id": "ev-x1", "type": "session.ended", "user": pf("u-ext")}); code != 200 {
				t.Fatalf("session.ended: got %d, want 200", code)
			}
			return []string{h.ID}
		}, func(ids []string) []string {
			return []string{evt(ids[0], handoff.EventExternal), evt(ids[0], handoff.EventAccepted), evt(ids[0], handoff.EventEnded)}
		}},
		{"external handoff superseded by an escalation", func(t *testing.T) []string {
			e.seed(t, "u-sup", fsm.StateBot, "", "")
			if code, _ := e.send(t, map[string]any{"id": "ev-s0", "type": "agent.assigned", "user": pf("u-sup")}); code != 200 {
				t.Fatalf("agent.assigned: got %d, want 200", code)
			}
			ext, ok, err := e.db.OpenHandoff(ctx, "u-sup")
			if err != nil || !ok {
				t.Fatalf("no external handoff: %v %v", ok, err)
			}
			newEvents(t, e.db, seen)
			e.textTurn(t, "u-sup", "상담원")
			e.textTurn(t, "u-sup", "네")
			h, ok, err := e.db.OpenHandoff(ctx, "u-sup")
			if err != nil || !ok || h.ID == ext.ID {
				t.Fatalf("no new handoff: %+v %v %v", h, ok, err)
			}
			if got := e.handoff(t, ext.ID); got.EndReason != "superseded" {
				t.Fatalf("external handoff: got end %q, want superseded", got.EndReason)
			}
			return []string{ext.ID, h.Queue}
		}, func(ids []string) []string {
			return []string{handoff.SubjectRequest(ids[1]), evt(ids[0], handoff.EventSuperseded)}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := tc.do(t)
			got := newEvents(t, e.db, seen)
			want := tc.want(ids)
			// Rows of one commit share a millisecond; their order there
			// is the outbox id order, not part of the contract.
			slices.Sort(got)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outbox subjects (-want +got):\n%s", diff)
			}
		})
	}
}
