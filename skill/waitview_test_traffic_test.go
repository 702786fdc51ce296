package skill_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/skill"
)

// asTest makes a request body 봇 테스트 traffic (params.surface
// "BuilderBotTest"), as Kakao's admin bot test sends it.
func asTest(t testing.TB, body []byte) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["params"] = map[string]any{"surface": "BuilderBotTest"}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testToVIP walks user from the welcome to waiting in the vip dealer queue
// as 봇 테스트 traffic (toVIP's walk, every turn a test turn).
func testToVIP(t testing.TB, h http.Handler, user string) {
	t.Helper()
	a := turnOf(t, h, asTest(t, welcomeOf(user)))
	for _, label := range []string{"회원/계정", "VIP 전용 상담", "네, 연결해 주세요", "건너뛰기"} {
		a = turnOf(t, h, asTest(t, tapLabel(t, user, a, label)))
	}
	if !strings.Contains(string(a), "상담원을 연결해 드릴게요") {
		t.Fatalf("%s: the test walk did not open a handoff: %s", user, a)
	}
}

// positionOf is the queue position the status turn of user shows.
func positionOf(t testing.TB, h http.Handler, body []byte) int {
	t.Helper()
	got := string(turnOf(t, h, body))
	i := strings.Index(got, "대기 순서 ")
	if i < 0 {
		t.Fatalf("got %s, want a queue position", got)
	}
	var n int
	if _, err := fmt.Sscanf(got[i+len("대기 순서 "):], "%d번", &n); err != nil {
		t.Fatalf("got %s: %v", got, err)
	}
	return n
}

// TestQueuePositionLeavesOutTestTraffic: handoffs made by Kakao's 봇 테스트
// (test = 1) reach the dealer with "test": true, "do not route to real
// agents" (docs/dealer-contract.md): nobody serves them before a real user,
// so the position a real user is shown leaves them out, whether the
// waiting view learnt of them from this server's commits or from reading
// the queue's line (a fresh server). A tester is shown the place a real
// user would have: the real users ahead, plus one.
//
// They used to count: a real user behind two bot tests read 대기 순서 3번
// with one real user ahead.
func TestQueuePositionLeavesOutTestTraffic(t *testing.T) {
	cfg, e, db := realParts(t)
	monday := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 10:00 KST
	newServer := func() *skill.Server {
		return skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
			FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
			RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
			Now: func() time.Time { return monday },
		})
	}
	s := newServer()
	base := time.Now()
	skill.SetWaitingClock(s, func() time.Time { return base }) // the view's TTL never passes
	h := s.Handler()

	toVIP(t, h, "tt-real-a")
	testToVIP(t, h, "tt-test-1")
	testToVIP(t, h, "tt-test-2")
	toVIP(t, h, "tt-real-b")

	type place struct {
		user string
		test bool
		want int
	}
	places := []place{
		{"tt-real-a", false, 1},
		{"tt-real-b", false, 2},
		{"tt-test-1", true, 2},
		{"tt-test-2", true, 2},
	}
	check := func(step string, h http.Handler) {
		t.Helper()
		for _, c := range places {
			body := payload(c.user, "언제 연결돼요?")
			if c.test {
				body = asTest(t, body)
			}
			if got := positionOf(t, h, body); got != c.want {
				t.Errorf("%s: %s: got position %d, want %d", step, c.user, got, c.want)
			}
		}
	}
	check("this server", h)

	// Joining while the view holds the line (its TTL frozen): the view
	// adds this server's new handoffs to it, and must leave the test one
	// out.
	testToVIP(t, h, "tt-test-3")
	toVIP(t, h, "tt-real-c")
	places = append(places, place{"tt-test-3", true, 3}, place{"tt-real-c", false, 3})
	check("joined through this server", h)

	// A fresh server on the same store: its view reads the line.
	check("a fresh server", newServer().Handler())
}
