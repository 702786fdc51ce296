//go:build audit

package configs

import (
	"os"
	"strings"
	"testing"
)

// TestAuditFailoverIgnoresQueueWaitTimeout shows that validateDealerFailover
// (failover.go) and defaultDealerFailover only look at
// handoff.wait_timeout.dealer, while a queue's own wait_timeout overrides it
// for that queue (config.go Queue.WaitTimeout). So (a) a dealer queue
// waiting 1m with the default 2m failover loads, and its down dealer is
// failed over only after the wait timeout closed the handoff; (b) a config
// whose only dealer queue waits 30m is refused because the unused global
// dealer wait is 1m.
func TestAuditFailoverIgnoresQueueWaitTimeout(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withQueue := func(queue, handoff string) []byte {
		s := strings.Replace(string(base), "general: {target: notify, hours: office}", queue, 1)
		s = strings.Replace(s, "handoff:\n", "handoff:\n"+handoff, 1)
		return []byte("kakao: {consultation: sangdamtalk}\n" +
			"dealers:\n  happytalk: {url: \"http://127.0.0.1:9000/baton\"}\n" + s)
	}

	// (a) queue waits 1m, failover defaults to 2m: must not load silently.
	c, err := Parse("short_queue_wait.yaml",
		withQueue(`general: {target: "dealer:happytalk", hours: office, wait_timeout: 1m}`, ""))
	if err == nil {
		q := c.Handoff.Queues["general"]
		if f, w := c.Handoff.DealerFailoverAfter.D(), q.WaitTimeout.D(); f >= w {
			t.Errorf("got dealer_failover_after %v for a dealer queue waiting %v, want it shorter (or a config error)", f, w)
		}
	}

	// (b) the only dealer queue waits 30m; the global dealer wait is unused.
	if _, err := Parse("long_queue_wait.yaml",
		withQueue(`general: {target: "dealer:happytalk", hours: office, wait_timeout: 30m}`,
			"  wait_timeout: {dealer: 1m}\n  dealer_failover_after: 2m\n")); err != nil {
		t.Errorf("got error %v, want valid: the only dealer queue waits 30m, longer than the 2m failover", err)
	}
}
