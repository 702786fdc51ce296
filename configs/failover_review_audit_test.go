//go:build audit

package configs

import (
	"os"
	"testing"
)

// TestAuditFailoverCheckWithoutDealers shows a bug: validateDealerFailover
// (configs/failover.go) compares the defaulted dealer_failover_after (2m)
// with wait_timeout.dealer whether or not any queue targets a dealer. A
// config that was valid before this session, with no dealer at all (every
// one_on_one config now, since a dealer queue is an error there) and a short
// wait_timeout.dealer it never uses, fails to load after the upgrade with an
// error about a setting the bot master never wrote: serve refuses to start
// and a reload is refused. The check should run only when a queue targets a
// dealer (or the default should shrink below the wait), and an unset
// dealer_failover_after should not be the one reported.
func TestAuditFailoverCheckWithoutDealers(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// minimal.yaml has no dealer and one notify queue.
	yaml := append(append([]byte{}, base...), "  wait_timeout: {dealer: 1m, notify: 30m}\n"...)
	if _, err := Parse("no_dealer.yaml", yaml); err != nil {
		t.Errorf("got error %v for a config without dealers, want it valid (it was before dealer_failover_after)", err)
	}
}
