package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// tapTurn returns the turn that taps label in r (a quick reply or a message
// button); ok is false when r has none.
func tapTurn(r response, label string) (tr turn, ok bool) {
	for _, q := range r.Template.QuickReplies {
		if q.Label == label {
			return turn{Utterance: q.MessageText, Extra: q.Extra, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}, true
		}
	}
	for _, o := range r.Template.Outputs {
		for _, raw := range o {
			var card struct {
				Buttons []struct {
					Label, Action, MessageText string
					Extra                      map[string]any
				} `json:"buttons"`
			}
			if json.Unmarshal(raw, &card) != nil {
				continue
			}
			for _, b := range card.Buttons {
				if b.Label == label && b.Action == "message" {
					return turn{Utterance: b.MessageText, Extra: b.Extra, Trigger: "CARD_BUTTON_MESSAGE"}, true
				}
			}
		}
	}
	return turn{}, false
}

// escalateOver runs welcome → (taps) → 네, 연결해 주세요 for user against a
// server at addr: with no taps it asks for 상담원 (the general queue, notify);
// taps lead to another queue's option (a queue's optional intake question is
// skipped). acked is true when the last answer
// was a 200 carrying the operator button (an acknowledged escalation).
func escalateOver(client *http.Client, addr, user string, taps ...string) (acked bool, err error) {
	post := func(tr turn) (response, []byte, error) {
		tr.User, tr.IsFriend = user, true
		resp, err := client.Post("http://"+addr+"/skill", "application/json", strings.NewReader(string(tr.payload())))
		if err != nil {
			return response{}, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			return response{}, nil, fmt.Errorf("status %d: %v", resp.StatusCode, err)
		}
		var r response
		err = json.Unmarshal(body, &r)
		return r, body, err
	}
	r, _, err := post(turn{Block: "웰컴 블록"})
	if err != nil {
		return false, err
	}
	if len(taps) == 0 {
		if r, _, err = post(turn{Utterance: "상담원"}); err != nil {
			return false, err
		}
	}
	for _, label := range append(taps, "네, 연결해 주세요") {
		tr, ok := tapTurn(r, label)
		if !ok {
			return false, fmt.Errorf("%s: nothing to tap labelled %q", user, label)
		}
		var body []byte
		if r, body, err = post(tr); err != nil {
			return false, err
		}
		if label == "네, 연결해 주세요" {
			if skip, ok := tapTurn(r, "건너뛰기"); ok { // vip asks for an order number first
				if _, body, err = post(skip); err != nil {
					return false, err
				}
			}
			return strings.Contains(string(body), `"action":"operator"`), nil
		}
	}
	return false, nil
}

// TestSlowHandoffCrashEffectivelyOnce SIGKILLs `baton serve` right after 20
// acknowledged escalations (half to the notify queue, half to the 상담톡
// dealer queue) and restarts it. Every acknowledged escalation reaches the
// webhook sink or the dealer under exactly one handoff id (the receivers
// count distinct Idempotency-Keys). Baton's guarantee is at-least-once POST with
// Idempotency-Key = handoff id, and no second POST once the delivery is
// recorded; so with one kill a handoff id is POSTed at most twice (killed
// between the POST and its record), which the test also checks.
func TestSlowHandoffCrashEffectivelyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: not in -short")
	}
	hook, slack, dealer := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", "crash-dealer-secret")
	t.Setenv("BATON_HOURS_OVERRIDE", "open")
	dataDir := t.TempDir()
	client := &http.Client{Timeout: 10 * time.Second}

	c := startChild(t, dataDir)
	const users = 20
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			user := fmt.Sprintf("crash-handoff-%02d", i)
			var taps []string
			if i%2 == 1 {
				taps = []string{"회원/계정", "VIP 전용 상담"} // the vip queue: dealer:happytalk
			}
			ok, err := escalateOver(client, c.addr, user, taps...)
			if err != nil || !ok {
				t.Errorf("%s: escalation not acknowledged: %v", user, err)
				return
			}
			mu.Lock()
			acked = append(acked, user)
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
	before := len(hook.requests()) + len(dealer.requests())
	received := func() []sinkRequest { return append(hook.requests(), dealer.requests()...) }

	c = startChild(t, dataDir)
	byUser := func() map[string]map[string]int { // user → handoff id → POSTs
		out := map[string]map[string]int{}
		for _, r := range received() {
			var n struct {
				ID   string `json:"id"`
				User struct {
					BotUserKey string `json:"bot_user_key"`
				} `json:"user"`
			}
			if err := json.Unmarshal(r.Body, &n); err != nil {
				t.Fatalf("webhook body: %v", err)
			}
			if r.Header.Get("Idempotency-Key") != n.ID {
				t.Fatalf("Idempotency-Key %q, want %q", r.Header.Get("Idempotency-Key"), n.ID)
			}
			if out[n.User.BotUserKey] == nil {
				out[n.User.BotUserKey] = map[string]int{}
			}
			out[n.User.BotUserKey][n.ID]++
		}
		return out
	}
	waitReached(t, 60*time.Second, "sink", acked, byUser)
	c.stop(t)

	db, err := store.Open(context.Background(), filepath.Join(dataDir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := byUser()
	dups := 0
	for _, u := range acked {
		h, ok, err := db.OpenHandoff(context.Background(), u)
		if err != nil || !ok {
			t.Fatalf("%s: no open handoff after restart: %v", u, err)
		}
		if len(got[u]) != 1 || got[u][h.ID] == 0 {
			t.Errorf("%s: notified handoff ids %v, want exactly {%s}", u, got[u], h.ID)
		}
		if n := got[u][h.ID]; n > 2 {
			t.Errorf("%s: handoff %s POSTed %d times, want at most 2 with one kill", u, h.ID, n)
		} else if n == 2 {
			dups++
		}
	}
	if len(acked) != users {
		t.Fatalf("%d of %d escalations acknowledged", len(acked), users)
	}
	for _, r := range dealer.requests() {
		if r.Header.Get("X-Baton-Signature") == "" || !strings.HasSuffix(r.URL, "/baton/handoffs") {
			t.Errorf("dealer request %s without a signature or not to {url}/handoffs", r.URL)
		}
	}
	if len(hook.requests()) == 0 || len(dealer.requests()) == 0 {
		t.Errorf("webhook got %d and dealer %d requests; want both queues exercised", len(hook.requests()), len(dealer.requests()))
	}
	t.Logf("%d acknowledged escalations; %d delivered before the kill, %d after; %d ids POSTed twice (same Idempotency-Key)",
		len(acked), before, len(received())-before, dups)
}
