package handoff

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/pii"
	"github.com/baton-chat/baton/store"
)

// escalateWithTurn commits, as the skill pipeline does, a user turn whose
// utterance is stored masked (skill/pipeline.go: Mask(p.Utterance())) and
// that opens a handoff to target with its outbox request.
func escalateWithTurn(t *testing.T, f *routerFixture, user, target, typed string, at time.Time) store.Handoff {
	t.Helper()
	id := store.NewID(at)
	h := store.Handoff{ID: id, Code: Effects{}.NewCode(), UserKey: user, BotID: "bot-1", PlusfriendKey: "pf-" + user,
		Queue: "general", Target: target, Reason: "keyword", MenuPath: []string{"main"}, CreatedAt: at}
	w := &store.TurnWrite{
		User:        store.User{Key: user, PlusfriendKey: "pf-" + user, LastSeen: at},
		Conv:        fsm.Conversation{UserKey: user, State: fsm.StateWaiting, HandoffID: id, Queue: "general", StateSince: at, LastTurnAt: at},
		Turn:        store.Turn{ID: store.NewID(at), UserKey: user, At: at, Block: "text", Utterance: pii.Mask(typed), Kind: "handoff", State: fsm.StateWaiting},
		OpenHandoff: &h,
		Outbox:      []store.OutboxMsg{{ID: store.NewID(at), Subject: SubjectRequest("general"), Payload: []byte(id), CreatedAt: at}},
	}
	if err := f.db.Commit(context.Background(), w); err != nil {
		t.Fatalf("commit escalation: %v", err)
	}
	return h
}

// TestDealerContextMasksCardWithSpacedDashes: a card number the user typed
// with spaced hyphens or en dashes ("4111 – 1111 – 1111 – 1111", as phone
// keyboards and smart punctuation write it) used to reach the 상담톡
// dealer's context.turns unmasked: pii's digit runs allowed one separator
// character between groups.
//
// docs/dealer-contract.md §2.1 says context.turns carry
// what the user typed "**masked** (phone, 주민등록번호, card, account,
// e-mail)", and DESIGN §7 says masking covers card numbers (Luhn) "also when
// typed with full-width digits, en/em dashes or the Hangul ㅡ for a hyphen".
// The same spacing is masked for phone numbers ("010 - 1234 - 5678") and
// 주민등록번호 ("900101 - 1234567"); a card number must not be the one that
// leaks. The test goes through the real router and DealerClient to a
// loopback dealer.
func TestDealerContextMasksCardWithSpacedDashes(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	dealer := newSinkRecorder(t)
	client := NewDealerClient("acme", configs.Dealer{URL: dealer.srv.URL, Secret: "s"}, "bot", nil)
	rt := NewRouter(f.db, f.js, nil, nil, RouterOptions{Dealers: map[string]DealerTarget{"acme": client}})
	relay := NewRelay(f.db, f.js, nil)
	relay.Sweep = 50 * time.Millisecond
	runUntilCleanup(t, relay.Run)
	runUntilCleanup(t, rt.Run)

	cards := []string{
		"카드 4111 – 1111 – 1111 – 1111 로 결제했어요", // en dashes, spaced
		"카드 4111 - 1111 - 1111 - 1111 로 결제했어요", // hyphens, spaced
	}
	at := time.Now().UTC()
	for i, typed := range cards {
		escalateWithTurn(t, f, "u-card-"+string(rune('a'+i)), "dealer:acme", typed, at.Add(time.Duration(i)*time.Millisecond))
	}
	reqs := dealer.wantCount(t, len(cards))
	for _, r := range reqs {
		var body struct {
			Context struct {
				Turns []struct{ From, Text string } `json:"turns"`
			} `json:"context"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, turn := range body.Context.Turns {
			if turn.From == FromUser && strings.Contains(turn.Text, "1111") {
				t.Errorf("dealer context turn %q: the card number 4111 1111 1111 1111 (passes Luhn) went unmasked; want its digits starred", turn.Text)
			}
		}
	}
}

// TestCapacityDropsFailedOverHandoff: once the router has failed a dealer
// handoff over (final dealer refusal → notify sinks + a dealer_failed
// ticket), the handoff used to count against its queue's max_waiting
// (Capacity.Waiting → store.WaitingCount), although it shows no position any
// more (store.WaitingAhead leaves it out) and the admin waiting list leaves
// it out too.
//
// DESIGN §5 (waiting, dealer target): "once the dealer
// failed for good (the router fell back to the notify sinks + a
// dealer_failed ticket) no position … and the handoff no longer counts in
// the queue". A queue with max_waiting: 1 whose only waiting handoff was
// failed over must take the next user (Capacity.Waiting 0), not send them
// to the "대기 인원 초과" ticket path until the failed handoff's wait timeout
// (10 min by default) closes it.
func TestCapacityDropsFailedOverHandoff(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	dealer, hook, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	dealer.setStatus(400) // final refusal (dealer contract §2.3)
	client := NewDealerClient("acme", configs.Dealer{URL: dealer.srv.URL, Secret: "s"}, "bot", nil)
	rt := startRouting(t, f, hook, slack, RouterOptions{Dealers: map[string]DealerTarget{"acme": client}})
	h := f.escalate(t, "u-cap", "dealer:acme", time.Now().UTC())
	waitHandled(t, rt, 1)
	ctx := context.Background()
	if failed, err := f.db.DealerFailed(ctx, h.ID); err != nil || !failed {
		t.Fatalf("handoff not failed over by the router (failed %v, err %v)", failed, err)
	}
	if ahead, err := f.db.WaitingAhead(ctx, store.Handoff{ID: "~", Queue: h.Queue, CreatedAt: h.CreatedAt.Add(time.Hour)}); err != nil || ahead != 0 {
		t.Fatalf("position: %d ahead (err %v), want 0: a failed-over handoff no longer waits", ahead, err)
	}
	if n := NewCapacity(f.db, nil).Waiting(h.Queue); n != 0 {
		t.Fatalf("Capacity.Waiting(%q) = %d after the dealer failed for good; want 0: DESIGN §5 says the failed-over handoff no longer counts in the queue, so max_waiting must not refuse the next user for it", h.Queue, n)
	}
}
