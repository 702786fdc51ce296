package handoff_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
)

// TestDealerEventPanicAnswers500: a panic while handling a dealer event
// (here the handler's clock, on its first call) is answered 500, so the
// dealer retries, and logged once at ERROR with its stack but not the
// body; the retry is applied.
func TestDealerEventPanicAnswers500(t *testing.T) {
	t.Parallel()
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	cfg.Dealers["happytalk"] = configs.Dealer{URL: "http://127.0.0.1:1", Secret: eventSecret}
	db := testutil.Store(t)
	var logs testlog.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	s := skill.NewServer(slog.New(slog.DiscardHandler), testutil.EngineFor(t, cfg), db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
	})
	d := handoff.NewDealerEvents(log, cfg, db, s)
	var calls atomic.Int32
	d.Now = func() time.Time {
		if calls.Add(1) == 1 {
			var m map[string]int
			m["now"]++ // panics: assignment to entry in nil map
		}
		return time.Now()
	}
	d.Register(s.Echo())
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e := &dealerEnv{db: db, url: srv.URL, app: s}

	hid := e.seed(t, "u-panic", fsm.StateWaiting, "vip", "dealer:happytalk")
	started := map[string]any{"id": "ev-panic", "type": "session.started", "handoff_id": hid,
		"agent": map[string]any{"id": "a-7", "name": "김상담-panic"}}
	if code, out := e.send(t, started); code != 500 || out != `{"error":"try again"}`+"\n" {
		t.Fatalf("got %d %s, want 500 try again", code, out)
	}
	if code, out := e.send(t, started); code != 200 || out != status("applied") {
		t.Fatalf("retry: got %d %s, want 200 applied", code, out)
	}
	if c := e.conv(t, "u-panic"); c.State != fsm.StateHuman {
		t.Errorf("got state %s, want human", c.State)
	}
	out := logs.String()
	if got := strings.Count(out, "level=ERROR"); got != 1 {
		t.Errorf("got %d ERROR lines, want 1 (the panic):\n%s", got, out)
	}
	for _, want := range []string{"assignment to entry in nil map", "stack=", "dealer=happytalk"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "김상담-panic") || strings.Contains(out, "u-panic") {
		t.Errorf("log carries the event body:\n%s", out)
	}
}
