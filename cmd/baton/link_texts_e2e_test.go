package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// withLinkTexts adds texts (YAML lines "key: value") to the example
// config's texts section.
func withLinkTexts(t *testing.T, lines ...string) func(string) string {
	return func(s string) string {
		return replaceOnce(t, s, "\ntexts:\n", "\ntexts:\n  "+strings.Join(lines, "\n  ")+"\n")
	}
}

// TestLinkPagesTakeTextsFromConfig: the accept/end link pages say what
// texts.link_* say, HTML-escaped, with {code} filled, and a reload changes
// them for the next page served.
func TestLinkPagesTakeTextsFromConfig(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, withLinkTexts(t,
		`link_title: "상담 <링크>"`,
		`link_accepted: "수락됨 <b>{code}</b> & 확인"`))
	clock := &testClock{t: mondayMorning}
	m := startBatonEnv(t, path, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-link-texts")
	s.welcome()
	toWaiting(s)
	id, _, _, _ := s.handoff()
	h, _, err := m.DB.Handoff(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	hcode := h.Code
	code, links := adminCall(t, m, http.MethodPost, "/admin/handoffs/"+id+"/links")
	accept, _ := links["accept"].(string)
	end, _ := links["end"].(string)
	if code != http.StatusOK || accept == "" || end == "" {
		t.Fatalf("links: got %d %v", code, links)
	}
	if hcode == "" {
		t.Fatal("handoff without a code")
	}

	status, page := followLink(t, accept)
	for _, want := range []string{
		"<title>상담 &lt;링크&gt;</title>",
		"<p>수락됨 &lt;b&gt;" + hcode + "&lt;/b&gt; &amp; 확인</p>",
	} {
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("accept page: got %d %q, want 200 with %q", status, page, want)
		}
	}
	if strings.Contains(page, "상담을 시작했습니다") {
		t.Errorf("accept page: got the built-in text in %q, want the config's", page)
	}
	s.wantState(fsm.StateHuman)

	writeConfig(t, path, withLinkTexts(t,
		`link_taken: "이미 다른 분이 맡았어요 ({code})"`,
		`link_invalid: "쓸 수 없는 링크예요"`))
	reloadOK(t, m)
	if status, page := followLink(t, accept); status != http.StatusOK || !strings.Contains(page, "<p>이미 다른 분이 맡았어요 ("+hcode+")</p>") {
		t.Errorf("accept page again after the reload: got %d %q, want 200 with the reloaded link_taken", status, page)
	}
	bad := accept[:strings.LastIndex(accept, "/a/")] + "/a/not-a-token"
	if status, page := followLink(t, bad); status != http.StatusForbidden || !strings.Contains(page, "<p>쓸 수 없는 링크예요</p>") {
		t.Errorf("bad link after the reload: got %d %q, want 403 with the reloaded link_invalid", status, page)
	}
	if status, page := followLink(t, end); status != http.StatusOK || !strings.Contains(page, "<p>상담을 종료했습니다 (상담번호 "+hcode+")</p>") {
		t.Errorf("end page: got %d %q, want 200 with the default link_ended", status, page)
	}
	s.wantState(fsm.StateBot)
}
