// Package testutil holds helpers shared by Baton's tests. Test code only.
package testutil

import (
	"testing"
	"time"
)

// CheckFor polls fn every sleep until it returns nil or total has passed, and
// then fails the test with fn's last error. It is how tests wait for a
// condition (never a bare sleep).
func CheckFor(t testing.TB, total, sleep time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	var err error
	for {
		if err = fn(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", total, err)
		}
		time.Sleep(sleep)
	}
}
