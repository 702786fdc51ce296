package configs

import (
	"fmt"
	"net"
	"net/url"
)

// validateSecrets refuses endpoints that would carry personal data in clear
// text or unsigned: a dealer (it always gets user keys and the masked
// transcript) or a pii: true notify sink whose secret is empty or whose URL
// is not https. A loopback host (localhost, 127.0.0.0/8, ::1: tests and a
// receiver on the same machine) is exempt, as the data never leaves the
// host. A webhook without pii gets warnings instead: it still carries the
// accept/end links (which move a conversation to a human and back), and
// without a secret its receiver cannot tell Baton's posts from anyone's.
// An endpoint with an empty URL is disabled, and one with a malformed URL
// already has its error (checkURL): neither is checked here. Slack sinks
// are not signed (Slack checks its own webhook URL), but one whose url is
// not https gets the webhook's warning: its messages carry the same links.
// Messages name an endpoint's URL by scheme and host only (urlOrigin): its
// path or query may hold a token, and warnings reach logs and the reload
// history.
func (t *tree) validateSecrets(c *Config) {
	for _, name := range t.keys(path{"dealers"}) {
		d, ok := c.Dealers[name]
		if !ok || !httpURL(d.URL) || loopbackURL(d.URL) {
			continue
		}
		dp := path{"dealers", name}
		what := fmt.Sprintf("dealer %q", name)
		if d.Secret == "" {
			t.errAt(dp.with("secret"), "%s has an empty secret: set it (e.g. BATON_DEALER_SECRET) — its requests carry user keys and transcripts, and its events cannot be verified without it", what)
		}
		if !httpsURL(d.URL) {
			t.errAt(dp.with("url"), "%s url %s must be https: it carries user keys and transcripts", what, urlOrigin(d.URL))
		}
	}
	for i, n := range c.Notify {
		if !httpURL(n.URL) || loopbackURL(n.URL) {
			continue
		}
		np := path{"notify", i}
		if n.Kind == "slack" && !httpsURL(n.URL) {
			t.warnAt(np.with("url"), "notify %d (slack) url %s is not https: the accept/end links it carries travel in clear text", i+1, urlOrigin(n.URL))
		}
		if n.Kind != "webhook" {
			continue
		}
		what := fmt.Sprintf("notify %d (webhook)", i+1)
		switch {
		case n.PII && n.Secret == "":
			t.errAt(np.with("secret"), "%s has pii: true and an empty secret: set it (e.g. BATON_NOTIFY_SECRET) — it carries personal data, signed with the secret", what)
		case n.Secret == "":
			t.warnAt(np.with("secret"), "%s has an empty secret: its receiver cannot verify that posts (with accept/end links) come from Baton", what)
		}
		switch {
		case n.PII && !httpsURL(n.URL):
			t.errAt(np.with("url"), "%s has pii: true, so its url %s must be https", what, urlOrigin(n.URL))
		case !httpsURL(n.URL):
			t.warnAt(np.with("url"), "%s url %s is not https: the accept/end links it carries travel in clear text", what, urlOrigin(n.URL))
		}
	}
}

// urlOrigin is raw's scheme and host ("http://hooks.example.com"), what a
// message may show of an endpoint URL: never its path, query or user info.
func urlOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(not a URL)"
	}
	return u.Scheme + "://" + u.Host
}

// httpURL reports whether raw is an absolute http or https URL.
func httpURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// httpsURL reports whether raw is an https URL.
func httpsURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https"
}

// loopbackURL reports whether raw's host is localhost or a loopback IP.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
