package handoff

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCallbackPostReportsKakaoRefusal checks that a callback POST Kakao
// answers 2xx with status FAIL or ERROR (spec §5, expired token, invalid
// bubble) is an error wrapping ErrCallbackRefused without the URL, and that
// any other 2xx answer (SUCCESS, empty, not JSON, no status) stays a
// success: the answer is read leniently (Kakao audit finding 5).
func TestCallbackPostReportsKakaoRefusal(t *testing.T) {
	for _, tc := range []struct {
		name, answer string
		refused      bool
	}{
		{"expired token", `{"taskId":"t1","status":"FAIL","message":"Invalid callback token. Check your callback token.","timestamp":1728382106745}`, true},
		{"invalid bubble", `{"taskId":"t2","status":"ERROR","message":"Invalid json response from bot-skill.","timestamp":1728382106745}`, true},
		{"success", `{"taskId":"t3","status":"SUCCESS","message":"","timestamp":1728382106745}`, false},
		{"success lower case", `{"status":"success"}`, false},
		{"empty body", ``, false},
		{"not json", `ok`, false},
		{"no status", `{"taskId":"t4"}`, false},
		{"status not a string", `{"status":1}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.answer)
			}))
			t.Cleanup(srv.Close)
			c := NewCallbackClient([]string{strings.TrimPrefix(srv.URL, "http://")})
			c.AllowHTTP = true
			const token = "one-time-secret-token"
			err := c.Post(context.Background(), srv.URL+"/v1/bots/b/callback/"+token, []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요"}}]}}`))
			if got := errors.Is(err, ErrCallbackRefused); got != tc.refused {
				t.Fatalf("answer %s: got error %v (refused %v), want refused %v", tc.answer, err, got, tc.refused)
			}
			if err != nil && (strings.Contains(err.Error(), token) || strings.Contains(err.Error(), srv.URL)) {
				t.Fatalf("got error %q, want one without the callback URL", err)
			}
		})
	}
}

// TestClip checks that clip cuts on a rune boundary.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"가나", 4, "가"},
		{"가나", 3, "가"},
		{"가나", 2, ""},
	} {
		if got := clip(tc.s, tc.n); got != tc.want {
			t.Errorf("clip(%q, %d): got %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
