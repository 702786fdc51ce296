package skill_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// redirector answers every request with a redirect to target, counting them.
type redirector struct {
	mu     sync.Mutex
	n      int
	target string
}

func (r *redirector) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	http.Redirect(w, req, r.target, http.StatusTemporaryRedirect)
}

func (r *redirector) count() int { r.mu.Lock(); defer r.mu.Unlock(); return r.n }

// TestCallbackRefusalsSendNothingAndKeepTheURLSecret drives slow turns past
// the soft deadline with callback URLs Baton must not call as given: plain
// http (https required), a host off the allow-list, and an allowed host that
// redirects. The loopback hosts see no request at all for the first two and
// exactly one POST (never followed) for the redirect; the URL's token shows
// up in neither the logs nor the database files.
func TestCallbackRefusalsSendNothingAndKeepTheURLSecret(t *testing.T) {
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	plain := &callbackHost{}
	plainSrv := httptest.NewServer(plain) // allow-listed, but plain http
	defer plainSrv.Close()
	target := &callbackHost{}
	targetSrv := httptest.NewServer(target) // where the redirect points
	defer targetSrv.Close()
	redir := &redirector{target: targetSrv.URL + "/v1/bots/b/callback/REDIRECTED"}
	redirSrv := httptest.NewServer(redir)
	defer redirSrv.Close()

	hostOf := func(u string) string { return strings.TrimPrefix(u, "http://") }
	strict := handoff.NewCallbackClient([]string{hostOf(plainSrv.URL)}) // https only
	logs := &testlog.Buffer{}
	newServer := func(cb skill.Callbacks) *skill.Server {
		return skill.NewServer(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), e,
			slowLoads{db, 200 * time.Millisecond}, handoff.Effects{}, nil, skill.Options{
				SoftDeadline: 20 * time.Millisecond, HardDeadline: 2 * time.Second, Callbacks: cb, CallbackText: cfg.Texts.CallbackWait,
				FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
			})
	}
	ack := skill.CallbackAck(cfg.Texts.CallbackWait)

	// lax accepts plain http (as for a loopback recorder) but still only the
	// allow-listed host: the target host would record anything sent to it.
	lax := handoff.NewCallbackClient([]string{hostOf(plainSrv.URL)})
	lax.AllowHTTP = true
	for _, tc := range []struct {
		name, user, url string
		cb              skill.Callbacks
	}{
		{"http is refused", "u-cb-http", plainSrv.URL + "/v1/bots/b/callback/SECRET-HTTP", strict},
		{"host off the allow-list", "u-cb-off", targetSrv.URL + "/v1/bots/b/callback/SECRET-OFF", lax},
		{"look-alike host", "u-cb-alike", "http://" + hostOf(plainSrv.URL) + ".evil.example/v1/bots/b/callback/SECRET-ALIKE", lax},
		{"userinfo trick", "u-cb-user", "http://" + hostOf(plainSrv.URL) + "@" + hostOf(targetSrv.URL) + "/v1/bots/b/callback/SECRET-USER", lax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := post(t, newServer(tc.cb).Handler(), withCallback(t, tc.user, "배송 조회", tc.url, false))
			if code != 200 || bytes.Equal(out, ack) {
				t.Fatalf("got %d %s, want a direct answer (no useCallback)", code, out)
			}
		})
	}
	if n := len(plain.got()) + len(target.got()); n != 0 {
		t.Fatalf("the loopback hosts got %d requests, want none", n)
	}

	// An allowed host that redirects: one POST there, none at the target.
	follow := handoff.NewCallbackClient([]string{hostOf(redirSrv.URL), hostOf(targetSrv.URL)})
	follow.AllowHTTP = true
	s := newServer(follow)
	code, out := post(t, s.Handler(), withCallback(t, "u-cb-redirect", "배송 조회", redirSrv.URL+"/v1/bots/b/callback/SECRET-REDIRECT", false))
	if code != 200 || !bytes.Equal(out, ack) {
		t.Fatalf("got %d %s, want useCallback", code, out)
	}
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		if !strings.Contains(logs.String(), "callback post failed") {
			return fmt.Errorf("no failed callback logged yet")
		}
		return nil
	})
	if redir.count() != 1 || len(target.got()) != 0 {
		t.Fatalf("got %d posts at the callback host and %d at the redirect target, want 1 and 0", redir.count(), len(target.got()))
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "baton.db*"))
	for _, secret := range []string{"SECRET-HTTP", "SECRET-OFF", "SECRET-ALIKE", "SECRET-USER", "SECRET-REDIRECT", "REDIRECTED", "/callback/"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the logs carry the callback URL (%s):\n%s", secret, logs.String())
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(secret)) {
				t.Fatalf("%s stores the callback URL (%s)", filepath.Base(f), secret)
			}
		}
	}
}
