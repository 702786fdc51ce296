package main

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
)

// TestTicketTextsFollowRunningEventAPI: the engine serve builds confirms a
// ticket with texts.ticket_created ("확인 후 답변드릴게요") only when the
// Event API it started with can send the ticket_reply message; otherwise
// with texts.ticket_created_no_reply, and the admin answer's delivery
// verdict names the same reason (ticketReplyOff).
func TestTicketTextsFollowRunningEventAPI(t *testing.T) {
	cfg, err := configs.Load(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	on := configs.EventAPI{RestAPIKey: "key", DailyBudgetWon: 30000,
		Events: map[string]string{"ticket_reply": "문의 답변"}}
	noEvent, noBudget := on, on
	noEvent.Events = map[string]string{"reopen": "상담 재개 알림"}
	noBudget.DailyBudgetWon = 0
	tests := []struct {
		name       string
		running    configs.EventAPI
		wantReason string
	}{
		{"event api on", on, ""},
		{"no rest_api_key", configs.EventAPI{Events: on.Events, DailyBudgetWon: 30000}, "event_api_disabled"},
		{"no ticket_reply event", noEvent, "no_event"},
		{"daily budget 0", noBudget, "no_budget"},
	}
	cals, err := handoff.LoadCalendars("../../configs/holidays", configs.HolidayCalendars())
	if err != nil {
		t.Fatal(err)
	}
	hours, err := handoff.NewHours(cfg, cals, "") // the example's office hours: closed at 07:00 KST
	if err != nil {
		t.Fatal(err)
	}
	tx := cfg.Texts
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticketReplyOff(tt.running); got != tt.wantReason {
				t.Fatalf("ticketReplyOff: got %q, want %q", got, tt.wantReason)
			}
			e, err := buildEngine(cfg, tt.running, hours, nil)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC)
			c := fsm.Conversation{UserKey: "u", State: fsm.StateAfterHours, Queue: "general", StateSince: now.Add(-time.Minute),
				LastTurnAt: now.Add(-time.Minute), WelcomedAt: now.Add(-time.Hour), ConfigVersion: cfg.Version,
				Intake: fsm.Intake{Step: fsm.IntakeContact, Message: "환불 문의"}} // the example asks for a contact
			o := e.Step(c, fsm.Input{Now: now, BlockName: "폴백 블록", Utterance: tx.ContactSkip, Masked: tx.ContactSkip,
				IsFriend: true, NewTicketID: "t1", NewHandoffCode: "A7K2"})
			want, deny := tx.TicketCreated, tx.TicketCreatedNoReply
			if tt.wantReason != "" {
				want, deny = deny, want
			}
			want, deny = strings.ReplaceAll(want, "{code}", "A7K2"), strings.ReplaceAll(deny, "{code}", "A7K2")
			var got strings.Builder
			for _, m := range o.Reply.Messages {
				got.WriteString(m.Text + "\n")
			}
			if o.Ticket == nil || !strings.Contains(got.String(), want) || strings.Contains(got.String(), deny) {
				t.Fatalf("got ticket %v and %q, want a ticket and %q", o.Ticket != nil, got.String(), want)
			}
		})
	}
}
