package handoff

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a loopback stand-in for Kakao's callback host.
type recorder struct {
	mu     sync.Mutex
	bodies []string
	paths  []string
}

func (r *recorder) handler(status int, redirect string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.paths = append(r.paths, req.URL.Path)
		r.mu.Unlock()
		if redirect != "" {
			http.Redirect(w, req, redirect, http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"taskId":"t","status":"SUCCESS"}`))
	})
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func TestCallbackClientRefusesWithoutSendingAnything(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec.handler(200, ""))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	strict := NewCallbackClient([]string{host})
	other := NewCallbackClient([]string{"bot-api.kakao.com"})
	other.AllowHTTP = true
	for name, tc := range map[string]struct {
		c   *CallbackClient
		url string
	}{
		"http when https is required": {strict, srv.URL + "/v1/bots/b/callback/tok"},
		"host off the allow-list":     {other, srv.URL + "/v1/bots/b/callback/tok"},
		"look-alike host":             {other, "http://bot-api.kakao.com.evil.example/v1/bots/b/callback/tok"},
		"userinfo trick":              {other, "http://bot-api.kakao.com@" + host + "/cb"},
		"not a url":                   {other, "::"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.c.Post(context.Background(), tc.url, []byte(`{}`))
			if !errors.Is(err, ErrCallbackURL) {
				t.Fatalf("got %v, want ErrCallbackURL", err)
			}
		})
	}
	if n := rec.count(); n != 0 {
		t.Fatalf("the recorder got %d requests, want none", n)
	}
}

func TestCallbackClientPostsOnceAndNeverFollowsRedirects(t *testing.T) {
	target := &recorder{}
	tsrv := httptest.NewServer(target.handler(200, ""))
	defer tsrv.Close()
	rec := &recorder{}
	srv := httptest.NewServer(rec.handler(200, tsrv.URL+"/elsewhere"))
	defer srv.Close()
	c := NewCallbackClient([]string{strings.TrimPrefix(srv.URL, "http://"), strings.TrimPrefix(tsrv.URL, "http://")})
	c.AllowHTTP = true

	secret := srv.URL + "/v1/bots/b/callback/SECRET-TOKEN"
	err := c.Post(context.Background(), secret, []byte(`{"version":"2.0"}`))
	if err == nil {
		t.Fatal("a redirect answer was treated as success")
	}
	if strings.Contains(err.Error(), "SECRET-TOKEN") {
		t.Fatalf("the error carries the callback URL: %v", err)
	}
	if rec.count() != 1 || target.count() != 0 {
		t.Fatalf("got %d requests at the callback host and %d at the redirect target, want 1 and 0", rec.count(), target.count())
	}

	ok := &recorder{}
	osrv := httptest.NewServer(ok.handler(200, ""))
	defer osrv.Close()
	c2 := NewCallbackClient([]string{strings.TrimPrefix(osrv.URL, "http://")})
	c2.AllowHTTP = true
	if err := c2.Post(context.Background(), osrv.URL+"/v1/bots/b/callback/x", []byte(`{"version":"2.0"}`)); err != nil {
		t.Fatal(err)
	}
	if ok.count() != 1 || ok.bodies[0] != `{"version":"2.0"}` {
		t.Fatalf("got %v, want exactly the body once", ok.bodies)
	}
}
