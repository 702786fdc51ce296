package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// TestNotifyOnOpenNeedsEventAPI: "열리면 알려주세요" is offered after hours
// only when a reopen message can be sent — the Event API is on (a REST API
// key) and has a reopen event — and a reload keeps that (event_api is read
// only at start-up). With the example's default (no key) it is left out.
func TestNotifyOnOpenNeedsEventAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		key        string
		dropReopen bool
		offered    bool
	}{
		{name: "event api disabled", key: "", offered: false},
		{name: "event api without a reopen event", key: "e2e-key", dropReopen: true, offered: false},
		{name: "event api with a reopen event", key: "e2e-key", offered: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv{}
			env["BATON_ADMIN_TOKEN"] = e2eAdminToken
			env["BATON_EVENT_API_URL"] = "http://127.0.0.1:9"
			env["BATON_EVENT_API_KEY"] = tc.key
			path := filepath.Join(t.TempDir(), "baton.yaml")
			writeConfig(t, path, func(s string) string {
				if tc.dropReopen {
					s = strings.Replace(s, "events: {reopen: 상담 재개 알림, ", "events: {", 1)
				}
				return s
			})
			clock := &testClock{t: sundayNight}
			m := startBatonEnv(t, path, t.TempDir(), clock, env)
			check := func(user string) {
				t.Helper()
				s := newSession(t, m, clock, user)
				s.welcome()
				s.say("상담원")
				s.wantState(fsm.StateAfterHours)
				if got := s.hasQuickReply("열리면 알려주세요"); got != tc.offered {
					t.Errorf("after hours: got the 열리면 알려주세요 quick reply %v, want %v (only when a reopen can be sent)", got, tc.offered)
				}
			}
			check("u-reopen-a")
			// A reload rebuilds the engine; the offer still follows the
			// Event API serve started with. The file is unchanged and its
			// ${VAR}s expand from the same environment (Main.Env), so
			// nothing waits for a restart.
			code, body := adminCall(t, m, http.MethodPost, "/admin/reload")
			if code != http.StatusOK {
				t.Fatalf("reload: got %d %v, want 200", code, body)
			}
			r, _ := body["reload"].(map[string]any)
			if detail, _ := r["detail"].(string); r == nil || strings.Contains(detail, "restart needed") {
				t.Errorf("reload of the unchanged file: got %v, want a reload with no section waiting for a restart", body)
			}
			check("u-reopen-b")
		})
	}
}

// TestTicketAnswerSaysDelivery: answering a ticket always records the answer
// (200, status answered), and the response says whether it will reach the
// user: "queued" for a friend with the Event API on, else "not_deliverable"
// with the reason.
func TestTicketAnswerSaysDelivery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		key           string
		unfriend      bool
		want, wantWhy string
	}{
		{name: "event api disabled", key: "", want: "not_deliverable", wantWhy: "event_api_disabled"},
		{name: "user not a friend", key: "e2e-key", unfriend: true, want: "not_deliverable", wantWhy: "not_friend"},
		{name: "friend, event api on", key: "e2e-key", want: "queued"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv{}
			env["BATON_ADMIN_TOKEN"] = e2eAdminToken
			env["BATON_EVENT_API_URL"] = "http://127.0.0.1:9"
			env["BATON_EVENT_API_KEY"] = tc.key
			clock := &testClock{t: sundayNight}
			m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
			const user = "u-answer-delivery"
			tk := newSession(t, m, clock, user).leaveTicket("배송이 안 와요", "")
			if tc.unfriend {
				// The user blocked the channel: the next turn says so.
				if code, out := postSkill(t, m, turn{User: user, Utterance: "처음으로"}.payload(), nil); code != http.StatusOK {
					t.Fatalf("turn: got %d: %s", code, out)
				}
			}
			code, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"오늘 출고되었습니다."}`)
			if code != http.StatusOK {
				t.Fatalf("answer: got %d %v, want 200 (an answer is never refused for delivery)", code, body)
			}
			if got, _ := body["ticket"].(map[string]any)["status"].(string); got != "answered" {
				t.Errorf("ticket status: got %q, want answered", got)
			}
			if got, _ := body["delivery"].(string); got != tc.want {
				t.Errorf("delivery: got %q, want %q (%v)", got, tc.want, body)
			}
			if got, _ := body["delivery_reason"].(string); got != tc.wantWhy {
				t.Errorf("delivery_reason: got %q, want %q", got, tc.wantWhy)
			}
		})
	}
}
