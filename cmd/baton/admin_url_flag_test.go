package main

import (
	"io"
	"strings"
	"testing"
)

// TestAdminURLFlagIsValidated: --admin-url is the base of every accept/end
// link sent to agents (docs/ops.md). Taken as is, `--admin-url
// agents.example.com` (no scheme) would start fine and every link posted to
// Slack, sinks and dealers would be "agents.example.com/a/..." — not a
// link — found only when agents cannot accept handoffs. ParseFlags refuses
// an --admin-url that is not an absolute http:// or https:// URL with a
// host, naming the flag and the value (exit 2), as it does for --holidays
// and --backup-*; an http(s) URL, with or without a path, is accepted.
func TestAdminURLFlagIsValidated(t *testing.T) {
	for _, bad := range []string{"agents.example.com", "agents.example.com:8081", "htps://agents.example.com",
		"https://", "/a", "https://agents.example.com/?x=1"} {
		m := NewMain()
		m.Stderr = io.Discard
		err := m.ParseFlags([]string{"--admin-url", bad})
		if err == nil {
			t.Errorf("ParseFlags(--admin-url %s): got nil error; want one naming --admin-url (links would be %q)", bad, strings.TrimRight(bad, "/")+"/a/<token>")
			continue
		}
		if !strings.Contains(err.Error(), "--admin-url") || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseFlags(--admin-url %s): got %q, want it to name --admin-url and the value", bad, err)
		}
	}
	for _, good := range []string{"https://agents.example.com", "http://127.0.0.1:8081", "https://example.com/baton/", ""} {
		m := NewMain()
		m.Stderr = io.Discard
		if err := m.ParseFlags([]string{"--admin-url", good}); err != nil {
			t.Errorf("ParseFlags(--admin-url %q): %v, want no error", good, err)
		}
	}
}
