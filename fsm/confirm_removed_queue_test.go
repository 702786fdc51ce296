package fsm

import (
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestConfirmYesOnRemovedQueue: "상담원을 연결할까요?" was asked for vip
// (the returns menu's VIP 상담, escalation.confirm on). The reload guard
// refuses to drop a queue with open handoffs only; a pending confirm has
// none, so a reload may remove vip. The user answers "네": the request
// goes to escalation.queue (here general, open), as a handoff intake's does
// for a removed queue (resumeIntake) and a ticket's (leaveFromBot) — not
// the stateless fallback card, which stale state would not justify.
func TestConfirmYesOnRemovedQueue(t *testing.T) {
	cfg := testConfig()
	cfg.Escalation.Confirm = true
	v1 := newEngine(t, cfg, Options{})
	c := welcomedBot()
	c.MenuPath = []string{"main", "returns"}
	asked := v1.Step(c, tapIn("VIP 상담", Tap{V: "v1", N: "returns", O: "vip", S: StateBot}))
	if asked.Conversation.State != StateConfirm || asked.Conversation.Queue != "vip" {
		t.Fatalf("setup: got state %s queue %q, want confirm for vip", asked.Conversation.State, asked.Conversation.Queue)
	}

	cfg2 := testConfig()
	cfg2.Escalation.Confirm = true
	cfg2.Version = "v2"
	delete(cfg2.Handoff.Queues, "vip")
	delete(cfg2.Blocks.Map, "blk-vip")
	ret := cfg2.Menus["returns"]
	ret.Options = []configs.Option{ret.Options[0], ret.Options[2]}
	v2 := newEngine(t, cfg2, Options{})
	got := v2.Step(asked.Conversation, text("네"))
	if got.Record.Kind == "handoff_unavailable" || strings.Contains(allText(got.Reply), v2.texts.Fallback) || got.Open == nil {
		t.Fatalf("\"네\" to a confirm for a queue a reload removed: got record %+v open %+v reply %q; want a handoff on escalation.queue, not the fallback",
			got.Record, got.Open, allText(got.Reply))
	}
	if got.Open.Queue != "general" || got.Conversation.Queue != "general" || got.Conversation.State != StateWaiting {
		t.Errorf("got open on %q, conversation queue %q state %s; want waiting on general", got.Open.Queue, got.Conversation.Queue, got.Conversation.State)
	}
}
