package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

const e2eDealerSecret = "e2e-dealer-secret"

// dealerEvent posts a signed contract-v1 event to /dealers/happytalk/events
// and returns the status. secret signs it (a wrong one forges it).
func dealerEvent(t *testing.T, m *Main, secret string, ev map[string]any) int {
	t.Helper()
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+m.PublicAddr()+"/dealers/happytalk/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(handoff.SignatureHeader, handoff.Sign([]byte(secret), time.Now(), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// dealerRequests returns the recorded dealer requests whose path ends with suffix,
// after checking each is signed with the dealer secret over its raw body.
func dealerRequests(t *testing.T, rec *sinkRecorder, suffix string) []sinkRequest {
	t.Helper()
	var out []sinkRequest
	for _, r := range rec.requests() {
		if !strings.HasSuffix(r.URL, suffix) {
			continue
		}
		if err := handoff.Verify([]byte(e2eDealerSecret), r.Header.Get(handoff.SignatureHeader), r.Body, time.Now(), 5*time.Minute); err != nil {
			t.Fatalf("dealer request %s: %v", r.URL, err)
		}
		out = append(out, r)
	}
	return out
}

// TestSangdamtalkHandoff is the 상담톡 set-up end to end: the dealer gets the
// signed context, session.started hands the user to a human, the returned
// block and session.ended — in either order — end it once and the bot greets
// the user back; forged and replayed events change nothing; a user cancel
// reaches the dealer.
func TestSangdamtalkHandoff(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"returned block first", "session.ended first"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			dealer := newSinkRecorder(t)
			env := testEnv{}
			env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
			env["BATON_DEALER_SECRET"] = e2eDealerSecret
			clock := &testClock{t: mondayMorning}
			m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
			s := newSession(t, m, clock, "u-sangdam")
			s.welcome()
			toDealerWaiting(s)
			id, _, _, _ := s.handoff()

			testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
				if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
					return fmt.Errorf("dealer got %d handoff requests", n)
				}
				return nil
			})
			got := dealerRequests(t, dealer, "/baton/handoffs")[0]
			var body struct {
				Version int    `json:"version"`
				ID      string `json:"id"`
				Queue   string `json:"queue"`
				User    struct {
					PlusfriendUserKey string `json:"plusfriend_user_key"`
				} `json:"user"`
				Context struct {
					Turns []struct{ From, Text string } `json:"turns"`
				} `json:"context"`
			}
			if err := json.Unmarshal(got.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.Version != 1 || body.ID != id || body.Queue != "vip" || body.User.PlusfriendUserKey != "pf-"+s.user || len(body.Context.Turns) == 0 {
				t.Fatalf("dealer got %s", got.Body)
			}
			if got.Header.Get("Idempotency-Key") != id {
				t.Fatalf("Idempotency-Key %q, want %q", got.Header.Get("Idempotency-Key"), id)
			}

			started := map[string]any{"version": 1, "id": "ev-start", "type": "session.started", "handoff_id": id,
				"at": time.Now().UTC().Format(time.RFC3339), "agent": map[string]any{"id": "a1", "name": "김상담"}}
			if code := dealerEvent(t, m, "forged-secret", started); code != http.StatusUnauthorized {
				t.Fatalf("forged event: got %d, want 401", code)
			}
			s.wantState(fsm.StateWaiting)
			if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
				t.Fatalf("session.started: got %d", code)
			}
			s.wantState(fsm.StateHuman)
			version := s.conv().Version
			if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
				t.Fatalf("replayed event: got %d, want 200", code)
			}
			if v := s.conv().Version; v != version {
				t.Fatalf("a replayed event changed the conversation (version %d → %d)", version, v)
			}

			ended := map[string]any{"version": 1, "id": "ev-end", "type": "session.ended", "handoff_id": id,
				"at": time.Now().UTC().Format(time.RFC3339), "end_type": "agent"}
			returned := func() {
				s.send(turn{Block: "상담 종료"})
				s.wantText("상담이 종료")
				if !s.hasQuickReply("주문/배송") {
					t.Fatalf("the returned block does not show the menu: %s", s.raw)
				}
			}
			if order == "returned block first" {
				returned()
				if code := dealerEvent(t, m, e2eDealerSecret, ended); code != http.StatusOK {
					t.Fatalf("late session.ended: got %d", code)
				}
			} else {
				if code := dealerEvent(t, m, e2eDealerSecret, ended); code != http.StatusOK {
					t.Fatalf("session.ended: got %d", code)
				}
				s.wantState(fsm.StateBot)
				returned()
			}
			s.wantState(fsm.StateBot)
			var endedAt int64
			var reason string
			if err := m.DB.ReadDB().QueryRow(`SELECT ended_at, end_reason FROM handoffs WHERE id = ?`, id).Scan(&endedAt, &reason); err != nil {
				t.Fatal(err)
			}
			if reason == "" || endedAt == 0 {
				t.Fatalf("handoff not ended: %d %q", endedAt, reason)
			}
			var open int
			if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM handoffs WHERE user_key = ? AND ended_at IS NULL`, s.user).Scan(&open); err != nil || open != 0 {
				t.Fatalf("%d handoffs still open (%v)", open, err)
			}

			// A user cancel on a new handoff reaches the dealer as cancel.
			toDealerWaiting(s)
			id2, _, _, _ := s.handoff()
			s.tap("상담 취소")
			s.wantState(fsm.StateBot)
			testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
				if n := len(dealerRequests(t, dealer, "/baton/handoffs/"+id2+"/cancel")); n != 1 {
					return fmt.Errorf("dealer got %d cancels for %s", n, id2)
				}
				return nil
			})
		})
	}
}
