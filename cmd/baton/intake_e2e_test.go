package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// intakeRows counts user's handoff_intake rows and reports whether any
// ciphertext holds plain.
func intakeRows(t *testing.T, m *Main, user, plain string) (n int, clear bool) {
	t.Helper()
	rows, err := m.DB.ReadDB().Query(`SELECT ciphertext FROM handoff_intake WHERE user_key = ?`, user)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c []byte
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		n++
		clear = clear || bytes.Contains(c, []byte(plain))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n, clear
}

// TestIntakeOrderReachesTheDealer: the example's vip queue asks for an order
// number after the confirm; an answer off the pattern is asked again, the
// next is stored encrypted (not in the turns, not in the logs) and the 상담톡
// dealer receives context.intake exactly {"order": "A-1001"}. Erasing the
// user removes the answer.
func TestIntakeOrderReachesTheDealer(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dealer := newSinkRecorder(t)
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock,
		slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)
	s := newSession(t, m, clock, "u-intake-order")
	s.welcome()
	toVIPIntake(s)
	s.say("주문번호가 뭐죠")
	s.wantText("입력하신 내용을 확인할 수 없어요")
	s.wantState(fsm.StateConfirm)
	s.say(" A-1001 ")
	s.wantState(fsm.StateWaiting)
	if !s.hasOperatorButton() {
		t.Fatalf("after the answer: no operator button in %s", s.raw)
	}
	id, queue, _, _ := s.handoff()
	if queue != "vip" {
		t.Fatalf("got handoff queue %q, want vip", queue)
	}

	wantDealerOrder(t, dealer, id, "A-1001")

	if n, clear := intakeRows(t, m, s.user, "A-1001"); n != 1 || clear {
		t.Fatalf("handoff_intake: got %d rows (plaintext %v), want 1 sealed", n, clear)
	}
	if hits := testutil.FindInTables(t, m.DB.ReadDB(), "A-1001"); len(hits) > 0 {
		t.Errorf("the answer is stored in the clear in %v", hits)
	}
	if strings.Contains(logs.String(), "A-1001") {
		t.Errorf("the logs carry the answer")
	}

	code, erased := adminCall(t, m, http.MethodDelete, "/admin/users/"+s.user)
	if code != http.StatusOK || erased["erased"] != true {
		t.Fatalf("erase: got %d %v", code, erased)
	}
	if n, _ := intakeRows(t, m, s.user, "A-1001"); n != 0 {
		t.Errorf("after erase: got %d handoff_intake rows, want 0", n)
	}
	var left int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM handoff_intake WHERE handoff_id = ?`, id).Scan(&left); err != nil || left != 0 {
		t.Errorf("after erase: got %d rows of handoff %s (%v), want 0", left, id, err)
	}
}

// TestIntakePIIFieldOnlyToPIISinks: a notify queue asks for an order number
// and a phone number (pii: true). The pii webhook gets both, a webhook
// without pii and the Slack sink get the order number only.
func TestIntakePIIFieldOnlyToPIISinks(t *testing.T) {
	t.Parallel()
	hook, plain, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		const sinks = "  - {kind: slack, url: \"${BATON_SLACK_URL:-}\", pii: false}\n"
		s = withGeneralIntake(t, s,
			`{name: order, prompt: "주문번호를 알려주세요.", pattern: "[A-Z]-[0-9]{4}", optional: true}`,
			`{name: phone, prompt: "연락받을 번호를 알려주세요.", pii: true}`)
		return replaceOnce(t, s, sinks, sinks+"  - {kind: webhook, url: \""+plain.srv.URL+"/plain\", secret: \"${BATON_NOTIFY_SECRET:-}\", pii: false}\n")
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-intake-pii")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("주문번호를 알려주세요.")
	s.say("B-2002")
	s.wantText("연락받을 번호를 알려주세요.")
	if s.hasQuickReply("건너뛰기") {
		t.Errorf("a required field offers 건너뛰기")
	}
	s.say("010-1234-5678")
	s.wantState(fsm.StateWaiting)

	intakeOf := func(rec *sinkRecorder, name string) map[string]string {
		t.Helper()
		var got []sinkRequest
		testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
			if got = rec.requests(); len(got) != 1 {
				return fmt.Errorf("%s got %d requests", name, len(got))
			}
			return nil
		})
		checkSigned(t, got[0])
		var n struct {
			Context struct {
				Intake map[string]string `json:"intake"`
			} `json:"context"`
		}
		if err := json.Unmarshal(got[0].Body, &n); err != nil {
			t.Fatal(err)
		}
		return n.Context.Intake
	}
	if got := intakeOf(hook, "pii webhook"); len(got) != 2 || got["order"] != "B-2002" || got["phone"] != "010-1234-5678" {
		t.Errorf("pii webhook: got intake %v, want order and phone", got)
	}
	if got := intakeOf(plain, "webhook"); len(got) != 1 || got["order"] != "B-2002" {
		t.Errorf("webhook without pii: got intake %v, want the order only", got)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(slack.requests()); n != 1 {
			return fmt.Errorf("slack got %d requests", n)
		}
		return nil
	})
	if text := string(slack.requests()[0].Body); !strings.Contains(text, "order: B-2002") || strings.Contains(text, "1234") {
		t.Errorf("slack: got %s, want the order and no phone", text)
	}
}

// wantDealerOrder waits for the dealer's one handoff request and checks that
// it is handoff id with context.intake exactly {"order": order}.
func wantDealerOrder(t *testing.T, dealer *sinkRecorder, id, order string) {
	t.Helper()
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(dealerRequests(t, dealer, "/baton/handoffs")); n != 1 {
			return fmt.Errorf("dealer got %d handoff requests", n)
		}
		return nil
	})
	var body struct {
		ID      string `json:"id"`
		Context struct {
			Intake map[string]string `json:"intake"`
		} `json:"context"`
	}
	if err := json.Unmarshal(dealerRequests(t, dealer, "/baton/handoffs")[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ID != id || len(body.Context.Intake) != 1 || body.Context.Intake["order"] != order {
		t.Fatalf("dealer got id %q, intake %v; want %q, {order: %s}", body.ID, body.Context.Intake, id, order)
	}
}
