package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestIntakePhoneSentenceEndToEnd: a notify queue asks for a call-back
// number (phone: true, pii: true, pattern "[0-9-]{9,13}"). A text with no
// number is asked again; "제 번호는 010 2468 1357 이에요" answers the number
// alone — its national digits, which fit the pattern where "010 2468 1357"
// does not — and opens the handoff: the pii webhook gets it, it is stored
// sealed, and neither answer's text is in any table or log line.
func TestIntakePhoneSentenceEndToEnd(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		return withGeneralIntake(t, s,
			`{name: phone, prompt: "연락받을 번호를 알려주세요.", pattern: "[0-9-]{9,13}", pii: true, phone: true}`)
	})
	clock := &testClock{t: mondayMorning}
	var logs testlog.Buffer
	m := startBatonLogging(t, path, t.TempDir(), clock,
		slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), env.configure)
	s := newSession(t, m, clock, "u-intake-phone-sentence")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("연락받을 번호를 알려주세요.")
	s.say("내일 오전에 전화 주세요")
	s.wantText("입력하신 내용을 확인할 수 없어요")
	s.wantState(fsm.StateConfirm)
	s.say("제 번호는 010 2468 1357 이에요")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	var got []sinkRequest
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if got = hook.requests(); len(got) != 1 {
			return fmt.Errorf("pii webhook got %d requests", len(got))
		}
		return nil
	})
	var b struct {
		ID      string `json:"id"`
		Context struct {
			Intake      map[string]string `json:"intake"`
			ContactPref *string           `json:"contact_preference"`
		} `json:"context"`
	}
	if err := json.Unmarshal(got[0].Body, &b); err != nil {
		t.Fatal(err)
	}
	if b.ID != id || b.Context.Intake["phone"] != "01024681357" || b.Context.ContactPref != nil {
		t.Errorf("pii webhook: got id %q, intake %v, contact_preference %v; want %s, phone 01024681357, none", b.ID, b.Context.Intake, b.Context.ContactPref, id)
	}
	if n, clear := intakeRows(t, m, s.user, "01024681357"); n != 1 || clear {
		t.Errorf("handoff_intake: got %d rows (plaintext %v), want 1 sealed", n, clear)
	}
	secrets := []string{"01024681357", "2468 1357", "제 번호는", "내일 오전에"}
	for _, secret := range secrets {
		if hits := testutil.FindInTables(t, m.DB.ReadDB(), secret); len(hits) > 0 {
			t.Errorf("%q is stored in the clear in %v", secret, hits)
		}
	}
	_ = m.Close()
	out := logs.String()
	if !strings.Contains(out, `"msg"`) {
		t.Fatalf("no log lines captured: the test would pass vacuously")
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			t.Errorf("the logs carry %q", secret)
		}
	}
}
