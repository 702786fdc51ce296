package configs

import (
	"strings"
	"testing"
)

// TestMalformedSinkURLNotInErrors: a malformed notify endpoint (one slash,
// no scheme) is refused with an error that names at most its scheme and
// host, never its path, where a Slack webhook keeps its token: config
// errors reach the logs, the 422 of a reload and /admin/reloads.
func TestMalformedSinkURLNotInErrors(t *testing.T) {
	for _, url := range []string{
		"https:/hooks.slack.com/services/T000/B000/SECRETTOKEN",
		"hooks.slack.com/services/T000/B000/SECRETTOKEN",
		"ftp://hooks.example.com/SECRETTOKEN",
	} {
		src := minimal(t) + "notify:\n  - {kind: slack, url: \"" + url + "\"}\n"
		_, err := Parse("leak.yaml", []byte(src))
		if err == nil {
			t.Fatalf("Parse with notify url %q: got no error, want one", url)
		}
		if strings.Contains(err.Error(), "SECRETTOKEN") {
			t.Errorf("Parse error for url %q: got %q, want the url's token left out", url, err)
		}
		if !strings.Contains(err.Error(), "is not an absolute http(s) URL") {
			t.Errorf("Parse error for url %q: got %q, want it to say the URL is not an absolute http(s) URL", url, err)
		}
	}
}
