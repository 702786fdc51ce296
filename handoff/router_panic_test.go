package handoff

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// panickingSink is a notify sink that panics, as a sink with a bug would
// (an assignment to a nil map), on the calls panicOn says, and otherwise
// records the handoffs it was told about.
type panickingSink struct {
	panicOn func(n int) bool

	mu   sync.Mutex
	n    int      // calls
	told []string // handoff ids told without a panic
}

func (s *panickingSink) Name() string { return "panicking" }

func (s *panickingSink) Notify(_ context.Context, n Notification) error {
	s.mu.Lock()
	s.n++
	call := s.n
	s.mu.Unlock()
	if s.panicOn(call) {
		var m map[string]int
		m[n.Handoff.ID]++ // panics: assignment to entry in nil map
	}
	s.mu.Lock()
	s.told = append(s.told, n.Handoff.ID)
	s.mu.Unlock()
	return nil
}

func (s *panickingSink) calls() (n int, told []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, append([]string(nil), s.told...)
}

// TestRouterPanicIsAFailedAttempt: a sink that panics on its first call
// does not take the router down. The one worker goes on with the next
// handoff, the message that panicked is Nak'd and delivered on its next
// attempt, no ticket is opened, and the panic is logged once at ERROR
// with its stack but without the user key.
func TestRouterPanicIsAFailedAttempt(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	sink := &panickingSink{panicOn: func(n int) bool { return n == 1 }}
	var logs testlog.Buffer
	// Every retry here is a Nak with its own delay; AckWait is long so that
	// a stall under load cannot redeliver a message still being worked on
	// and change the exact counts below (as in router_one_ticket_test.go).
	rt := NewRouter(f.db, f.js, []Sink{sink}, slog.New(slog.NewTextHandler(&logs, nil)),
		RouterOptions{Workers: 1, MaxDeliver: 3, RetryDelay: 20 * time.Millisecond, AckWait: 2 * time.Second})
	first := f.escalate(t, "u-panic-first", "notify", time.Now().UTC())
	second := f.escalate(t, "u-panic-second", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), first.ID)
	republish(t, f, SubjectRequest("general"), second.ID)
	startRouter(t, rt)
	waitHandled(t, rt, 2)
	consumerIdle(t, f)

	n, told := sink.calls()
	if n != 3 {
		t.Errorf("got %d sink calls, want 3 (one panic, then each handoff once)", n)
	}
	if len(told) != 2 || told[0] == told[1] {
		t.Errorf("got handoffs told %v, want %s and %s once each", told, first.ID, second.ID)
	}
	for _, h := range []string{first.ID, second.ID} {
		if got := ticketsOf(t, f, h); len(got) != 0 {
			t.Errorf("handoff %s: got tickets %v, want none", h, got)
		}
	}
	if got := counterValue(t, rt.panics); got != 1 {
		t.Errorf("got baton_router_panics_total %v, want 1", got)
	}
	out := logs.String()
	if got := strings.Count(out, "level=ERROR"); got != 1 {
		t.Errorf("got %d ERROR lines, want 1 (the panic):\n%s", got, out)
	}
	for _, want := range []string{"assignment to entry in nil map", "stack=", "router_panic_test.go", "subject=baton.handoff.req.general"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "u-panic-first") {
		t.Errorf("log names the user key:\n%s", out)
	}
}

// TestRouterAlwaysPanickingMessageEndsAsOneTicket: a message whose sink
// panics on every delivery is processed MaxDeliver times and ends as
// exactly one router_poison ticket saying it panicked.
func TestRouterAlwaysPanickingMessageEndsAsOneTicket(t *testing.T) {
	t.Parallel()
	f := newRouterFixture(t)
	sink := &panickingSink{panicOn: func(int) bool { return true }}
	// Every retry here is a Nak with its own delay; AckWait is long so that
	// a stall under load cannot redeliver a message still being worked on
	// and change the exact counts below (as in router_one_ticket_test.go).
	rt := NewRouter(f.db, f.js, []Sink{sink}, nil,
		RouterOptions{MaxDeliver: 3, RetryDelay: 20 * time.Millisecond, AckWait: 2 * time.Second})
	h := f.escalate(t, "u-panic-always", "notify", time.Now().UTC())
	republish(t, f, SubjectRequest("general"), h.ID)
	startRouter(t, rt)
	waitHandled(t, rt, 1)
	consumerIdle(t, f)

	if n, _ := sink.calls(); n != 3 {
		t.Errorf("got %d sink calls, want 3 (MaxDeliver)", n)
	}
	if got := ticketsOf(t, f, h.ID); len(got) != 1 || got[0] != ticketRouterPoison {
		t.Errorf("got tickets %v, want one %s", got, ticketRouterPoison)
	}
	details := ticketDetails(t, f, h.ID)
	if len(details) != 1 || !strings.Contains(details[0], "panicked: assignment to entry in nil map") {
		t.Errorf("got ticket details %q, want one saying it panicked", details)
	}
	if got := counterValue(t, rt.panics); got != 3 {
		t.Errorf("got baton_router_panics_total %v, want 3", got)
	}
}
