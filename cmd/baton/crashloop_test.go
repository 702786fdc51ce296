package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/baton-chat/baton/store"
)

// handoffPosts counts, per user, the handoff ids the webhook sink and the
// dealer received and how often each was POSTed.
func handoffPosts(t *testing.T, reqs []sinkRequest) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{}
	for _, r := range reqs {
		if strings.HasSuffix(r.URL, "/cancel") {
			continue
		}
		var n struct {
			ID   string `json:"id"`
			User struct {
				BotUserKey string `json:"bot_user_key"`
			} `json:"user"`
		}
		if err := json.Unmarshal(r.Body, &n); err != nil {
			t.Fatalf("%s: body: %v", r.URL, err)
		}
		if got := r.Header.Get("Idempotency-Key"); got != n.ID {
			t.Fatalf("%s: Idempotency-Key %q, want the handoff id %q", r.URL, got, n.ID)
		}
		if out[n.User.BotUserKey] == nil {
			out[n.User.BotUserKey] = map[string]int{}
		}
		out[n.User.BotUserKey][n.ID]++
	}
	return out
}

// TestSlowCrashLoopEscalations escalates users (the notify queue and, for
// up to 30 of them, the 상담톡 dealer queue) while `baton serve` is
// SIGKILLed 20 times at random moments and restarted each time. Then every
// escalation acknowledged to a user (a 200 holding the operator button)
// reached the webhook sink or the dealer under exactly one handoff id —
// the user's open handoff — and a repeated POST of that id carries the
// same Idempotency-Key (Baton's contract is at-least-once with that key);
// PRAGMA integrity_check is ok; and, once timers land, no conversation in
// waiting or after_hours lacks a pending timer.
func TestSlowCrashLoopEscalations(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop: not in -short")
	}
	hook, slack, dealer := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", "crash-loop-dealer-secret")
	t.Setenv("BATON_HOURS_OVERRIDE", "open")
	dataDir := t.TempDir()
	rng := rand.New(rand.NewPCG(8, 20))
	const kills, workers, maxVIP = 20, 6, 30 // the vip queue holds at most 50 waiting
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	var mu sync.Mutex
	var acked []string
	var vip atomic.Int32
	start := time.Now()
	for round := range kills {
		c := startChild(t, dataDir)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					user := fmt.Sprintf("loop-r%02d-w%d-%03d", round, w, i)
					var taps []string
					if i%3 == 1 && vip.Add(1) <= maxVIP {
						taps = []string{"회원/계정", "VIP 전용 상담"} // dealer:happytalk
					}
					ok, err := escalateOver(client, c.addr, user, taps...)
					if err != nil {
						return // killed mid-escalation: not acknowledged
					}
					if !ok {
						t.Errorf("%s: escalation answered without the operator button", user)
						return
					}
					mu.Lock()
					acked = append(acked, user)
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(150+rng.IntN(450)) * time.Millisecond) // a random moment under load, not a wait for a condition
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-c.done
		close(stop)
		wg.Wait()
		client.CloseIdleConnections()
	}
	loop := time.Since(start)
	if len(acked) < kills {
		t.Fatalf("only %d escalations acknowledged over %d rounds: the load did not run", len(acked), kills)
	}

	// Restart once more and let the outbox and router finish.
	c := startChild(t, dataDir)
	received := func() []sinkRequest { return append(hook.requests(), dealer.requests()...) }
	waitReached(t, 60*time.Second, "sink or dealer", acked, func() map[string]map[string]int { return handoffPosts(t, received()) })
	c.stop(t)

	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dataDir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity check: %v", err)
	}
	got := handoffPosts(t, received())
	repeats := 0
	for _, u := range acked {
		h, ok, err := db.OpenHandoff(ctx, u)
		if err != nil || !ok {
			t.Errorf("%s: acknowledged, but no open handoff after the loop (err %v)", u, err)
			continue
		}
		if len(got[u]) != 1 || got[u][h.ID] == 0 {
			t.Errorf("%s: delivered handoff ids %v, want exactly {%s}", u, got[u], h.ID)
		}
		repeats += got[u][h.ID] - 1
	}
	if len(dealer.requests()) == 0 || len(hook.requests()) == 0 {
		t.Errorf("dealer got %d and webhook %d requests; want both targets exercised", len(dealer.requests()), len(hook.requests()))
	}
	checkNoOrphanedWaits(t, db)
	t.Logf("%d kills in %s, %d acknowledged escalations (%d to the dealer), each delivered under one handoff id; %d repeated POSTs (same Idempotency-Key); %d handoffs delivered in all",
		kills, loop.Round(time.Millisecond), len(acked), min(int(vip.Load()), maxVIP), repeats, len(got))
}

// checkNoOrphanedWaits fails when a conversation in waiting or after_hours
// has no pending timer to end the wait.
func checkNoOrphanedWaits(t *testing.T, db *store.DB) {
	t.Helper()
	orphans, err := db.ConversationsWithoutTimer(context.Background())
	if err != nil {
		t.Fatalf("conversations without a timer: %v", err)
	}
	if len(orphans) > 0 {
		t.Errorf("%d conversations in waiting or after_hours without a pending timer, e.g. %s", len(orphans), orphans[0])
	}
}
