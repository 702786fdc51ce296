package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestIntakeTextPreferenceReachesTheSink: a notify queue asks for a
// call-back number (phone: true). "문자도 괜찮아요" is no decline: the bot
// acknowledges it (texts.intake_text_noted) and asks for the number once
// more; with the number the handoff opens, the pii webhook receives the
// number and context.contact_preference "sms", the webhook without pii the
// preference only, and the admin API shows it on the handoff.
func TestIntakeTextPreferenceReachesTheSink(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	hook, plain, slack := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	env.notify(hook, slack)
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string {
		const sinks = "  - {kind: slack, url: \"${BATON_SLACK_URL:-}\", pii: false}\n"
		s = withGeneralIntake(t, s,
			`{name: phone, prompt: "연락받을 번호를 알려주세요.", pii: true, phone: true}`)
		return replaceOnce(t, s, sinks, sinks+"  - {kind: webhook, url: \""+plain.srv.URL+"/plain\", secret: \"${BATON_NOTIFY_SECRET:-}\", pii: false}\n")
	})
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-intake-sms")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantText("연락받을 번호를 알려주세요.")
	s.say("문자도 괜찮아요")
	s.wantState(fsm.StateConfirm)
	s.wantText(configs.DefaultTexts().IntakeTextNoted)
	s.wantText("연락받을 번호를 알려주세요.")
	s.say("010-1234-5678")
	s.wantState(fsm.StateWaiting)
	id, _, _, _ := s.handoff()

	type body struct {
		ID      string `json:"id"`
		Context struct {
			Intake      map[string]string `json:"intake"`
			ContactPref *string           `json:"contact_preference"`
		} `json:"context"`
	}
	received := func(rec *sinkRecorder, name string) body {
		t.Helper()
		var got []sinkRequest
		testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
			if got = rec.requests(); len(got) != 1 {
				return fmt.Errorf("%s got %d requests", name, len(got))
			}
			return nil
		})
		checkSigned(t, got[0])
		var b body
		if err := json.Unmarshal(got[0].Body, &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := received(hook, "pii webhook")
	if b.ID != id || b.Context.Intake["phone"] != "010-1234-5678" || b.Context.ContactPref == nil || *b.Context.ContactPref != "sms" {
		t.Errorf("pii webhook: got id %q, intake %v, contact_preference %v; want %s, the phone, \"sms\"", b.ID, b.Context.Intake, b.Context.ContactPref, id)
	}
	b = received(plain, "webhook")
	if len(b.Context.Intake) != 0 || b.Context.ContactPref == nil || *b.Context.ContactPref != "sms" {
		t.Errorf("webhook without pii: got intake %v, contact_preference %v; want no phone, \"sms\"", b.Context.Intake, b.Context.ContactPref)
	}

	code, detail := adminCall(t, m, http.MethodGet, "/admin/handoffs/"+id)
	h, _ := detail["handoff"].(map[string]any)
	if code != http.StatusOK || h["contact_preference"] != "sms" {
		t.Errorf("admin handoff detail: got %d %v, want contact_preference sms", code, detail)
	}
	hcode, _ := h["code"].(string)
	code, list := adminCall(t, m, http.MethodGet, "/admin/handoffs?state=all&code="+hcode)
	hs, _ := list["handoffs"].([]any)
	if first, _ := firstOf(hs).(map[string]any); code != http.StatusOK || len(hs) != 1 || first["contact_preference"] != "sms" {
		t.Errorf("admin handoff list: got %d %v, want the handoff with contact_preference sms", code, list)
	}
}

// firstOf returns the first element of xs, nil when there is none.
func firstOf(xs []any) any {
	if len(xs) == 0 {
		return nil
	}
	return xs[0]
}
