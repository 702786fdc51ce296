package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// TestReloadKeepsTicketReplyTexts: the Event API is read only at start-up,
// so a reload whose config turns it on (here a rest_api_key in the
// environment the example expands) does not make the engine promise an
// answer that the running sender cannot send: tickets are still confirmed
// with texts.ticket_created_no_reply until a restart.
func TestReloadKeepsTicketReplyTexts(t *testing.T) {
	t.Setenv("BATON_EVENT_API_KEY", "")
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	t.Setenv("BATON_EVENT_API_KEY", "key-after-start")
	if _, err := m.Reload(context.Background(), "test"); err != nil {
		t.Fatalf("reload: %v", err)
	}
	cfg := m.CurrentConfig()
	if !cfg.EventAPI.EventAPIEnabled() {
		t.Fatalf("reloaded config: got the Event API off, want it on (the test sets its key)")
	}
	e := m.live.engine.Load()
	now := time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC)
	c := fsm.Conversation{UserKey: "u", State: fsm.StateAfterHours, Queue: "general", StateSince: now.Add(-time.Minute),
		LastTurnAt: now.Add(-time.Minute), WelcomedAt: now.Add(-time.Hour), ConfigVersion: e.Version(),
		Intake: fsm.Intake{Step: fsm.IntakeContact, Message: "환불 문의"}}
	tx := cfg.Texts
	o := e.Step(c, fsm.Input{Now: now, BlockName: "폴백 블록", Utterance: tx.ContactSkip, Masked: tx.ContactSkip,
		IsFriend: true, NewTicketID: "t1", NewHandoffCode: "A7K2"})
	var got strings.Builder
	for _, msg := range o.Reply.Messages {
		got.WriteString(msg.Text + "\n")
	}
	want := strings.ReplaceAll(tx.TicketCreatedNoReply, "{code}", "A7K2")
	if o.Ticket == nil || !strings.Contains(got.String(), want) {
		t.Fatalf("after the reload: got ticket %v and %q, want a ticket and %q", o.Ticket != nil, got.String(), want)
	}
}
