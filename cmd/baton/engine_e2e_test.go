package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/baton-chat/baton/internal/kakaospec"
)

// unlimitedConfig is the example config with the per-user rate limit lifted,
// for tests that send many turns for one user at one instant.
func unlimitedConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	const limit = "rate_limit: {turns: 10, per: 10s, burst: 5}"
	if !strings.Contains(string(b), limit) {
		t.Fatalf("example config no longer has %q", limit)
	}
	s := strings.Replace(string(b), limit, "rate_limit: {turns: 1000000, per: 1s, burst: 1000000}", 1)
	p := filepath.Join(t.TempDir(), "unlimited.yaml")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCrawlMenus taps every button and quick reply reachable from the
// welcome block (breadth first, a fresh user per path) and checks every
// answer is a valid SkillResponse and never the fallback.
func TestCrawlMenus(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, unlimitedConfig(t), t.TempDir(), clock)
	type path []string
	queue := []path{{}}
	seen := map[string]bool{}
	answers, users := 0, 0
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		users++
		s := newSession(t, m, clock, fmt.Sprintf("crawler-%d", users))
		s.welcome()
		for _, label := range p {
			s.tap(label)
		}
		answers += 1 + len(p)
		if len(p) >= 6 {
			continue
		}
		var next []string
		for _, q := range s.last.Template.QuickReplies {
			next = append(next, q.Label+"\x00"+tapKey(q.Extra))
		}
		for _, b := range s.buttons() {
			if b.Action == "message" {
				next = append(next, b.Label+"\x00"+tapKey(b.Extra))
			}
		}
		for _, n := range next {
			label, key, _ := strings.Cut(n, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			queue = append(queue, append(slices.Clone(p), label))
		}
	}
	if len(seen) < 40 {
		t.Fatalf("the crawl reached only %d distinct taps: the menus are not being followed", len(seen))
	}
	t.Logf("crawled %d distinct taps with %d users, %d valid answers", len(seen), users, answers)
}

// tapKey identifies a tap by Baton's extra (menu, option, state).
func tapKey(extra map[string]any) string {
	b, _ := extra["baton"].(map[string]any)
	return fmt.Sprintf("%v/%v/%v", b["n"], b["o"], b["s"])
}

// TestConcurrentTurnsOfOneUser sends 50 turns of one user at once. Baton
// serialises them; replaying the order they were stored in, one at a time,
// on a fresh user must end in exactly the same faq_misses and menu_path.
func TestConcurrentTurnsOfOneUser(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, unlimitedConfig(t), t.TempDir(), clock)
	ctx := context.Background()

	a := newSession(t, m, clock, "u-concurrent")
	menu := a.welcome()
	byUtterance := map[string]turn{}
	var reqs []turn
	for i := range 50 {
		var tr turn
		switch i % 5 {
		case 0, 1: // a main-menu tap (goto pushes the menu path)
			q := menu.Template.QuickReplies[i%3]
			tr = turn{Utterance: q.MessageText, Extra: q.Extra, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}
		case 2: // a no-match (counts a miss)
			tr = turn{Utterance: fmt.Sprintf("흐음 %c%c", 'ㄱ'+rune(i), 'ㅏ'+rune(i%7))}
		case 3: // numeric input
			tr = turn{Utterance: fmt.Sprint(1 + i%3)}
		case 4: // home
			tr = turn{Utterance: "0"}
		}
		tr.User, tr.IsFriend = a.user, true
		byUtterance[tr.Utterance] = tr
		reqs = append(reqs, tr)
	}
	var wg sync.WaitGroup
	for _, tr := range reqs {
		wg.Go(func() {
			if code, body := postSkill(t, m, tr.payload(), nil); code != 200 || kakaospec.Validate(body) != nil || isFallback(t, body) {
				t.Errorf("turn %q: got %d %s", tr.Utterance, code, body)
			}
		})
	}
	wg.Wait()

	// The order Baton processed them in: a user's turns commit one at a
	// time under the user's lock, so SQLite's insertion order (rowid) is the
	// processing order. (Turn ids are not: with this fixed clock every turn
	// shares one millisecond, and a ULID minted elsewhere on the real clock
	// re-seeds the random part between them.)
	rows, err := m.DB.ReadDB().QueryContext(ctx, `SELECT utterance FROM turns WHERE user_key = ? ORDER BY rowid`, a.user)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		order = append(order, u)
	}
	rows.Close()
	if len(order) != 51 {
		t.Fatalf("got %d stored turns, want 51 (welcome + 50)", len(order))
	}

	b := newSession(t, m, clock, "u-sequential")
	b.welcome()
	for _, u := range order[1:] {
		tr, ok := byUtterance[u]
		if !ok {
			t.Fatalf("stored utterance %q was never sent", u)
		}
		b.send(tr)
	}
	ca, cb := a.conv(), b.conv()
	if ca.FAQMisses != cb.FAQMisses || !slices.Equal(ca.MenuPath, cb.MenuPath) || ca.State != cb.State {
		t.Fatalf("concurrent: misses %d path %v state %s; sequential replay: misses %d path %v state %s",
			ca.FAQMisses, ca.MenuPath, ca.State, cb.FAQMisses, cb.MenuPath, cb.State)
	}
	if ca.Version != 51 {
		t.Fatalf("conversation version %d, want 51: a turn was lost or applied twice", ca.Version)
	}
}
