//go:build audit

package configs

import (
	"strings"
	"testing"
)

// TestAuditMalformedSinkURLNotInErrors shows that the s9-fixdocs redaction
// (urlOrigin) covers only validateSecrets: checkURL (validate.go) still
// quotes the whole raw url of a malformed notify or dealer endpoint, so a
// Slack webhook typed with one slash or no scheme puts its token into the
// load error, the logs and the reload history.
func TestAuditMalformedSinkURLNotInErrors(t *testing.T) {
	for _, url := range []string{
		"https:/hooks.slack.com/services/T000/B000/SECRETTOKEN",
		"hooks.slack.com/services/T000/B000/SECRETTOKEN",
	} {
		src := minimal(t) + "notify:\n  - {kind: slack, url: \"" + url + "\"}\n"
		_, err := Parse("leak.yaml", []byte(src))
		if err == nil {
			t.Fatalf("Parse with notify url %q: got no error, want one", url)
		}
		if strings.Contains(err.Error(), "SECRETTOKEN") {
			t.Errorf("Parse error for url %q: got %q, want the url's token left out", url, err)
		}
	}
}
