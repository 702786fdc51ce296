package fsm

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
)

// lostGeneral returns testConfig at version v2 with queue general renamed
// support (escalation.queue and the main menu's handoff option with it).
func lostGeneral() *configs.Config {
	cfg := testConfig()
	cfg.Version = "v2"
	cfg.Handoff.Queues = map[string]configs.Queue{
		"support": {Target: "notify", Hours: "office"},
		"vip":     {Target: "dealer:happytalk", Hours: "office"},
	}
	cfg.Escalation.Queue = "support"
	main := cfg.Menus["main"]
	for i := range main.Options {
		if main.Options[i].Handoff == "general" {
			main.Options[i].Handoff = "support"
		}
	}
	return cfg
}

// TestWaitingOnRemovedQueue: a one_on_one user waits on queue general
// (notify) and the config renames the queue. A hot reload refuses that
// while a handoff is open on it, but a restart with the edited file does
// not check. Under kakao.consultation one_on_one the operator button is the
// only way into the 1:1 chat where the agent is, so the wait goes on as
// one_on_one waits do: the turn is answered as the bot and the button is
// re-offered with 상담 취소 (not the dealer status, which has no button),
// and after handoff.return_gap the handoff closes as not_connected.
func TestWaitingOnRemovedQueue(t *testing.T) {
	e := newEngine(t, lostGeneral(), Options{})
	c := welcomedBot()
	c.State, c.Queue, c.HandoffID, c.StateSince = StateWaiting, "general", "h-1", t0.Add(-2*time.Minute)
	in := text("배송 조회 어떻게 해요")
	in.HandoffCode = "A7K2"
	got := e.Step(c, in)
	if !hasButton(got.Reply, ButtonOperator) {
		t.Errorf("one_on_one wait on a queue a reload removed: got record %+v, reply %q; want the operator button re-offered (the only way into the 1:1 chat)",
			got.Record, allText(got.Reply))
	}
	if !strings.Contains(allText(got.Reply), e.faqs["ship-track"].answer) {
		t.Errorf("got reply %q, want the question answered as the bot while waiting (one_on_one)", allText(got.Reply))
	}
	if got.Conversation.State != StateWaiting || got.Close != nil {
		t.Errorf("got state %s close %+v, want the wait kept", got.Conversation.State, got.Close)
	}

	late := c
	late.StateSince = t0.Add(-e.cfg.Handoff.ReturnGap.D() - time.Minute)
	if got := e.Step(late, in); got.Close == nil || got.Close.Reason != "not_connected" || got.Conversation.State != StateBot {
		t.Errorf("after return_gap: got state %s close %+v, want the handoff closed as not_connected", got.Conversation.State, got.Close)
	}

	// Under sangdamtalk the button leads to 상담톡, whose dealer reports the
	// wait: the status, as before.
	st := lostGeneral()
	st.Kakao.Consultation = configs.ConsultationSangdamtalk
	if got := newEngine(t, st, Options{}).Step(c, in); got.Record.Kind != "status" || hasButton(got.Reply, ButtonOperator) {
		t.Errorf("sangdamtalk wait on a removed queue: got record %+v, reply %q; want the status", got.Record, allText(got.Reply))
	}
}
