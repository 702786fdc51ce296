package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestIntakeMisfitAnswerNotInTurns: an intake answer that does not fit the
// field's pattern (or is over MaxIntakeValueRunes) is still the user's
// answer — an order number, or the name a pii field asks for, which masking
// does not cover — so it is kept out of the turns (and so out of
// context.turns and the unanswered-questions report) like an accepted one.
func TestIntakeMisfitAnswerNotInTurns(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s, `{name: buyer, prompt: "주문하신 분의 성함을 알려주세요.", pattern: "[가-힣]{2,5}", pii: true}`)
	})
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-review-misfit")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("주문하신 분의 성함을 알려주세요.")
	// This answer holds two names, so it fits neither whole nor as one
	// answer in a sentence (docs/intake.md) and is asked again — but it
	// still is the user's answer to a pii field.
	s.say("주문자는 김하나 아니면 김두나입니다")
	s.wantText("입력하신 내용을 확인할 수 없어요")
	s.wantState(fsm.StateConfirm)
	if hits := testutil.FindInTables(t, m.DB.ReadDB(), "김하나"); len(hits) > 0 {
		t.Errorf("a pii intake answer that missed the pattern is stored in the clear in %v", hits)
	}
}

// TestIntakeReloadMidIntakeKeepsHandoff: a reload that renames the field
// being asked while a user is answering keeps the confirmed request: the
// text that answered the old field is dropped (not stored, not in the
// turns, no FAQ miss) and the renamed field is asked; its answer opens the
// handoff.
func TestIntakeReloadMidIntakeKeepsHandoff(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-review-reload")
	s.welcome()
	toVIPIntake(s)

	// The bot master renames the field (order → order_no) and reloads.
	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, s, "intake: [{name: order,", "intake: [{name: order_no,")
	})
	reloadOK(t, m)
	clock.Advance(time.Second)

	s.say("A-1001")
	if got := s.conv().State; got == fsm.StateBot {
		t.Errorf("after a reload mid-intake the confirmed handoff was dropped: state %q, answer %s", got, s.raw)
	}
	if hits := testutil.FindInTables(t, m.DB.ReadDB(), "A-1001"); len(hits) > 0 {
		t.Errorf("the intake answer given across the reload is stored in the clear in %v", hits)
	}
	s.wantText("주문번호를 알려주세요") // the renamed field, asked afresh
	if c := s.conv(); c.Intake.Field != "order_no" || c.FAQMisses != 0 {
		t.Errorf("after the reload: got field %q, %d FAQ misses; want order_no, 0", c.Intake.Field, c.FAQMisses)
	}
	s.say("A-1002")
	s.wantState(fsm.StateWaiting)
}

// TestIntakeSurvivesSessionIdle: a user who leaves mid-intake for longer
// than session_idle (to look the order number up) and comes back answers
// the field: the handoff opens and the answer stays out of the turns.
func TestIntakeSurvivesSessionIdle(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, path, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-intake-idle")
	s.welcome()
	toVIPIntake(s)
	clock.Advance(45 * time.Minute) // the example's session_idle is 30m
	s.say("A-1001")
	s.wantState(fsm.StateWaiting)
	if n, clear := intakeRows(t, m, "u-intake-idle", "A-1001"); n != 1 || clear {
		t.Errorf("got %d intake rows (plaintext %v), want 1 sealed", n, clear)
	}
	if hits := testutil.FindInTables(t, m.DB.ReadDB(), "A-1001"); len(hits) > 0 {
		t.Errorf("the answer given after session_idle is stored in the clear in %v", hits)
	}
}

// TestIntakeSkipTapAfterAnyReload: every reload changes the config version,
// so the intake question's quick replies (건너뛰기, 상담 취소) become stale
// taps. As inConfirm does (DESIGN §3: a stale tap gets the current status),
// a stale tap gets the stale-tap text and the field asked again, and the
// fresh 건너뛰기 then opens the handoff the user confirmed.
func TestIntakeSkipTapAfterAnyReload(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-review-stale-skip")
	s.welcome()
	toVIPIntake(s)

	writeConfig(t, path, func(s string) string {
		return replaceOnce(t, s, "text: 안녕하세요! 샘플몰 고객센터예요.", "text: 반갑습니다! 샘플몰입니다.")
	})
	reloadOK(t, m)

	s.tap("건너뛰기")
	if got := s.conv().State; got != fsm.StateWaiting && got != fsm.StateConfirm {
		t.Errorf("건너뛰기 tapped after an unrelated reload: state %q, want waiting (or the field asked again); answer %s", got, s.raw)
	}
	s.wantText("메뉴가 바뀌었어요")
	s.wantText("주문번호를 알려주세요")
	s.tap("건너뛰기") // the fresh one
	s.wantState(fsm.StateWaiting)
}

// TestIntakeFreeTextMaskedToSlack: an intake field without a pattern and not
// marked pii accepts any text; a phone number typed into it reaches Slack
// (pii: false, overseas) masked as turns are (handoff/intake.go
// slackIntake, handoff/context.go wire).
func TestIntakeFreeTextMaskedToSlack(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s, `{name: topic, prompt: "어떤 내용인지 간단히 알려주세요."}`)
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-review-slack")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("어떤 내용인지 간단히 알려주세요.")
	s.say("환불 건이요 010-1234-5678 로 연락 부탁해요")
	s.wantState(fsm.StateWaiting)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if n := len(slack.requests()); n != 1 {
			return fmt.Errorf("slack got %d requests", n)
		}
		return nil
	})
	if text := string(slack.requests()[0].Body); strings.Contains(text, "1234-5678") {
		t.Errorf("slack (pii: false, overseas) got a phone number in the clear: %s", text)
	}
}
