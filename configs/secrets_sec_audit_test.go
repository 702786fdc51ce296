//go:build audit

package configs

import (
	"strings"
	"testing"
)

// TestAuditPIISinkWithoutSecretOrTLS shows a bug: the docs promise signed,
// HTTPS delivery of personal data (docs/dealer-contract.md: "plain HTTPS +
// JSON, signed with one shared secret per dealer"; docs/notify-webhook.md:
// "kind: webhook — signed JSON"), but validate (configs/validate.go, the
// dealers and notify loops) accepts a pii: true webhook or a dealer whose
// secret is empty — the example config's "${BATON_NOTIFY_SECRET:-}"
// default — and an http:// URL, without an error or even a warning. Baton
// then sends user keys, transcripts and pii intake answers in clear text,
// "signed" with HMAC under the empty key, which anyone can compute; a
// dealer without a secret can never report an event (every one is 401).
func TestAuditPIISinkWithoutSecretOrTLS(t *testing.T) {
	t.Setenv("BATON_NOTIFY_URL", "http://hooks.example.com/baton")
	t.Setenv("BATON_NOTIFY_SECRET", "")
	t.Setenv("BATON_DEALER_URL", "http://dealer.example.com/baton")
	t.Setenv("BATON_DEALER_SECRET", "")
	t.Setenv("BATON_SKILL_TOKEN", "x")
	cfg, err := Load("example.yaml")
	if err != nil {
		t.Logf("load: %v", err) // an error is the fix too
		return
	}
	var msgs []string
	for _, w := range cfg.Warnings {
		msgs = append(msgs, w.Error())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"notify", "dealer"} {
		if !strings.Contains(joined, want) {
			t.Errorf("config with an http:// pii webhook and dealer, both without a secret: got warnings %q, want one naming the %s", msgs, want)
		}
	}
}
