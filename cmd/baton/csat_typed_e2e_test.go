package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
)

// adminConversation reads the session's user through
// GET /admin/conversations/{key} with the bootstrap master token.
func (s *session) adminConversation() map[string]any {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+s.m.AdminAddrBound()+"/admin/conversations/"+url.PathEscape(s.user), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e2eAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Conversation map[string]any `json:"conversation"`
	}
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("GET /admin/conversations/%s: status %d, want 200", s.user, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		s.t.Fatal(err)
	}
	return body.Conversation
}

// TestTypedCSATBesideAClarify: the first text back from a human gets a
// clarify list and the CSAT question in one reply. Both stay pending, in
// their own columns: a number of the list picks its question, a score
// ("4점", or a bare number past the list) answers the CSAT question, and
// "4번", a pick past the list, answers neither: it takes the main menu's
// option 4 (회원/계정), as any pick past a clarify list does. Before, the
// clarify list took the only slot and a typed score was a miss.
func TestTypedCSATBesideAClarify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		say       string
		wantCSAT  int
		wantText  string
		wantScore float64 // the score GET /admin/handoffs/{id} shows; 0: none
	}{
		{"4점", 1, "소중한 의견 감사합니다", 4},
		{"5", 1, "소중한 의견 감사합니다", 5},
		{"2", 0, "기본 배송비는 3,000원", 0},
		{"4번", 0, "회원/계정 메뉴예요.", 0},
	} {
		t.Run(tc.say, func(t *testing.T) {
			t.Parallel()
			lifecycleEnv(t, mondayMorning, testEnv{"BATON_ADMIN_TOKEN": e2eAdminToken}, func(s *session) {
				toWaiting(s)
				s.apply(fsm.EventAccepted)
				s.say("배송비 얼마예요") // back from the human: a clarify list and the CSAT question
				s.wantText("혹시 아래 질문 중 하나인가요")
				s.wantText("1점(아쉬워요)")
				c := s.conv()
				asked, _, _, _ := s.handoff() // the session the question is about
				if c.CSATPending != fsm.CSATFromReply+":"+asked || len(c.Clarify) == 0 {
					t.Fatalf("after the reply: CSATPending %q, clarify %v; want both pending, about %s", c.CSATPending, c.Clarify, asked)
				}
				for _, id := range c.Clarify {
					if id == "csat:reply" {
						t.Errorf("clarify list %v holds the CSAT marker", c.Clarify)
					}
				}
				if got := s.adminConversation(); got["csat_pending"] != fsm.CSATFromReply || got["csat_handoff"] != asked {
					t.Errorf("admin conversation: got csat_pending %v, csat_handoff %v; want %q, %s",
						got["csat_pending"], got["csat_handoff"], fsm.CSATFromReply, asked)
				}
				misses := c.FAQMisses
				s.say(tc.say)
				s.wantText(tc.wantText)
				if got := s.csatRowCount(); got != tc.wantCSAT {
					t.Errorf("%q: got %d csat rows, want %d; answer %s", tc.say, got, tc.wantCSAT, s.raw)
				}
				c = s.conv()
				if c.CSATPending != "" || len(c.Clarify) != 0 || c.FAQMisses != misses {
					t.Errorf("%q: got CSATPending %q, clarify %v, %d misses; want neither pending and %d misses",
						tc.say, c.CSATPending, c.Clarify, c.FAQMisses, misses)
				}
				if _, ok := s.adminConversation()["csat_pending"]; ok {
					t.Errorf("admin conversation: csat_pending shown after the question closed")
				}
				// A lead reviewing the session sees the score it got.
				id, _, _, _ := s.handoff()
				code, body := adminCall(t, s.m, http.MethodGet, "/admin/handoffs/"+id)
				csat, rated := body["csat"].(map[string]any)
				if code != http.StatusOK || rated != (tc.wantScore != 0) || (rated && (csat["score"] != tc.wantScore || csat["at"] == "")) {
					t.Errorf("%q: GET /admin/handoffs/%s: got %d csat %v, want score %v", tc.say, id, code, body["csat"], tc.wantScore)
				}
			})
		})
	}
}

// TestClarifyAfterTheCSATQuestion: a question typed instead of a score
// closes the CSAT question; its clarify list then picks by number, and a
// later score is not taken for the CSAT answer. A tap on that question's
// quick reply later still rates the session it asked about, also after
// another handoff ended since (not the user's latest handoff).
func TestClarifyAfterTheCSATQuestion(t *testing.T) {
	t.Parallel()
	lifecycle(t, mondayMorning, func(s *session) {
		toWaiting(s)
		s.apply(fsm.EventAccepted)
		s.say("배송비 얼마에요") // answered, with the CSAT question
		s.wantText("1점(아쉬워요)")
		asked, _, _, _ := s.handoff()
		var five turn
		for _, q := range s.last.Template.QuickReplies {
			if q.Label == "5점" {
				five = turn{Utterance: q.MessageText, Extra: q.Extra, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}
			}
		}
		s.say("배송비 얼마예요")
		s.wantText("혹시 아래 질문 중 하나인가요")
		if c := s.conv(); c.CSATPending != "" {
			t.Errorf("after a question instead of a score: CSATPending %q, want none", c.CSATPending)
		}
		s.say("2")
		s.wantText("기본 배송비는 3,000원")
		if got := s.csatRowCount(); got != 0 {
			t.Errorf("csat rows: got %d, want 0", got)
		}
		// Another handoff, which ends before anyone takes it; then the
		// first question's 5점.
		toWaiting(s)
		later, _, _, _ := s.handoff()
		s.apply(fsm.EventEnded)
		s.send(five)
		s.wantText("소중한 의견 감사합니다")
		var rated string
		if err := s.m.DB.ReadDB().QueryRow(`SELECT handoff_id FROM csat WHERE user_key = ?`, s.user).Scan(&rated); err != nil || rated != asked {
			t.Errorf("the 5점 tapped after handoff %s ended: rated %q (%v), want %s, the session asked about", later, rated, err, asked)
		}
	})
}

// TestTypedCSATPosition: "4번" typed to the CSAT question alone, through
// /skill, is the fourth button (2점) as much as a score of 4, so it is not
// stored: the answer asks for the score in 점 (texts.csat_unclear) with the
// score buttons, and the "2점" that follows is the one csat row, score 2.
// "3번" (3점 either way) is stored at once.
func TestTypedCSATPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		say     string
		unclear bool
	}{{"4번", true}, {"1번이요", true}, {"3번", false}} {
		t.Run(tc.say, func(t *testing.T) {
			lifecycle(t, mondayMorning, func(s *session) {
				toWaiting(s)
				s.apply(fsm.EventAccepted)
				s.say("배송비 얼마에요") // back from the human: the answer and the CSAT question
				s.wantText("1점(아쉬워요)")
				s.say(tc.say)
				want := 3
				if tc.unclear {
					s.wantText(configs.DefaultTexts().CSATUnclear)
					if got := s.csatRowCount(); got != 0 {
						t.Fatalf("%q: got %d csat rows, want 0; answer %s", tc.say, got, s.raw)
					}
					asked, _, _, _ := s.handoff()
					if c, want := s.conv(), fsm.CSATFromReply+":"+asked+fsm.CSATAskedAgain; c.CSATPending != want {
						t.Errorf("%q: CSATPending %q, want %q", tc.say, c.CSATPending, want)
					}
					s.tap("2점")
					want = 2
				}
				s.wantText("소중한 의견 감사합니다")
				var score int
				if err := s.m.DB.ReadDB().QueryRow(`SELECT score FROM csat WHERE user_key = ?`, s.user).Scan(&score); err != nil {
					t.Fatalf("csat row: %v; answer %s", err, s.raw)
				}
				if score != want {
					t.Errorf("%q: stored score %d, want %d", tc.say, score, want)
				}
			})
		})
	}
}

// TestTypedCSATAskedAgainOnce: "4번" typed to the CSAT question is asked
// again in 점 (texts.csat_unclear) once; a second "4번" stores no score and
// does not ask a third time: the question closes and "4번" takes the main
// menu's option 4 (회원/계정), as it would with no question asked.
func TestTypedCSATAskedAgainOnce(t *testing.T) {
	t.Parallel()
	lifecycle(t, mondayMorning, func(s *session) {
		toWaiting(s)
		s.apply(fsm.EventAccepted)
		s.say("배송비 얼마에요") // back from the human: the answer and the CSAT question
		s.wantText("1점(아쉬워요)")
		s.say("4번")
		s.wantText(configs.DefaultTexts().CSATUnclear)
		s.say("4번")
		s.wantText("회원/계정 메뉴예요.")
		if strings.Contains(string(s.raw), configs.DefaultTexts().CSATUnclear) {
			t.Errorf("second \"4번\": asked again a third time; answer %s", s.raw)
		}
		if got := s.csatRowCount(); got != 0 {
			t.Errorf("csat rows: got %d, want 0; answer %s", got, s.raw)
		}
		if c := s.conv(); c.CSATPending != "" {
			t.Errorf("after the second \"4번\": CSATPending %q, want the question closed", c.CSATPending)
		}
	})
}
