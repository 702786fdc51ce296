package admin

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/internal/testutil"
)

// TestBootstrapTokenTrimmed: BATON_ADMIN_TOKEN read from an env file with a
// stray space or newline still authenticates. A presented token is trimmed
// (bearer), so the untrimmed bootstrap token used to match no request and
// the master could not get in.
func TestBootstrapTokenTrimmed(t *testing.T) {
	db := testutil.Store(t)
	e := echo.New()
	New(db, slog.New(slog.DiscardHandler), Options{BootstrapToken: " boot-master-secret-7d41\n", SubjectKey: []byte("k")}).Register(e)
	hs := httptest.NewServer(e)
	defer hs.Close()
	for _, tc := range []struct {
		token string
		want  int
	}{
		{"boot-master-secret-7d41", http.StatusOK},
		{"boot-master-secret-7d4", http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/admin/whoami", nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET /admin/whoami with %q: got %d, want %d", tc.token, resp.StatusCode, tc.want)
		}
	}
}
