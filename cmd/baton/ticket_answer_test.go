package main

import (
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

func TestMaxTicketAnswer(t *testing.T) {
	tests := []struct {
		template string
		want     int
	}{
		{"{answer}", 1000},
		{"답변: {answer}", 996},
		{"{answer}\n\n{answer}", 499},
		{"답변을 남겼어요", math.MaxInt}, // the answer is not shown
	}
	for _, tt := range tests {
		if got := maxTicketAnswer(tt.template); got != tt.want {
			t.Errorf("maxTicketAnswer(%q): got %d, want %d", tt.template, got, tt.want)
		}
	}
}

// TestLongestTicketAnswerIsDeliveredWhole renders the ticket_reply event
// of the example config with an answer of the longest accepted length: the
// user gets it whole, in one text bubble. One character more would take a
// second bubble, which is why the admin API refuses it (an answer is one
// message).
func TestLongestTicketAnswerIsDeliveredWhole(t *testing.T) {
	cfg, e := testutil.Engine(t, exampleConfig)
	most := maxTicketAnswer(cfg.Texts.EventTicketReply)
	reply := func(answer string) []fsm.Message {
		o := e.Event(fsm.Conversation{UserKey: "u", State: fsm.StateBot}, fsm.Input{}, &fsm.Notice{Kind: fsm.NoticeTicketReply, Answer: answer})
		if len(o.Reply.Messages) == 0 {
			t.Fatalf("ticket_reply event: no message")
		}
		return o.Reply.Messages
	}
	fits := strings.Repeat("가나다 라", most/5) + strings.Repeat("마", most%5)
	if got := reply(fits); len(got) != 1 || !strings.Contains(got[0].Text, fits) {
		t.Errorf("answer of %d characters: got %d messages, want it whole in one", most, len(got))
	}
	if got := reply(fits + "바"); len(got) < 2 {
		t.Errorf("answer of %d characters: got %d message, want more than one, so the limit %d is too strict", most+1, len(got), most)
	}
}

func TestAdminRefusesTicketAnswerTooLong(t *testing.T) {
	t.Setenv("BATON_ADMIN_TOKEN", e2eAdminToken)
	clock := &testClock{t: sundayNight}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	tk := newSession(t, m, clock, "u-long-answer").leaveTicket("환불 문의드려요", "")

	// The example's texts.event_ticket_reply, "남겨 주신 문의에 답변드려요.\n\n{answer}",
	// leaves 1000 − 18 characters for the answer.
	long := strings.Repeat("가", 983)
	code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"`+long+`"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "answer is 983 characters; at most 982 fit") {
		t.Fatalf("answer of 983 characters: got %d %s, want 422 naming 983 and 982", code, body)
	}
	if got, _, err := m.DB.TicketByID(t.Context(), tk.ID); err != nil || got.Answer != "" {
		t.Fatalf("ticket after a refused answer: answer %q (%v), want none", got.Answer, err)
	}
	if code, body := adminSend(t, m, http.MethodPost, "/admin/tickets/"+tk.ID+"/answer", `{"answer":"`+long[:len(long)-len("가")]+`"}`); code != http.StatusOK {
		t.Fatalf("answer of 982 characters: got %d %s, want 200", code, body)
	}
}
