package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestServeHelpNamesEveryRoute: `baton serve -h` says what each address
// serves, so a bot master who reads only the help knows that the admin API
// and the agents' links are on --admin-addr and the dealers' events on
// --addr.
func TestServeHelpNamesEveryRoute(t *testing.T) {
	var out bytes.Buffer
	m := NewMain()
	m.Stderr = &out
	if err := m.ParseFlags([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"POST /skill", "POST /dealers/{name}/events", "/healthz", "/readyz", "/metrics", "/a/", "/admin/"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got help\n%s\nwant it to name %s", out.String(), want)
		}
	}
}
