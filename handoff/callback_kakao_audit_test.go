//go:build audit

package handoff

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAuditCallbackPostReportsKakaoRefusal shows a bug: the callback POST
// ignores the body Kakao answers with. Spec §5 (skill-protocol.md, "Callback
// POST response" and "Error messages") documents the answer as
// {"taskId","status":"SUCCESS"|"FAIL"|"ERROR","message"}, with messages such
// as "Invalid callback token. Check your callback token." (expired, over
// 1 min) or "Invalid json response from bot-skill.". CallbackClient.Post
// (handoff/callback.go) only looks at the HTTP status, so a refused callback
// answered with 200 counts as "sent" (skill/server.go callbacks{sent}) and
// nothing is logged, although the user never got the committed reply.
func TestAuditCallbackPostReportsKakaoRefusal(t *testing.T) {
	for _, tc := range []struct{ name, answer string }{
		{"expired token", `{"taskId":"t1","status":"FAIL","message":"Invalid callback token. Check your callback token.","timestamp":1728382106745}`},
		{"invalid bubble", `{"taskId":"t2","status":"ERROR","message":"Invalid json response from bot-skill.","timestamp":1728382106745}`},
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
			err := c.Post(context.Background(), srv.URL+"/v1/bots/b/callback/tok", []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요"}}]}}`))
			if err == nil {
				t.Fatalf("got nil error for Kakao's answer %s, want an error (the callback was not delivered)", tc.answer)
			}
		})
	}
}
