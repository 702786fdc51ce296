//go:build audit

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
)

// TestAuditReloadMovesExternalDealerQueue shows a bug: the dealer-event
// handler learns which queue a dealer serves only at start-up
// (handoff.NewDealerEvents in serve.go); applyConfig never calls
// DealerEvents.Reload. After a reload that renames the dealer's queue
// (allowed: the queue has no open handoffs), a session.started for a user
// Baton holds no handoff for opens the external handoff in the old,
// removed queue — dealer-contract.md §3.1 promises "the first queue, by
// name, whose target is this dealer". A queue newly pointed at a running
// dealer that had none at start-up likewise gets its events "ignored".
func TestAuditReloadMovesExternalDealerQueue(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dealer := newSinkRecorder(t)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	clock := &testClock{t: mondayMorning}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-external")
	s.welcome()

	writeConfig(t, path, func(s string) string {
		s = replaceOnce(t, s, `    vip: {target: "dealer:happytalk"`, `    vipdesk: {target: "dealer:happytalk"`)
		return replaceOnce(t, s, "handoff: vip}", "handoff: vipdesk}")
	})
	reloadOK(t, m)

	started := map[string]any{"version": 1, "id": "ev-ext-start", "type": "session.started",
		"at": time.Now().UTC().Format(time.RFC3339), "user": map[string]any{"plusfriend_user_key": "pf-" + s.user}}
	if code := dealerEvent(t, m, e2eDealerSecret, started); code != http.StatusOK {
		t.Fatalf("session.started: got %d, want 200", code)
	}
	var queue string
	if err := m.DB.ReadDB().QueryRow(`SELECT queue FROM handoffs WHERE user_key = ?`, s.user).Scan(&queue); err != nil {
		t.Fatalf("external handoff: %v", err)
	}
	if queue != "vipdesk" {
		t.Errorf("external handoff queue after the reload: got %q, want %q (the config in force)", queue, "vipdesk")
	}
}

// TestAuditReloadSilentStartOnlyFields shows a bug: texts.callback_wait
// (skill.Options.CallbackText) and bot.name (the dealer clients' bot name)
// are read only when serve starts (serve.go), yet restartSections
// (reload.go) does not name them, so a reload that changes them answers ok
// with no "restart needed for" note while nothing changes. docs/admin-api.md
// (Reload) lists the start-only sections and promises the note.
func TestAuditReloadSilentStartOnlyFields(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	for _, tc := range []struct{ name, old, new string }{
		{"texts.callback_wait", "texts:\n  fallback:", "texts:\n  callback_wait: 곧 답변을 보내 드릴게요.\n  fallback:"},
		{"bot.name", "bot:\n  name: 샘플몰 고객센터", "bot:\n  name: 샘플몰 상담센터"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "baton.yaml")
			writeConfig(t, path, func(s string) string { return s })
			m := startBaton(t, path, t.TempDir(), nil)
			writeConfig(t, path, func(s string) string { return replaceOnce(t, s, tc.old, tc.new) })
			code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
			if code != http.StatusOK {
				t.Fatalf("reload: got %d %v, want 200", code, body)
			}
			rec, _ := body["reload"].(map[string]any)
			detail, _ := rec["detail"].(string)
			if !strings.Contains(detail, "restart needed") {
				t.Errorf("reload detail after changing %s: got %q, want a \"restart needed for\" note (it applies only after a restart)", tc.name, detail)
			}
		})
	}
}

// TestAuditRouterTicketKeepsHandoffCode shows a bug: the tickets the router
// opens itself (Router.ticket, handoff/router.go: a dealer's final 4xx
// `dealer_failed`, `no_sink`, `router_poison`) carry no code, while the
// wait timer's dealer_failed ticket (dealer_fallback.go) carries the
// handoff's. The user was shown "상담 요청이 문의로 접수되어 ... (상담번호
// 8YQ7)", but `GET /admin/tickets?code=8YQ7` (docs/admin-api.md: code = the
// number the user was shown) finds no ticket, and the ticket's code is "".
func TestAuditRouterTicketKeepsHandoffCode(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dealer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(dealer.Close)
	t.Setenv("BATON_DEALER_URL", dealer.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-dealer-4xx")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	var handoffCode string
	if err := m.DB.ReadDB().QueryRow(`SELECT code FROM handoffs WHERE id = ?`, id).Scan(&handoffCode); err != nil {
		t.Fatal(err)
	}
	var ticketCode string
	testutil.CheckFor(t, 10*time.Second, 50*time.Millisecond, func() error {
		return m.DB.ReadDB().QueryRowContext(context.Background(),
			`SELECT code FROM tickets WHERE handoff_id = ?`, id).Scan(&ticketCode)
	})
	if ticketCode != handoffCode {
		t.Errorf("dealer_failed ticket code: got %q, want the handoff's %q (the code the user was shown)", ticketCode, handoffCode)
	}
	code, body := adminCall(t, m, http.MethodGet, "/admin/tickets?code="+handoffCode)
	if tickets, _ := body["tickets"].([]any); code != http.StatusOK || len(tickets) != 1 {
		t.Errorf("GET /admin/tickets?code=%s: got %d %v, want the dealer_failed ticket", handoffCode, code, body)
	}
}

// TestAuditFAQAnswersOnPoliteEnding shows a bug in the FAQ matcher on the
// reference config: utterances that share only a polite ending or one
// common word with an entry get that entry as a confident answer (no
// clarify, no "이해하지 못했어요"), e.g. "연결해 주세요" and "답변 좀
// 해주세요" get the sizing guide (product-size, alternate "사이즈 추천해
// 주세요"), "전화번호 알려주세요" gets how to edit the member profile
// instead of cs-phone, and "아직이에요?" gets the refund schedule. DESIGN
// (FAQ) promises answer / clarify / no match, answering only when
// confident; a wrong confident answer also resets faq_misses, so the
// escalation after repeated misses never comes.
func TestAuditFAQAnswersOnPoliteEnding(t *testing.T) {
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	for i, tc := range []struct{ say, wrong string }{
		{"연결해 주세요", "사이즈 정보"},
		{"답변 좀 해주세요", "사이즈 정보"},
		{"전화번호 알려주세요", "회원정보 수정"},
		{"아직이에요?", "검수가 끝나면"},
	} {
		s := newSession(t, m, clock, fmt.Sprintf("u-faq-%d", i))
		s.welcome()
		if r := s.say(tc.say); strings.Contains(r.text(), tc.wrong) {
			t.Errorf("%q: got the unrelated answer %q, want a clarify or no-match reply", tc.say, r.text())
		}
	}
}

// TestAuditEraseWaitingUserCancelsDealer shows a bug: erasing a user
// (DELETE /admin/users/{key}, docs/admin-api.md "Erasing a user") who waits
// in a dealer queue deletes the handoff but never tells the dealer
// (dealer-contract.md §2.2 sends a cancel only for a user cancel or a wait
// timeout). The dealer keeps the handoff — plusfriend key, masked turns,
// intake answers — in its queue; an agent who picks it up sends a
// session.started that Baton answers "ignored", and the erased user's data
// stays at the dealer with nothing to say it should go.
func TestAuditEraseWaitingUserCancelsDealer(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	dealer := newSinkRecorder(t)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", e2eDealerSecret)
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-erase-waiting")
	s.welcome()
	toDealerWaiting(s)
	id, _, _, _ := s.handoff()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests", n)
		}
		return nil
	})
	if code, body := adminCall(t, m, http.MethodDelete, "/admin/users/"+s.user); code != http.StatusOK {
		t.Fatalf("erase: got %d %v, want 200", code, body)
	}
	testutil.CheckFor(t, 5*time.Second, 20*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs/"+id+"/cancel")); n != 1 {
			return fmt.Errorf("dealer got %d cancels for the erased user's handoff %s, want 1", n, id)
		}
		return nil
	})
}

// TestAuditTypedYesKeepsEscalationReason shows a bug: the confirm question
// carries the escalation's reason only in its quick reply ("yes:<reason>"
// in the tap's extra, fsm/step.go inConfirm); a user who types "네" instead
// of tapping gets the default ReasonKeyword. A menu escalation (VIP 전용
// 상담) answered by typing is recorded, sent to the dealer and sinks
// (`reason`, dealer-contract.md §2.1) and counted as "keyword".
func TestAuditTypedYesKeepsEscalationReason(t *testing.T) {
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-typed-yes")
	s.welcome()
	s.tap("회원/계정")
	s.tap("VIP 전용 상담")
	s.say("네")
	s.tap("건너뛰기")
	id, _, _, _ := s.handoff()
	var reason string
	if err := m.DB.ReadDB().QueryRow(`SELECT reason FROM handoffs WHERE id = ?`, id).Scan(&reason); err != nil {
		t.Fatal(err)
	}
	if reason != "menu" {
		t.Errorf("handoff reason after a menu escalation confirmed by typing 네: got %q, want %q", reason, "menu")
	}
}
