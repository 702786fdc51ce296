package handoff_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
)

// linkServer serves links' handler on /a/{token} and returns its base URL.
func linkServer(t *testing.T, e *dealerEnv, links *handoff.Links) string {
	t.Helper()
	serve := links.Handler(e.db, e.app, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, strings.TrimPrefix(r.URL.Path, "/a/"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// fetchLink sends method to url with userAgent and returns the answer.
func fetchLink(t *testing.T, method, url, userAgent string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// previewers are the User-Agents of the fetches a posted link gets with no
// agent involved, and a browser's (an agent opening the link).
var previewers = []string{
	"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	"Mozilla/5.0 (compatible; Microsoft Office/16.0; ms-office; MSOffice 16)", // Outlook Safe Links
	"kakaotalk-scrap/1.0; +https://devtalk.kakao.com/",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
	"",
}

// TestLinkGetChangesNothing: a GET of an accept or end link, with any
// User-Agent (a link previewer's or a browser's), changes nothing — the
// conversation, the handoff and its events stay as they were — and answers
// a page saying where the handoff stands (its code and queue) with one
// button that POSTs to the same URL; the POST applies the link.
func TestLinkGetChangesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		state      fsm.State
		action     string
		stateText  string // the default text of where the handoff stands
		button     string
		afterState fsm.State
	}{
		{"accept, waiting", fsm.StateWaiting, handoff.LinkAccept, "고객이 상담원을 기다리고 있습니다", "상담 시작하기", fsm.StateHuman},
		{"end, waiting", fsm.StateWaiting, handoff.LinkEnd, "고객이 상담원을 기다리고 있습니다", "상담 종료하기", fsm.StateBot},
		{"end, taken", fsm.StateHuman, handoff.LinkEnd, "상담원이 맡아 진행 중인 상담입니다", "상담 종료하기", fsm.StateBot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newDealerEnv(t)
			id := e.seed(t, "u-get", tc.state, "general", "notify")
			links := handoff.NewLinks([]byte("k"), "http://unused")
			url := linkServer(t, e, links) + "/a/" + links.Token(id, tc.action, time.Now().Add(time.Hour))
			before := e.handoff(t, id)
			for _, ua := range previewers {
				resp, page := fetchLink(t, http.MethodGet, url, ua)
				for _, want := range []string{tc.stateText, "상담번호 AB23", "큐 general",
					`<form method="post"><button type="submit">` + tc.button + `</button></form>`} {
					if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
						t.Errorf("GET (User-Agent %q): got %d %q, want 200 with %q", ua, resp.StatusCode, page, want)
					}
				}
				for h, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
					"Referrer-Policy": "no-referrer"} {
					if got := resp.Header.Get(h); got != want {
						t.Errorf("GET: %s %q, want %q", h, got, want)
					}
				}
				if c := e.conv(t, "u-get"); c.State != tc.state || c.HandoffID != id {
					t.Fatalf("after a GET (User-Agent %q): conversation %s %q, want %s %s unchanged", ua, c.State, c.HandoffID, tc.state, id)
				}
				if h := e.handoff(t, id); !h.AcceptedAt.Equal(before.AcceptedAt) || !h.EndedAt.IsZero() || h.EndReason != "" {
					t.Fatalf("after a GET (User-Agent %q): handoff accepted %s ended %s (%q), want as it was", ua, h.AcceptedAt, h.EndedAt, h.EndReason)
				}
			}
			for _, m := range []string{http.MethodHead, http.MethodPut, http.MethodDelete} {
				if resp, _ := fetchLink(t, m, url, ""); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, POST" {
					t.Errorf("%s: got %d Allow %q, want 405 Allow GET, POST", m, resp.StatusCode, resp.Header.Get("Allow"))
				}
			}
			if c := e.conv(t, "u-get"); c.State != tc.state {
				t.Fatalf("after HEAD, PUT and DELETE: conversation %s, want %s", c.State, tc.state)
			}

			// The button: the POST applies the link.
			resp, page := fetchLink(t, http.MethodPost, url, previewers[3])
			if resp.StatusCode != http.StatusOK || strings.Contains(page, "<form") {
				t.Errorf("POST: got %d %q, want 200 without a button", resp.StatusCode, page)
			}
			if c := e.conv(t, "u-get"); c.State != tc.afterState {
				t.Errorf("after the POST: conversation %s, want %s", c.State, tc.afterState)
			}
			// Now the link can no longer apply: a GET says what happened,
			// with no button.
			if _, page := fetchLink(t, http.MethodGet, url, ""); strings.Contains(page, "<form") || !strings.Contains(page, "AB23") {
				t.Errorf("GET after the POST: got %q, want what happened to AB23 with no button", page)
			}
		})
	}
}

// TestLinkGetPageFromConfig: the GET page's texts are the config's, with
// {code} and {queue} filled, all HTML-escaped; a blank button label falls
// back to the default (a button must say what it does).
func TestLinkGetPageFromConfig(t *testing.T) {
	t.Parallel()
	e := newDealerEnv(t)
	id := e.seed(t, "u-get-texts", fsm.StateWaiting, "general", "notify")
	links := handoff.NewLinks([]byte("k"), "http://unused")
	tx := configs.DefaultTexts()
	tx.LinkTitle = "<링크>"
	tx.LinkConfirmWaiting = "대기 <b>{code}</b> & {queue}"
	tx.LinkAcceptButton = "맡기 <지금>"
	tx.LinkEndButton = " "
	links.Texts = func() configs.Texts { return tx }
	base := linkServer(t, e, links) + "/a/"
	_, page := fetchLink(t, http.MethodGet, base+links.Token(id, handoff.LinkAccept, time.Now().Add(time.Hour)), "")
	for _, want := range []string{"<title>&lt;링크&gt;</title>", "<p>대기 &lt;b&gt;AB23&lt;/b&gt; &amp; general</p>",
		"<button type=\"submit\">맡기 &lt;지금&gt;</button>"} {
		if !strings.Contains(page, want) {
			t.Errorf("accept GET: got %q, want %q", page, want)
		}
	}
	_, page = fetchLink(t, http.MethodGet, base+links.Token(id, handoff.LinkEnd, time.Now().Add(time.Hour)), "")
	if want := "<button type=\"submit\">상담 종료하기</button>"; !strings.Contains(page, want) {
		t.Errorf("end GET with a blank link_end_button: got %q, want %q", page, want)
	}
}
