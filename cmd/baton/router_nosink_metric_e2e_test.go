package main

import (
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestRouterNoSinkIsCounted: a notify handoff with no notify sink configured
// reaches no agent; besides the log line and /readyz, /metrics counts it as
// baton_router_deliveries_total{result="no_sink"}, so an alert can see it.
func TestRouterNoSinkIsCounted(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBatonLogging(t, exampleConfig, t.TempDir(), clock, slog.New(slog.DiscardHandler))
	s := newSession(t, m, clock, "u-no-sink-metric")
	s.welcome()
	s.say("상담원")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateWaiting)

	series := regexp.MustCompile(`(?m)^baton_router_deliveries_total\{result="no_sink",target="notify"\} (\S+)$`)
	testutil.CheckFor(t, 5*time.Second, 10*time.Millisecond, func() error {
		code, body := getAdmin(t, m, "/metrics")
		if code != 200 {
			return fmt.Errorf("/metrics: %d", code)
		}
		v := series.FindStringSubmatch(body)
		if v == nil {
			return fmt.Errorf("no no_sink series in /metrics yet")
		}
		if n, err := strconv.ParseFloat(v[1], 64); err != nil || n < 1 {
			return fmt.Errorf("no_sink deliveries %s, want at least 1", v[1])
		}
		return nil
	})
}
