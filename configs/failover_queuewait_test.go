package configs

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestFailoverQueueWaitTimeout: dealer_failover_after is checked, and
// defaulted, against each dealer queue's effective wait timeout (its own
// wait_timeout, else wait_timeout.dealer), not the global one alone. So (a)
// a dealer queue waiting 1m does not get the 2m default failover, which its
// wait timeout would pre-empt; (b) a config whose only dealer queue waits 30m
// loads although the unused global dealer wait is 1m; (c) an explicit value
// not below a dealer queue's own wait is refused at the setting, naming the
// queue.
func TestFailoverQueueWaitTimeout(t *testing.T) {
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

	// (c) an explicit failover not below the queue's own wait is refused
	// at dealer_failover_after's position, naming the queue.
	_, err = Parse("explicit.yaml",
		withQueue(`general: {target: "dealer:happytalk", hours: office, wait_timeout: 3m}`,
			"  dealer_failover_after: 5m\n"))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("got error %v, want exactly one", err)
	}
	if got, want := errs[0].Error(), `explicit.yaml:24:26: dealer_failover_after (5m0s) must be shorter than the wait_timeout (3m0s) of dealer queue "general"`; !strings.HasPrefix(got, want) {
		t.Errorf("got error %q, want it to start with %q", got, want)
	}
}
