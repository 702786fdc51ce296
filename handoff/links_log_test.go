package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/store"
)

// storeFailingApplier loads the user's conversation from the real store,
// as skill.Server.Apply does, then commits it with a cancelled context, so
// the commit fails; it returns the store's error wrapped the way skill does.
type storeFailingApplier struct{ db *store.DB }

func (a storeFailingApplier) Apply(ctx context.Context, userKey, event, _ string) (fsm.Outcome, error) {
	u, conv, _, err := a.db.Load(ctx, userKey)
	if err == nil {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		err = a.db.Commit(ctx, &store.TurnWrite{User: u, Conv: conv})
	}
	if err != nil {
		return fsm.Outcome{}, fmt.Errorf("skill: apply %s: %w", event, err)
	}
	return fsm.Outcome{}, nil
}

// TestLinkApplyFailureLogsNoUserKey: the link handler logs the apply error
// as it is (no redaction), so the store's errors must never carry the user
// key; the page is the 500 retry page.
func TestLinkApplyFailureLogsNoUserKey(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	const user = "kakao-user-7f3a9c"
	h := f.escalate(t, user, "notify", time.Now().UTC())
	links := NewLinks([]byte("k"), "http://127.0.0.1:8081")
	var logs testlog.Buffer
	serve := links.Handler(f.db, storeFailingApplier{f.db}, slog.New(slog.NewTextHandler(&logs, nil)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, strings.TrimPrefix(r.URL.Path, "/a/"))
	}))
	t.Cleanup(srv.Close)

	// The POST of the link page's button: the one that applies the link.
	res, err := http.Post(srv.URL+"/a/"+links.Token(h.ID, LinkAccept, time.Now().Add(time.Hour)), "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got, want := res.StatusCode, http.StatusInternalServerError; got != want {
		t.Fatalf("status: got %d, want %d", got, want)
	}
	got := logs.String()
	if !strings.Contains(got, "link: apply") || !strings.Contains(got, "context canceled") {
		t.Errorf("log: got\n%s\nwant the apply failure with its error", got)
	}
	if strings.Contains(got, user) {
		t.Errorf("log carries the user key:\n%s", got)
	}
}
