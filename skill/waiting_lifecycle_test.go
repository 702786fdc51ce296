package skill_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
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

// Waiting and human states through the real pipeline: the welcome block
// while waiting, a cancel racing an agent's accept, cancels typed or tapped
// when nothing is open any more, polite cancels, and taps of bubbles built
// in a state the conversation has left (DESIGN §3 step 4, §5).

// settableClock is a clock for the server's turns that a test moves on.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *settableClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// oneOnOneServer is the real pipeline on the shipped example config as it
// ships (kakao.consultation one_on_one, every queue notify, return_gap 10m,
// wait_timeout.notify 30m), a real SQLite store in a temp dir, and a
// settable clock starting Monday 10:00 KST (open hours).
func oneOnOneServer(t *testing.T) (*skill.Server, http.Handler, *store.DB, *settableClock) {
	t.Helper()
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	if cfg.Kakao.Consultation != configs.ConsultationOneOnOne {
		t.Fatalf("the example config is no longer one_on_one: %q", cfg.Kakao.Consultation)
	}
	db := testutil.Store(t)
	clk := &settableClock{now: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: clk.Now,
	})
	return s, s.Handler(), db, clk
}

// toGeneral walks user from the welcome to waiting on the general queue
// (main menu 상담원 연결, then 네, 연결해 주세요); it returns the welcome's
// reply and the waiting reply.
func toGeneral(t *testing.T, h http.Handler, user string) (welcome, waiting []byte) {
	t.Helper()
	welcome = turnOf(t, h, welcomeOf(user))
	a := turnOf(t, h, tapLabel(t, user, welcome, "상담원 연결"))
	waiting = turnOf(t, h, tapLabel(t, user, a, "네, 연결해 주세요"))
	if !strings.Contains(string(waiting), `"action":"operator"`) {
		t.Fatalf("%s: setup: not waiting: %s", user, waiting)
	}
	return welcome, waiting
}

func conversationOf(t *testing.T, db *store.DB, user string) fsm.Conversation {
	t.Helper()
	_, c, ok, err := db.Load(context.Background(), user)
	if err != nil || !ok {
		t.Fatalf("%s: load: %v %v", user, ok, err)
	}
	return c
}

// lastEndReason is the end reason of user's latest handoff ("" while open).
func lastEndReason(t *testing.T, db *store.DB, user string) string {
	t.Helper()
	var r *string
	if err := db.ReadDB().QueryRow(`SELECT end_reason FROM handoffs WHERE user_key = ? ORDER BY created_at DESC, id DESC LIMIT 1`, user).Scan(&r); err != nil {
		t.Fatalf("%s: handoff: %v", user, err)
	}
	if r == nil {
		return ""
	}
	return *r
}

// notFriend turns a payload into one of a user who has not added the
// channel (isFriend absent): no Event API message can ever reach them.
func notFriend(t *testing.T, body []byte) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	u := p["userRequest"].(map[string]any)["user"].(map[string]any)
	u["properties"] = map[string]any{}
	out, _ := json.Marshal(p)
	return out
}

// TestWelcomeAfterReturnGapKeepsWait: DESIGN §5 welcome rule 5 — "Welcome
// block during waiting: the status, never a reset". A one_on_one user waits
// on the general queue (wait timeout 30m); 11 minutes in (past return_gap
// 10m) they re-enter the chat room and Kakao fires the welcome block. They
// said nothing: the handoff stays open and the operator button is
// re-offered (the return gap counts the user's own turns only).
func TestWelcomeAfterReturnGapKeepsWait(t *testing.T) {
	_, h, db, clk := oneOnOneServer(t)
	const user = "u-welcome-gap"
	toGeneral(t, h, user)
	clk.Add(11 * time.Minute)
	got := string(turnOf(t, h, welcomeOf(user)))
	c := conversationOf(t, db, user)
	if c.State != fsm.StateWaiting || c.HandoffID == "" {
		t.Errorf("welcome block 11 min into a one_on_one wait: state %s handoff %q (end reason %q), reply %s; want waiting with the handoff open (welcome rule 5)",
			c.State, c.HandoffID, lastEndReason(t, db, user), got)
	}
	if !strings.Contains(got, `"action":"operator"`) {
		t.Errorf("welcome block while waiting: reply %s; want the status (operator button re-offered)", got)
	}
	// The user's own turn after the gap still ends the wait as not_connected.
	got = string(turnOf(t, h, payload(user, "배송비 얼마예요")))
	if c := conversationOf(t, db, user); c.State != fsm.StateBot || lastEndReason(t, db, user) != "not_connected" {
		t.Errorf("a typed turn past return_gap: state %s end reason %q, reply %.200s…; want bot, not_connected",
			c.State, lastEndReason(t, db, user), got)
	}
}

// TestCancelTapRacingAcceptCancels: a one_on_one user taps 상담 취소 on
// their waiting reply just as an agent's accept link is committed (waiting
// → human). The tap lands in human: the user cancelled — texts.cancelled
// and the menu, the handoff closed as user_cancel (the agent is told the
// user left) — with no stale-tap text (nothing changed) and no CSAT
// question about a session that never took place.
func TestCancelTapRacingAcceptCancels(t *testing.T) {
	s, h, db, _ := oneOnOneServer(t)
	const user = "u-cancel-accept"
	_, waiting := toGeneral(t, h, user)
	if _, err := s.Apply(context.Background(), user, fsm.EventAccepted, handoff.LinkReason); err != nil {
		t.Fatal(err)
	}
	got := string(turnOf(t, h, tapLabel(t, user, waiting, "상담 취소")))
	tx := configs.DefaultTexts()
	if strings.Contains(got, tx.StaleTap) {
		t.Errorf("상담 취소 tapped as the agent accepted: reply says %q (no menu changed): %s", tx.StaleTap, got)
	}
	if strings.Contains(got, tx.CSATQuestion) {
		t.Errorf("상담 취소 tapped as the agent accepted: reply asks the CSAT question about a session the user cancelled: %s", got)
	}
	if !strings.Contains(got, tx.Cancelled) {
		t.Errorf("상담 취소 tapped as the agent accepted: reply %s; want %q", got, tx.Cancelled)
	}
	if r := lastEndReason(t, db, user); r != "user_cancel" {
		t.Errorf("handoff end reason %q, want user_cancel (the agent is told the user came back to the bot)", r)
	}
	if c := conversationOf(t, db, user); c.State != fsm.StateBot || c.CSATPending != "" {
		t.Errorf("after the cancel: state %s, CSAT pending %q; want bot, none", c.State, c.CSATPending)
	}
}

// TestTypedCancelAfterHandoffIsNoQuestion: "상담 취소" typed when the
// handoff is no longer waiting — the wait timed out as the user typed, or
// an agent had just accepted — is no question for the FAQ: no "질문을
// 이해하지 못했어요" and no FAQ miss, so typed again (the user insists) it
// never reaches escalation.faq_misses and "상담원을 연결할까요?". With the
// handoff gone the bot says nothing is pending.
func TestTypedCancelAfterHandoffIsNoQuestion(t *testing.T) {
	tx := configs.DefaultTexts()
	for _, tc := range []struct {
		name, event, reason string
	}{
		{"wait timed out", fsm.EventWaitTimeout, ""},
		{"agent accepted", fsm.EventAccepted, handoff.LinkReason},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, h, db, _ := oneOnOneServer(t)
			const user = "u-typed-cancel"
			toGeneral(t, h, user)
			if _, err := s.Apply(context.Background(), user, tc.event, tc.reason); err != nil {
				t.Fatal(err)
			}
			first := string(turnOf(t, h, payload(user, "상담 취소")))
			if strings.Contains(first, tx.NoMatch) {
				t.Errorf("first 상담 취소: reply %s; want no %q for the cancel quick reply's own words", first, tx.NoMatch)
			}
			second := string(turnOf(t, h, payload(user, "상담 취소")))
			c := conversationOf(t, db, user)
			if c.State == fsm.StateConfirm || strings.Contains(second, tx.ConfirmQuestion) {
				t.Errorf("second 상담 취소: state %s, reply %s; a cancel must not be answered with %q",
					c.State, second, tx.ConfirmQuestion)
			}
			if !strings.Contains(second, tx.NothingToCancel) || c.FAQMisses != 0 {
				t.Errorf("second 상담 취소: reply %s, FAQ misses %d; want %q and no miss", second, c.FAQMisses, tx.NothingToCancel)
			}
		})
	}
}

// TestWaitingCancelPhrases: ordinary polite ways of cancelling a wait
// ("상담 취소 부탁드립니다", "그냥 취소해 주세요", "취소하겠습니다") cancel it,
// in a dealer queue and on a one_on_one queue alike; "주문 취소하겠습니다"
// names the order, not the wait: it is answered (the FAQ as the bot on a
// one_on_one queue) and the wait goes on.
func TestWaitingCancelPhrases(t *testing.T) {
	phrases := []string{"상담 취소 부탁드립니다", "그냥 취소해 주세요", "취소하겠습니다", "아 대기 취소할게요"}
	cancelled := configs.DefaultTexts().Cancelled
	t.Run("dealer", func(t *testing.T) {
		_, h := waitingServer(t)
		for i, p := range phrases {
			user := "u-phrase-d" + string(rune('a'+i))
			toVIP(t, h, user)
			if got := string(turnOf(t, h, payload(user, p))); !strings.Contains(got, cancelled) {
				t.Errorf("%q while waiting (dealer): reply %s; want %q", p, got, cancelled)
			}
		}
	})
	t.Run("one_on_one", func(t *testing.T) {
		_, h, db, _ := oneOnOneServer(t)
		for i, p := range phrases {
			user := "u-phrase-o" + string(rune('a'+i))
			toGeneral(t, h, user)
			if got := string(turnOf(t, h, payload(user, p))); !strings.Contains(got, cancelled) {
				t.Errorf("%q while waiting (one_on_one): reply %.300s…; want %q", p, got, cancelled)
			}
			if r := lastEndReason(t, db, user); r != "user_cancel" {
				t.Errorf("%q while waiting (one_on_one): end reason %q, want user_cancel", p, r)
			}
		}
		const user = "u-phrase-order"
		toGeneral(t, h, user)
		got := string(turnOf(t, h, payload(user, "주문 취소하겠습니다")))
		if strings.Contains(got, cancelled) || conversationOf(t, db, user).State != fsm.StateWaiting {
			t.Errorf("주문 취소하겠습니다 while waiting (one_on_one): reply %.300s…; want the wait kept", got)
		}
		if !strings.Contains(got, "주문 취소") {
			t.Errorf("주문 취소하겠습니다 while waiting (one_on_one): reply %.300s…; want the order-cancel answer", got)
		}
	})
}

// TestRepeatedTapIsNoMenuChange: a fast double tap sends the same quick
// reply twice. The second tap of 상담 취소 (the wait is already cancelled)
// and of the main menu's 상담원 연결 (the confirm question is already
// asked) come on the same config version: nothing changed, the state moved
// on, so neither is answered "메뉴가 바뀌었어요". The second 상담 취소 is
// told nothing is pending; the second 상담원 연결 gets the question again.
func TestRepeatedTapIsNoMenuChange(t *testing.T) {
	_, h, db, _ := oneOnOneServer(t)
	tx := configs.DefaultTexts()
	t.Run("상담 취소 twice", func(t *testing.T) {
		const user = "u-double-cancel"
		_, waiting := toGeneral(t, h, user)
		tap := tapLabel(t, user, waiting, "상담 취소")
		turnOf(t, h, tap)
		got := string(turnOf(t, h, tap))
		if strings.Contains(got, tx.StaleTap) {
			t.Errorf("second 상담 취소 tap: reply %.300s…; says %q though no menu changed", got, tx.StaleTap)
		}
		if !strings.Contains(got, tx.NothingToCancel) {
			t.Errorf("second 상담 취소 tap: reply %.300s…; want %q", got, tx.NothingToCancel)
		}
	})
	t.Run("상담원 연결 twice", func(t *testing.T) {
		const user = "u-double-agent"
		w := turnOf(t, h, welcomeOf(user))
		tap := tapLabel(t, user, w, "상담원 연결")
		turnOf(t, h, tap)
		got := string(turnOf(t, h, tap))
		if strings.Contains(got, tx.StaleTap) {
			t.Errorf("second 상담원 연결 tap: reply %s; says %q though no menu changed", got, tx.StaleTap)
		}
		if c := conversationOf(t, db, user); c.State != fsm.StateConfirm || !strings.Contains(got, tx.ConfirmQuestion) {
			t.Errorf("second 상담원 연결 tap: state %s, reply %s; want the confirm question again", c.State, got)
		}
	})
}

// TestMenuTapBackFromHuman: back from a one_on_one human (Kakao routes the
// user to the bot again), the user taps 주문/배송 on the main menu bubble
// they still have. The turn ends the handoff and continues in bot state,
// where that tap (same config, built in bot state) means the shipping
// menu: it is answered with it, not "메뉴가 바뀌었어요" — the CSAT question
// is asked as on every return from a human.
func TestMenuTapBackFromHuman(t *testing.T) {
	s, h, db, clk := oneOnOneServer(t)
	const user = "u-back-tap"
	welcome, _ := toGeneral(t, h, user)
	if _, err := s.Apply(context.Background(), user, fsm.EventAccepted, handoff.LinkReason); err != nil {
		t.Fatal(err)
	}
	clk.Add(5 * time.Minute)
	got := string(turnOf(t, h, tapLabel(t, user, welcome, "주문/배송")))
	tx := configs.DefaultTexts()
	if strings.Contains(got, tx.StaleTap) || !strings.Contains(got, "주문/배송 메뉴예요") {
		t.Errorf("주문/배송 tapped back from a human: reply %.400s…; want the shipping menu", got)
	}
	if !strings.Contains(got, tx.CSATQuestion) {
		t.Errorf("주문/배송 tapped back from a human: reply %.400s…; want the CSAT question", got)
	}
	if r := lastEndReason(t, db, user); r != "returned_via_kakao" {
		t.Errorf("end reason %q, want returned_via_kakao", r)
	}
}
