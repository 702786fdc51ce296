package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestIntakeOrderInSentence: at the example's vip order field (a pattern),
// an answer typed inside a sentence with a particle attached opens the
// handoff without asking again, and the dealer receives the order number
// alone, not the sentence.
func TestIntakeOrderInSentence(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	dealer := newSinkRecorder(t)
	env["BATON_DEALER_URL"] = dealer.srv.URL + "/baton"
	env["BATON_DEALER_SECRET"] = e2eDealerSecret
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-intake-sentence")
	s.welcome()
	toVIPIntake(s)
	s.say("주문번호는 A-1001이에요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	wantDealerOrder(t, dealer, id, "A-1001")
}

// TestIntakeWordsInSentenceReachTheSink: a notify queue asks for an order
// number ([A-Za-z0-9-]{4,20}) and the orderer's name ([가-힣]{2,4}, pii).
// Through /skill on a real serve, "order AB-1234 please" answers the order
// field at once (the candidate with a digit wins over the Latin words) and
// "제 이름은 김철수입니다" the name (제 and 이름은 are the question's words,
// 입니다 is taken off): the pii webhook receives exactly those two parts.
func TestIntakeWordsInSentenceReachTheSink(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s,
			`{name: order, prompt: "주문번호를 알려주세요.", pattern: "[A-Za-z0-9-]{4,20}", optional: true}`,
			`{name: name, prompt: "주문하신 분의 성함을 알려주세요.", pattern: "[가-힣]{2,4}", pii: true}`)
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-intake-words")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("주문번호를 알려주세요.")
	s.say("order AB-1234 please")
	s.wantText("주문하신 분의 성함을 알려주세요.")
	if strings.Contains(string(s.raw), "입력하신 내용을 확인할 수 없어요") {
		t.Fatalf("the order was asked again: %s", s.raw)
	}
	s.say("제 이름은 김철수입니다")
	s.wantState(fsm.StateWaiting)

	var got []sinkRequest
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if got = hook.requests(); len(got) != 1 {
			return fmt.Errorf("pii webhook got %d requests", len(got))
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
	want := map[string]string{"order": "AB-1234", "name": "김철수"}
	if diff := cmp.Diff(want, n.Context.Intake); diff != "" {
		t.Errorf("pii webhook: context.intake (-want +got):\n%s", diff)
	}
}
