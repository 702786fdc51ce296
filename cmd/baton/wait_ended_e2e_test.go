package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
)

// firstText is the text of the answer's first output when it is a
// simpleText, else "".
func (r response) firstText(t testing.TB) string {
	t.Helper()
	if len(r.Template.Outputs) == 0 {
		return ""
	}
	raw, ok := r.Template.Outputs[0]["simpleText"]
	if !ok {
		return ""
	}
	var st struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("simpleText: %v", err)
	}
	return st.Text
}

// TestWaitEndedToldOnNextTurn: a handoff still waiting is ended by an
// operator (POST /admin/handoffs/{id}/end) or by an agent's end link; the
// user's next message is answered as usual, after the line
// texts.handoff_ended_waiting as the first bubble, and only once. A handoff
// a human took and then ended says nothing of the kind (the user talked to
// the human), and neither does one the user cancelled.
func TestWaitEndedToldOnNextTurn(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	line := configs.DefaultTexts().HandoffEndedWaiting
	const question, answer = "배송비는 얼마인가요?", "30,000원 이상 구매하시면 무료배송"

	end := map[string]func(t *testing.T, id string){
		"admin end": func(t *testing.T, id string) {
			if st, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/handoffs/"+id+"/end", ""); st != http.StatusOK {
				t.Fatalf("end: got %d %v, want 200", st, body)
			}
		},
		"end link": func(t *testing.T, id string) {
			st, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/handoffs/"+id+"/links", "")
			link, _ := body["end"].(string)
			if st != http.StatusOK || link == "" {
				t.Fatalf("links: got %d %v", st, body)
			}
			if code, page := followLink(t, link); code != http.StatusOK || !strings.Contains(page, "상담을 종료했습니다") {
				t.Fatalf("end link: got %d %q", code, page)
			}
		},
	}
	for name, endIt := range end {
		t.Run(name, func(t *testing.T) {
			s := newSession(t, m, clock, "u-wait-ended-"+strings.ReplaceAll(name, " ", "-"))
			s.welcome()
			toWaiting(s)
			id, _, _, _ := s.handoff()
			endIt(t, id)
			s.wantState(fsm.StateBot)

			s.say(question)
			if got := s.last.firstText(t); got != line {
				t.Fatalf("first bubble %q, want %q; answer %s", got, line, s.raw)
			}
			s.wantText(answer)
			s.say(question)
			if strings.Contains(s.last.text(), line) {
				t.Errorf("the turn after: got %s, want the line only once", s.raw)
			}
			s.wantText(answer)
		})
	}

	t.Run("taken, then ended", func(t *testing.T) {
		s := newSession(t, m, clock, "u-wait-ended-taken")
		s.welcome()
		toWaiting(s)
		id, _, _, _ := s.handoff()
		for _, action := range []string{"accept", "end"} {
			if st, body := adminAs(t, m, e2eAdminToken, http.MethodPost, "/admin/handoffs/"+id+"/"+action, ""); st != http.StatusOK {
				t.Fatalf("%s: got %d %v, want 200", action, st, body)
			}
		}
		s.say(question)
		if strings.Contains(s.last.text(), line) {
			t.Errorf("after a human session: got %s, want no %q", s.raw, line)
		}
	})

	t.Run("cancelled by the user", func(t *testing.T) {
		s := newSession(t, m, clock, "u-wait-ended-cancel")
		s.welcome()
		toWaiting(s)
		s.tap("상담 취소")
		s.wantState(fsm.StateBot)
		s.say(question)
		if strings.Contains(s.last.text(), line) {
			t.Errorf("after a cancel: got %s, want no %q", s.raw, line)
		}
	})
}
