package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
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

// checkLinkBase refuses the default base of the accept/end links when it is
// no address: with --admin-url empty the links are http://<admin-addr>/a/…,
// and an --admin-addr that binds every interface (0.0.0.0, [::], or no
// host: ":8081") makes them http://0.0.0.0:8081/a/… or http://[::]:8081/a/…,
// which no agent's browser opens. It returns an error naming --admin-url
// when anything mints links: an enabled notify sink of cfg (every
// handoff.requested, and the Slack message, carries them) or the admin API
// (POST /admin/handoffs/{id}/links), which a caller can use when
// BATON_ADMIN_TOKEN is set or a token is stored. Nothing minting links,
// the admin address may bind every interface; so may it with --admin-url.
// It returns the store's error when the tokens cannot be read.
func (m *Main) checkLinkBase(ctx context.Context, cfg *configs.Config) error {
	if m.AdminURL != "" || !unspecifiedHost(m.AdminAddr) {
		return nil
	}
	var minters []string
	if len(handoff.NewSinks(cfg.Notify, nil, nil)) > 0 {
		minters = append(minters, "the notify sinks")
	}
	if m.adminToken() != "" {
		minters = append(minters, "the admin API (BATON_ADMIN_TOKEN)")
	} else {
		tokens, err := m.DB.AdminTokens(ctx)
		if err != nil {
			return fmt.Errorf("baton serve: %w", err)
		}
		for _, t := range tokens {
			if t.RevokedAt.IsZero() {
				minters = append(minters, "the admin API (stored tokens)")
				break
			}
		}
	}
	if len(minters) == 0 {
		return nil
	}
	return usageError{fmt.Errorf("baton serve: --admin-addr %s binds every interface and --admin-url is empty: the agents' accept/end "+
		"links (minted for %s) would be http://%s/a/<token>, which no browser opens; set --admin-url to the URL agents "+
		"reach the admin address by (e.g. http://10.0.0.5:8081 or https://agents.example.com)",
		m.AdminAddr, strings.Join(minters, " and "), m.AdminAddr)}
}

// usageError is an error of Run that is the flags' (exit status 2, as a
// flag ParseFlags refuses), found only once the config and store are read.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// unspecifiedHost reports whether addr (host:port) binds every interface:
// no host, 0.0.0.0 or ::. A malformed addr is not (its listen fails).
func unspecifiedHost(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
