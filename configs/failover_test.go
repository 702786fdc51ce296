package configs

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDealerFailoverAfter: handoff.dealer_failover_after defaults to 2m
// (half of wait_timeout.dealer when that is not longer), takes the bot
// master's value, and, when a queue targets a dealer, a value the bot master
// set must be shorter than wait_timeout.dealer (defaulted or not), or a
// dealer that is down would be failed over only once the handoff timed out.
// Without a dealer queue the setting is unused and never refused.
func TestDealerFailoverAfter(t *testing.T) {
	notify, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dealer := []byte("kakao: {consultation: sangdamtalk}\n" +
		"dealers:\n  happytalk: {url: \"http://127.0.0.1:9000/baton\"}\n" +
		strings.Replace(string(notify), "target: notify", `target: "dealer:happytalk"`, 1))
	for _, tc := range []struct {
		name, handoff string
		want          time.Duration
		wantErr       string // start of the message after "file:line:col: "
		notifyOnly    bool   // the queue targets notify instead of a dealer
	}{
		{"default", "", DefaultDealerFailover, "", false},
		{"set", "  dealer_failover_after: 90s\n", 90 * time.Second, "", false},
		{"below a longer wait", "  dealer_failover_after: 15m\n  wait_timeout: {dealer: 20m}\n", 15 * time.Minute, "", false},
		{"equal to the default wait", "  dealer_failover_after: 10m\n", 0,
			"dealer_failover_after (10m0s) must be shorter than wait_timeout.dealer (10m0s)", false},
		{"above the wait", "  dealer_failover_after: 5m\n  wait_timeout: {dealer: 3m}\n", 0,
			"dealer_failover_after (5m0s) must be shorter than wait_timeout.dealer (3m0s)", false},
		{"default above a short wait", "  wait_timeout: {dealer: 1m}\n", 30 * time.Second, "", false},
		{"default equal to the wait", "  wait_timeout: {dealer: 2m}\n", time.Minute, "", false},
		{"no dealer: set above the wait", "  dealer_failover_after: 5m\n  wait_timeout: {dealer: 3m}\n", 5 * time.Minute, "", true},
		{"no dealer: default above a short wait", "  wait_timeout: {dealer: 1m}\n", 30 * time.Second, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := dealer
			if tc.notifyOnly {
				base = notify
			}
			cfg, err := Parse("failover.yaml", append(append([]byte{}, base...), tc.handoff...))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got := cfg.Handoff.DealerFailoverAfter.D(); got != tc.want {
					t.Errorf("got dealer_failover_after %v, want %v", got, tc.want)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("got error %v, want exactly one", err)
			}
			if _, msg, _ := strings.Cut(errs[0].Error(), ": "); !strings.HasPrefix(msg, tc.wantErr) {
				t.Errorf("got error %q, want it to start with %q", errs[0].Error(), tc.wantErr)
			}
		})
	}
}
