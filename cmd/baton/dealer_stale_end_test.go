package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
)

// TestDealerStaleEndKeepsTheNewHandoff checks that a dealer's session.ended
// for handoff A, racing the user's turn that ends A and opens handoff B
// (escalation.confirm off: "상담원" from human), never ends B: dealer events
// apply only while the conversation still holds the handoff they name
// (ApplyFor, under the user's lock), like the accept/end links. A late end
// is answered 200 (already_applied) and B stays waiting.
func TestDealerStaleEndKeepsTheNewHandoff(t *testing.T) {
	t.Parallel()
	dealer := newSinkRecorder(t)
	env := testEnv{}
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return strings.Replace(s, "  confirm: true\n", "  confirm: false\n", 1)
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)

	const users = 16
	sessions := make([]*session, users)
	ids := make([]string, users)
	for i := range sessions {
		s := newSession(t, m, clock, fmt.Sprintf("u-stale-end-%02d", i))
		s.welcome()
		s.tap("회원/계정")
		s.tap("VIP 전용 상담")
		if s.conv().State == fsm.StateConfirm {
			s.tap("건너뛰기") // vip's order-number question
		}
		s.wantState(fsm.StateWaiting)
		id, q, _, _ := s.handoff()
		if !strings.HasPrefix(q, "vip") {
			t.Fatalf("handoff queue %q, want vip (a dealer queue)", q)
		}
		started := map[string]any{"version": 1, "id": "ev-start-" + id, "type": "session.started", "handoff_id": id,
			"at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}}
		if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
			t.Fatalf("session.started: got %d", code)
		}
		s.wantState(fsm.StateHuman)
		sessions[i], ids[i] = s, id
	}
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Go(func() { sayAsync(t, m, s.user, "상담원") }) // back from the human: A ends, B opens
		wg.Go(func() {
			for n := range 3 {
				ended := map[string]any{"version": 1, "id": fmt.Sprintf("ev-end-%s-%d", ids[i], n), "type": "session.ended",
					"handoff_id": ids[i], "at": time.Now().UTC().Format(time.RFC3339), "end_type": "agent"}
				body, _ := json.Marshal(ended)
				req, _ := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/dealers/happytalk/events", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(e2eDealerSecret), time.Now(), body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: session.ended: got %d, want 200", s.user, resp.StatusCode)
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	bad := 0
	for i, s := range sessions {
		c := s.conv()
		if c.State == fsm.StateWaiting && c.HandoffID != "" && c.HandoffID != ids[i] {
			continue
		}
		bad++
		var b struct{ id, reason string }
		_ = m.DB.ReadDB().QueryRowContext(context.Background(),
			`SELECT id, COALESCE(end_reason, '') FROM handoffs WHERE user_key = ? AND id != ? ORDER BY id DESC LIMIT 1`,
			s.user, ids[i]).Scan(&b.id, &b.reason)
		t.Errorf("%s: got %s on %q, want waiting on a new handoff (A was %s; newest other handoff %s ended %q)",
			s.user, c.State, c.HandoffID, ids[i], b.id, b.reason)
	}
	t.Logf("%d of %d users lost their new handoff to A's session.ended", bad, users)
}
