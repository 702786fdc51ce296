package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// previewUserAgents are the User-Agents of fetches a posted link gets with
// no agent involved (Slack's unfurler when a receiver's bot reposts the
// links with unfurling on, KakaoWork/Teams previews, Outlook Safe Links
// and other mail scanners), and a browser's.
var previewUserAgents = []string{
	"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	"Mozilla/5.0 (compatible; Microsoft Office/16.0; ms-office; MSOffice 16)",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
	"",
}

// TestLinkPreviewChangesNothing: a plain GET of the accept or the end link
// — a link previewer's fetch — must not change the handoff. Before, such a
// fetch of the accept link took the waiting 1:1 handoff: the bot went
// silent for the user (state human) while no human had them, and every
// agent who then clicked was told "이미 수락된 상담입니다 … 다른 상담원이
// 맡아 진행 중입니다" — the user abandoned until the 24 h idle rule; a
// fetch of the end link likewise dropped a waiting request. A GET shows a
// page whose button POSTs; the POST acts. HEAD answers 405.
func TestLinkPreviewChangesNothing(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-link-preview")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	code, links := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/links")
	accept, _ := links["accept"].(string)
	end, _ := links["end"].(string)
	if code != http.StatusOK || accept == "" || end == "" {
		t.Fatalf("links: got %d %v", code, links)
	}
	preview := func(want fsm.State, link string) {
		t.Helper()
		for _, ua := range previewUserAgents {
			req, _ := http.NewRequest(http.MethodGet, link, nil)
			req.Header.Set("User-Agent", ua)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET (User-Agent %q): got %d, want 200", ua, resp.StatusCode)
			}
			if st := s.conv().State; st != want {
				_, agentPage := followLink(t, link) // the real agent, a minute later
				t.Fatalf("a GET (User-Agent %q) of %s moved the user from %q to %q with no agent involved; "+
					"the agent who then clicks reads %q; want a GET to change nothing", ua, link, want, st, agentPage)
			}
		}
		if code, _ := fetchLinkPage(t, http.MethodHead, link); code != http.StatusMethodNotAllowed {
			t.Errorf("HEAD: got %d, want 405", code)
		}
		if _, _, reason, ended := s.handoff(); ended || s.conv().State != want {
			t.Fatalf("after the previews: handoff ended %v (%q), state %s; want open, %s", ended, reason, s.conv().State, want)
		}
	}
	preview(fsm.StateWaiting, accept)
	preview(fsm.StateWaiting, end)
	if h, _, err := m.DB.Handoff(context.Background(), id); err != nil || !h.AcceptedAt.IsZero() {
		t.Fatalf("after the previews: handoff accepted at %s (err %v), want not accepted", h.AcceptedAt, err)
	}

	// The agent opens the accept link and presses its button.
	if st, page := followLink(t, accept); st != http.StatusOK || !strings.Contains(page, "상담을 시작했습니다") {
		t.Fatalf("accept: got %d %q", st, page)
	}
	s.wantState(fsm.StateHuman)
	preview(fsm.StateHuman, end)
	if st, page := followLink(t, end); st != http.StatusOK || !strings.Contains(page, "상담을 종료했습니다") {
		t.Fatalf("end: got %d %q", st, page)
	}
	s.wantState(fsm.StateBot)
}
