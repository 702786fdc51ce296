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

	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// escalateOver runs welcome → 상담원 → 네, 연결해 주세요 for user against a
// server at addr. acked is true when the last answer was a 200 carrying the
// operator button (an acknowledged escalation).
func escalateOver(client *http.Client, addr, user string) (acked bool, err error) {
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
	if _, _, err := post(turn{Block: "웰컴 블록"}); err != nil {
		return false, err
	}
	r, _, err := post(turn{Utterance: "상담원"})
	if err != nil {
		return false, err
	}
	for _, q := range r.Template.QuickReplies {
		if q.Label == "네, 연결해 주세요" {
			_, body, err := post(turn{Utterance: q.MessageText, Extra: q.Extra, Trigger: "QUICKREPLY_BUTTON_MESSAGE"})
			if err != nil {
				return false, err
			}
			return strings.Contains(string(body), `"action":"operator"`), nil
		}
	}
	return false, fmt.Errorf("no confirm quick reply for %s", user)
}

// TestSlowHandoffCrashExactlyOnce SIGKILLs `baton serve` right after 20
// acknowledged escalations and restarts it. Every acknowledged escalation
// reaches the webhook sink under exactly one handoff id (the receiver counts
// distinct Idempotency-Keys). Baton's guarantee is at-least-once POST with
// Idempotency-Key = handoff id, and no second POST once the delivery is
// recorded; so with one kill a handoff id is POSTed at most twice (killed
// between the POST and its record), which the test also checks.
func TestSlowHandoffCrashExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: not in -short")
	}
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
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
			ok, err := escalateOver(client, c.addr, user)
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
	before := len(hook.requests())

	c = startChild(t, dataDir)
	byUser := func() map[string]map[string]int { // user → handoff id → POSTs
		out := map[string]map[string]int{}
		for _, r := range hook.requests() {
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
	testutil.CheckFor(t, 60*time.Second, 50*time.Millisecond, func() error {
		got := byUser()
		for _, u := range acked {
			if len(got[u]) == 0 {
				return fmt.Errorf("%s: no notification yet (%d of %d users notified)", u, len(got), len(acked))
			}
		}
		return nil
	})
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-c.done

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
	t.Logf("%d acknowledged escalations; %d notified before the kill, %d after; %d ids POSTed twice (same Idempotency-Key)",
		len(acked), before, len(hook.requests())-before, dups)
}
