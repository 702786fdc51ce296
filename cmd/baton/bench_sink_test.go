package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/bench"
	"github.com/baton-chat/baton/handoff"
)

func postToBenchSink(t *testing.T, s *benchSink, body string, secret []byte, idem string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(handoff.SignatureHeader, handoff.Sign(secret, time.Now(), []byte(body)))
	req.Header.Set(handoff.HeaderIdempotency, idem)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBenchSink(t *testing.T) {
	s, err := startBenchSink()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	ok := `{"version":1,"type":"handoff.requested","id":"H1","code":"AAAA","user":{"bot_user_key":"u1"}}`
	tests := []struct {
		name   string
		body   string
		secret []byte
		idem   string
		want   int
	}{
		{"signed", ok, s.secret, "H1", http.StatusNoContent},
		{"repeat", ok, s.secret, "H1", http.StatusNoContent},
		{"wrong secret", `{"type":"handoff.requested","id":"H2"}`, []byte("other"), "H2", http.StatusUnauthorized},
		{"idempotency key is not the id", `{"type":"handoff.requested","id":"H3"}`, s.secret, "H4", http.StatusBadRequest},
		{"closed under its own key", `{"type":"handoff.closed","id":"H1","code":"AAAA"}`, s.secret, "H1:closed", http.StatusNoContent},
		{"closed under the request's key", `{"type":"handoff.closed","id":"H1","code":"AAAA"}`, s.secret, "H1", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := postToBenchSink(t, s, tt.body, tt.secret, tt.idem); got != tt.want {
				t.Errorf("got status %d, want %d", got, tt.want)
			}
		})
	}
	if got := s.handoffs(); got != 1 {
		t.Errorf("got %d handoffs, want 1", got)
	}
	var out bytes.Buffer
	err = s.report(context.Background(), &out, []bench.Escalation{{User: "u1", Code: "AAAA"}}, true)
	if err == nil || !strings.Contains(err.Error(), "rejected 3") || !strings.Contains(err.Error(), "H1 (2 times)") {
		t.Errorf("report: got error %v, want the 3 rejected notifications and H1's repeat", err)
	}
	if want := "1 handoffs received in 6 POSTs, 3 rejected; escalations acknowledged 1"; !strings.Contains(out.String(), want) {
		t.Errorf("report: got %q, want it to contain %q", out.String(), want)
	}
}

// TestBenchSinkChecksHandoffs: the sink's check compares the handoffs it
// was told about with the escalations acknowledged, one by one (by user
// key and handoff code, as far as the notifications and answers carry
// them), not by count: a lost handoff is missing even when an
// unacknowledged one arrived instead, and a handoff announced more than
// once is reported, since the sink must hear of each exactly once.
func TestBenchSinkChecksHandoffs(t *testing.T) {
	type post struct{ id, user, code string }
	acks := []bench.Escalation{{User: "u1", Code: "AAAA"}, {User: "u2", Code: "BBBB"}}
	tests := []struct {
		name   string
		acks   []bench.Escalation
		posts  []post
		exact  bool
		wantIn []string // in the error; none: no error
	}{
		{name: "each once", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}}, exact: true},
		{name: "one lost, another announced twice", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H1", "u1", "AAAA"}}, exact: true,
			wantIn: []string{"1 acknowledged escalations not announced", "u2 BBBB", "1 handoffs announced more than once", "H1 (2 times)"}},
		{name: "one lost, an unacknowledged one announced", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H3", "u3", "CCCC"}}, exact: true,
			wantIn: []string{"1 acknowledged escalations not announced", "u2 BBBB", "1 handoffs announced that no answer acknowledged", "H3"}},
		{name: "each, one twice", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}, {"H2", "u2", "BBBB"}}, exact: true,
			wantIn: []string{"1 handoffs announced more than once", "H2 (2 times)"}},
		{name: "same code, another user", acks: acks[:1], posts: []post{{"H9", "u9", "AAAA"}}, exact: true,
			wantIn: []string{"u1 AAAA", "H9"}},
		{name: "extra in a valid run", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}, {"H3", "u3", "CCCC"}}, exact: true,
			wantIn: []string{"1 handoffs announced that no answer acknowledged", "H3"}},
		{name: "extra in a run with fallbacks", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}, {"H3", "u3", "CCCC"}}},
		{name: "missing in a run with fallbacks", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H3", "u3", "CCCC"}},
			wantIn: []string{"u2 BBBB"}},
		{name: "twice in a run with fallbacks", acks: acks, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}, {"H1", "u1", "AAAA"}},
			wantIn: []string{"H1 (2 times)"}},
		{name: "notifications without user keys", acks: acks, posts: []post{{"H1", "", "AAAA"}, {"H2", "", "BBBB"}}, exact: true},
		{name: "notifications without user keys, one lost", acks: acks, posts: []post{{"H1", "", "AAAA"}, {"H3", "", "CCCC"}}, exact: true,
			wantIn: []string{"BBBB", "H3"}},
		{name: "answers without codes", acks: []bench.Escalation{{User: "u1"}, {User: "u2"}}, posts: []post{{"H1", "u1", "AAAA"}, {"H2", "u2", "BBBB"}}, exact: true},
		{name: "answers without codes, one lost", acks: []bench.Escalation{{User: "u1"}, {User: "u2"}}, posts: []post{{"H1", "u1", "AAAA"}, {"H3", "u3", "CCCC"}}, exact: true,
			wantIn: []string{"u2", "H3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := startBenchSink()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.close)
			for _, p := range tt.posts {
				user := ""
				if p.user != "" {
					user = `,"user":{"bot_user_key":"` + p.user + `","plusfriend_user_key":"pf"}`
				}
				body := `{"version":1,"type":"handoff.requested","id":"` + p.id + `","code":"` + p.code + `"` + user + `}`
				if got := postToBenchSink(t, s, body, s.secret, p.id); got != http.StatusNoContent {
					t.Fatalf("post %s: got status %d, want 204", p.id, got)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // no waiting for handoffs that will never come
			var out bytes.Buffer
			err = s.report(ctx, &out, tt.acks, tt.exact)
			switch {
			case len(tt.wantIn) == 0 && err != nil:
				t.Errorf("got error %v, want none\n%s", err, out.String())
			case len(tt.wantIn) > 0 && err == nil:
				t.Errorf("got no error, want one naming %q\n%s", tt.wantIn, out.String())
			}
			for _, want := range tt.wantIn {
				if err != nil && !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
