package configs

import (
	"os"
	"testing"
)

// TestFailoverCheckWithoutDealers: a config with no dealer at all (every
// one_on_one config) and a short wait_timeout.dealer it never uses loads:
// dealer_failover_after is checked only when a queue targets a dealer.
func TestFailoverCheckWithoutDealers(t *testing.T) {
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
