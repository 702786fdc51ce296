package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// ticketWire is the part of the webhook's ticket.created body the tests read.
type ticketWire struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Code       string `json:"code"`
	Queue      string `json:"queue"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
	HasContact bool   `json:"has_contact"`
	User       struct {
		BotUserKey string `json:"bot_user_key"`
	} `json:"user"`
}

// leaveTicket walks a new user, out of hours, from the welcome to a left
// message: 상담원, 메시지 남기기, the message, then the number to call back
// (contact) or 건너뛰기 when contact is empty. It returns the ticket.
func (s *session) leaveTicket(message, contact string) store.Ticket {
	s.t.Helper()
	s.welcome()
	s.say("상담원")
	s.wantState(fsm.StateAfterHours)
	s.tap("메시지 남기기")
	s.say(message)
	if contact == "" {
		s.say("건너뛰기")
	} else {
		s.wantText("연락받을 번호")
		s.say(contact)
	}
	s.wantState(fsm.StateBot)
	return s.userTicket()
}

// userTicket returns the user's latest ticket.
func (s *session) userTicket() store.Ticket {
	s.t.Helper()
	list, err := s.m.DB.ListTickets(context.Background(), store.TicketFilter{Limit: 1000})
	if err != nil {
		s.t.Fatal(err)
	}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].UserKey == s.user {
			return list[i]
		}
	}
	s.t.Fatalf("%s: no ticket", s.user)
	return store.Ticket{}
}

// TestTicketIntake: out of hours → 메시지 남기기 → the message (with a phone
// number in it) → the contact → a ticket with the masked message and the
// encrypted contact; a signed webhook POST arrives within 3 s and the
// Slack-style sink gets neither the user key nor a number. Then a
// complaint's 메시지 남기기, typed, opens the intake again.
func TestTicketIntake(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-ticket")
	s.welcome()
	s.say("상담원")
	s.wantState(fsm.StateAfterHours)
	s.tap("메시지 남기기")
	s.wantState(fsm.StateAfterHours)
	s.wantText("남기실 메시지")
	s.say("환불해 주세요. 제 번호는 010-1234-5678 입니다")
	s.wantState(fsm.StateAfterHours)
	s.wantText("연락받을 번호")
	s.say("010-9876-5432")
	s.wantState(fsm.StateBot)
	if c := s.conv(); c.Intake != (fsm.Intake{}) || c.Queue != "" {
		t.Fatalf("after the ticket: intake %+v queue %q, want none", c.Intake, c.Queue)
	}

	tk := s.userTicket()
	s.wantText("접수번호 " + tk.Code)
	if tk.Reason != store.TicketReasonUserMessage || tk.Queue != "general" || tk.Status != store.TicketStatusOpen {
		t.Errorf("got ticket %+v, want an open user_message ticket for general", tk)
	}
	if strings.Contains(tk.Message, "1234-5678") || !strings.Contains(tk.Message, "환불해 주세요") {
		t.Errorf("got message %q, want it masked", tk.Message)
	}
	var sealed []byte
	if err := m.DB.ReadDB().QueryRow(`SELECT ciphertext FROM contacts WHERE id = ?`, tk.ContactID).Scan(&sealed); err != nil {
		t.Fatalf("contact row %q: %v", tk.ContactID, err)
	}
	for _, plain := range []string{"01098765432", "9876", "5432"} {
		if bytes.Contains(sealed, []byte(plain)) {
			t.Errorf("contact ciphertext contains %q", plain)
		}
	}
	if got, ok, err := m.DB.Contact(context.Background(), m.Contacts, tk.ContactID); err != nil || !ok || got != "01098765432" {
		t.Errorf("Contact: got %q, %v, %v; want 01098765432", got, ok, err)
	}
	var leaked int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM turns WHERE utterance LIKE '%9876%' OR utterance LIKE '%5678%'`).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("turns holding a raw number: %d (%v), want 0", leaked, err)
	}

	// Within 3 s of the turn: one signed webhook POST about the ticket.
	var req sinkRequest
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if got := hook.requests(); len(got) != 1 {
			return fmt.Errorf("webhook got %d requests, want 1", len(got))
		}
		req = hook.requests()[0]
		return nil
	})
	checkSigned(t, req) // signature on the raw bytes, Idempotency-Key = id
	var w ticketWire
	if err := json.Unmarshal(req.Body, &w); err != nil {
		t.Fatal(err)
	}
	if w.Type != "ticket.created" || w.ID != tk.ID || w.Code != tk.Code || w.Queue != "general" ||
		w.Message != tk.Message || !w.HasContact || w.User.BotUserKey != s.user {
		t.Errorf("got webhook %+v, want ticket %s with its masked message", w, tk.ID)
	}
	for _, plain := range []string{"9876", "5678"} {
		if bytes.Contains(req.Body, []byte(plain)) {
			t.Errorf("webhook body contains %q: %s", plain, req.Body)
		}
	}
	testutil.CheckFor(t, 3*time.Second, 10*time.Millisecond, func() error {
		if got := len(slack.requests()); got != 1 {
			return fmt.Errorf("slack got %d requests, want 1", got)
		}
		return nil
	})
	sb := slack.requests()[0].Body
	for _, secret := range []string{s.user, "pf-" + s.user, "9876", "5432", "5678"} {
		if bytes.Contains(sb, []byte(secret)) {
			t.Errorf("slack body contains %q: %s", secret, sb)
		}
	}
	if !bytes.Contains(sb, []byte(tk.ID)) || !bytes.Contains(sb, []byte(tk.Code)) {
		t.Errorf("slack body lacks the ticket id or code: %s", sb)
	}
	// The user was promised a call: an agent who reads only Slack is told a
	// number was left (read in the admin API), as the webhook's has_contact.
	if line := "\n" + m.CurrentConfig().Texts.SlackHasContact; !strings.Contains(slackBodyText(t, sb), line) {
		t.Errorf("slack body %s lacks the line %q", sb, line)
	}

	// Back in bot, still out of hours: a complaint is offered 메시지 남기기,
	// and typing it (not only the tap) opens the intake — the offer kept
	// in the stored conversation from one turn to the next.
	s.say("진짜 최악이네요")
	s.wantState(fsm.StateBot)
	s.wantText("상담 시간이 아니라")
	s.say("메시지 남길게요")
	s.wantState(fsm.StateAfterHours)
	s.wantText("남기실 메시지")
	s.say("취소")
	s.wantState(fsm.StateBot)
}

// slackBodyText decodes the text of a recorded Slack-style message.
func slackBodyText(t testing.TB, body []byte) string {
	t.Helper()
	var b struct{ Text string }
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("slack body %s: %v", body, err)
	}
	return b.Text
}

// TestTicketIntakeLeaves: 취소 and a menu tap both leave the intake, and no
// ticket is recorded.
func TestTicketIntakeLeaves(t *testing.T) {
	t.Parallel()
	for _, leave := range []string{"취소", "처음으로"} {
		t.Run(leave, func(t *testing.T) {
			lifecycle(t, sundayNight, func(s *session) {
				s.say("상담원")
				s.tap("메시지 남기기")
				s.tap(leave)
				s.wantState(fsm.StateBot)
				// No intake in progress (the reply to 처음으로 may offer
				// 메시지 남기기 again, out of hours: an offer, no Step).
				if c := s.conv(); c.Intake.Step != "" {
					t.Fatalf("intake %+v after %s, want none", c.Intake, leave)
				}
				list, err := s.m.DB.ListTickets(context.Background(), store.TicketFilter{})
				if err != nil || len(list) != 0 {
					t.Fatalf("got tickets %+v (%v), want none", list, err)
				}
			})
		})
	}
}

// maxWaitingConfig writes the example config with vip's max_waiting set to
// n into a temp dir (with the holiday data beside it, if any).
func maxWaitingConfig(t *testing.T, n int) string {
	t.Helper()
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	const from = "max_waiting: 50"
	if !bytes.Contains(b, []byte(from)) {
		t.Fatalf("example config lacks %q", from)
	}
	b = bytes.Replace(b, []byte(from), []byte(fmt.Sprintf("max_waiting: %d", n)), 1)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "holidays"), os.DirFS(filepath.Join(filepath.Dir(exampleConfig), "holidays"))); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "example.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMaxWaitingTakesTheTicketPath: with vip's max_waiting at 1, the second
// user asking for vip is offered a ticket instead of a place in line, and
// leaves one for vip.
func TestMaxWaitingTakesTheTicketPath(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, maxWaitingConfig(t, 1), t.TempDir(), clock)
	first := newSession(t, m, clock, "u-max-1")
	first.welcome()
	toDealerWaiting(first)

	second := newSession(t, m, clock, "u-max-2")
	second.welcome()
	second.tap("회원/계정")
	second.tap("VIP 전용 상담")
	second.wantState(fsm.StateAfterHours)
	second.wantText("대기 인원이 많아요")
	var n int
	if err := m.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM handoffs WHERE user_key = ?`, second.user).Scan(&n); err != nil || n != 0 {
		t.Fatalf("second user's handoffs: %d (%v), want 0", n, err)
	}
	second.tap("메시지 남기기")
	second.say("VIP 등급 변경 문의드려요")
	second.tap("건너뛰기")
	second.wantState(fsm.StateBot)
	tk := second.userTicket()
	if tk.Queue != "vip" || tk.ContactID != "" || tk.Message != "VIP 등급 변경 문의드려요" {
		t.Fatalf("got ticket %+v, want one for vip without contact", tk)
	}

	// Once the first is taken, the queue has room again.
	first.apply(fsm.EventAccepted)
	third := newSession(t, m, clock, "u-max-3")
	third.welcome()
	toDealerWaiting(third)
}

// TestWaitingETA: a dealer queue without history says 확인 중; once three
// users were accepted about 4 minutes after asking, the next user is told
// about 5 minutes (median 4m03s, rounded up).
func TestWaitingETA(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	for i := range 3 {
		s := newSession(t, m, clock, fmt.Sprintf("u-eta-%d", i))
		s.welcome()
		toDealerWaiting(s)
		if i == 0 {
			s.say("언제 연결돼요?")
			s.wantText("예상 대기 확인 중")
		}
		clock.Advance(4 * time.Minute)
		if i == 0 {
			clock.Advance(-3 * time.Second) // the status turn's pace
		}
		s.apply(fsm.EventAccepted)
	}
	s := newSession(t, m, clock, "u-eta-next")
	s.welcome()
	toDealerWaiting(s)
	s.say("언제 연결돼요?")
	s.wantText("대기 순서 1번")
	s.wantText("예상 대기 약 5분")
}

// TestAdminTicketWorkflow takes a ticket a user left through the admin API:
// listed, assigned, answered (a pending ticket_reply notification for the
// user appears), then closed; answering a closed ticket is 409.
func TestAdminTicketWorkflow(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	tk := newSession(t, m, clock, "u-admin-ticket").leaveTicket("배송이 안 와요", "")

	code, body := adminSend(t, m, http.MethodGet, "/admin/tickets?status=open", "")
	if code != http.StatusOK || !strings.Contains(body, `"id":"`+tk.ID+`"`) || !strings.Contains(body, `"message":"배송이 안 와요"`) {
		t.Fatalf("list tickets: got %d %s, want ticket %s", code, body, tk.ID)
	}
	if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/assign", `{"assignee":"kim"}`); code != http.StatusOK {
		t.Fatalf("assign: got %d %s, want 200", code, body)
	}
	if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"오늘 출고되었습니다."}`); code != http.StatusOK {
		t.Fatalf("answer: got %d %s, want 200", code, body)
	}
	ns, err := m.DB.Notifications(context.Background(), store.NotificationPending, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var reply bool
	for _, n := range ns {
		reply = reply || (n.Kind == store.NotifyTicketReply && n.Ref == tk.ID && n.UserKey == "u-admin-ticket")
	}
	if !reply {
		t.Errorf("pending notifications after the answer: got %+v, want a ticket_reply for %s", ns, tk.ID)
	}
	if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/close", ``); code != http.StatusOK {
		t.Fatalf("close: got %d %s, want 200", code, body)
	}
	if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"again"}`); code != http.StatusConflict {
		t.Errorf("answer a closed ticket: got %d %s, want 409", code, body)
	}
	if code, body := adminSend(t, m, http.MethodGet, "/admin/tickets/nope", ""); code != http.StatusNotFound {
		t.Errorf("unknown ticket: got %d %s, want 404", code, body)
	}
}
