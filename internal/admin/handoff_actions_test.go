package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestHandoffCodeFilter: ?code= selects every handoff with the code, in any
// case, together with the other filters.
func TestHandoffCodeFilter(t *testing.T) {
	f := newFixture(t, false, admin.Options{})
	at := time.Now().Add(-time.Hour).UTC()
	a := testutil.SeedUser(t, f.db, "code-a", at) // both seeded as K7Q2
	b := testutil.SeedUser(t, f.db, "code-b", at.Add(time.Second))
	if _, err := f.db.CloseHandoff(context.Background(), a.HandoffID, "ended", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"?code=K7Q2", []string{b.HandoffID}},
		{"?code=k7q2&state=all", []string{b.HandoffID, a.HandoffID}},
		{"?code=%20k7Q2%20&state=all&limit=1", []string{b.HandoffID}},
		{"?code=K7Q2&state=all&before=" + b.HandoffID, []string{a.HandoffID}},
		{"?code=K7Q2&state=all&queue=vip", nil},
		{"?code=ZZZZ&state=all", nil},
	}
	for _, tt := range tests {
		code, body := f.call(t, http.MethodGet, "/admin/handoffs"+tt.query, bootToken, nil)
		if code != http.StatusOK {
			t.Fatalf("handoffs%s: got %d %v", tt.query, code, body)
		}
		var got []string
		for _, h := range body["handoffs"].([]any) {
			got = append(got, h.(map[string]any)["id"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("handoffs%s: got %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestIssueLinks: POST /admin/handoffs/{id}/links mints an accept and an
// end link that verify under the same key and name the handoff; an ended
// handoff is 409, an unknown one 404, a manager may ask, and without Links
// or Lifecycle the routes are 501.
func TestIssueLinks(t *testing.T) {
	links := handoff.NewLinks([]byte("link-key-for-tests-0123456789abc"), "http://agents.example")
	f := newFixture(t, false, admin.Options{Links: links})
	manager, _ := f.newToken(t, "상담팀", store.RoleManager)
	at := time.Now().Add(-time.Hour).UTC()
	open := testutil.SeedUser(t, f.db, "links-open", at)
	ended := testutil.SeedUser(t, f.db, "links-ended", at)
	if _, err := f.db.CloseHandoff(context.Background(), ended.HandoffID, "ended", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}

	code, body := f.call(t, http.MethodPost, "/admin/handoffs/"+open.HandoffID+"/links", manager, nil)
	if code != http.StatusOK {
		t.Fatalf("links: got %d %v, want 200", code, body)
	}
	for action, key := range map[string]string{handoff.LinkAccept: "accept", handoff.LinkEnd: "end"} {
		u, _ := body[key].(string)
		token, ok := strings.CutPrefix(u, "http://agents.example/a/")
		if !ok {
			t.Fatalf("%s link %q: want it under the links' base URL", key, u)
		}
		id, got, err := links.Parse(token)
		if err != nil || id != open.HandoffID || got != action {
			t.Errorf("%s link parses to %q %q (%v), want %s %s", key, id, got, err, open.HandoffID, action)
		}
	}
	exp, err := time.Parse(time.RFC3339, body["expires_at"].(string))
	if d := time.Until(exp); err != nil || d < handoff.DefaultLinkTTL-time.Minute || d > handoff.DefaultLinkTTL {
		t.Errorf("expires_at %v (%v): %v from now, want the link TTL", body["expires_at"], err, d)
	}

	for _, tt := range []struct {
		path string
		want int
	}{
		{"/admin/handoffs/" + ended.HandoffID + "/links", http.StatusConflict},
		{"/admin/handoffs/01NOPE/links", http.StatusNotFound},
		{"/admin/handoffs/" + open.HandoffID + "/accept", http.StatusNotImplemented},
		{"/admin/handoffs/" + open.HandoffID + "/end", http.StatusNotImplemented},
	} {
		if code, body := f.call(t, http.MethodPost, tt.path, manager, nil); code != tt.want {
			t.Errorf("POST %s: got %d %v, want %d", tt.path, code, body, tt.want)
		}
	}
	bare := newFixture(t, false, admin.Options{})
	if code, _ := bare.call(t, http.MethodPost, "/admin/handoffs/"+open.HandoffID+"/links", bootToken, nil); code != http.StatusNotImplemented {
		t.Errorf("links without Links: got %d, want 501", code)
	}
	if code, _ := f.call(t, http.MethodPost, "/admin/handoffs/"+open.HandoffID+"/links", "", nil); code != http.StatusUnauthorized {
		t.Errorf("links without a token: got %d, want 401", code)
	}
}
