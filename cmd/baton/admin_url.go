package main

import (
	"fmt"
	"net/url"
	"strings"
)

// checkAdminURLFlag checks --admin-url, the base of every accept/end link
// sent to agents: it must be an absolute http:// or https:// URL with a
// host, and carry no query or fragment (the links append /a/<token> to it).
// Without the check, `--admin-url agents.example.com` would start fine and
// post "agents.example.com/a/..." — not a link — to Slack, sinks and
// dealers, found only when agents cannot accept handoffs. The error names
// the flag and the value, as the other flags' errors do (exit 2).
func checkAdminURLFlag(cmd, s string) error {
	const want = "want an http:// or https:// URL with a host"
	u, err := url.Parse(s)
	switch {
	case err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != "":
		if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			return fmt.Errorf("%s: --admin-url %s: want no query or fragment (links are the URL followed by /a/<token>)", cmd, s)
		}
		return nil
	case !strings.Contains(s, "://"):
		if fixed, ferr := url.Parse("https://" + s); ferr == nil && fixed.Hostname() != "" {
			return fmt.Errorf("%s: --admin-url %s: %s, e.g. %s", cmd, s, want, fixed)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: --admin-url %s: %s: %v", cmd, s, want, err)
	}
	return fmt.Errorf("%s: --admin-url %s: %s", cmd, s, want)
}
