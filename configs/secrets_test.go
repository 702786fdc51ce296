package configs

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestPIISinkWithoutSecretOrTLS: the docs promise signed, HTTPS delivery of
// personal data (docs/dealer-contract.md, docs/notify-webhook.md), so a
// pii: true webhook or a dealer with an empty secret or an http:// URL is
// refused with file:line:col errors — unless its host is loopback. (From
// the security audit's TestAuditPIISinkWithoutSecretOrTLS, whose "an error
// is the fix too" branch is the behaviour now.)
func TestPIISinkWithoutSecretOrTLS(t *testing.T) {
	t.Setenv("BATON_NOTIFY_URL", "http://hooks.example.com/baton")
	t.Setenv("BATON_NOTIFY_SECRET", "")
	t.Setenv("BATON_DEALER_URL", "http://dealer.example.com/baton")
	t.Setenv("BATON_DEALER_SECRET", "")
	t.Setenv("BATON_SKILL_TOKEN", "x")
	_, err := Load("example.yaml")
	if err == nil {
		t.Fatal("config with an http:// pii webhook and dealer, both without a secret: got no error, want errors naming both")
	}
	for _, want := range []string{
		`example\.yaml:\d+:\d+: notify 1 \(webhook\) has pii: true and an empty secret`,
		`example\.yaml:\d+:\d+: notify 1 \(webhook\) has pii: true, so its url http://hooks\.example\.com must be https`,
		`example\.yaml:\d+:\d+: dealer "happytalk" has an empty secret`,
		`example\.yaml:\d+:\d+: dealer "happytalk" url http://dealer\.example\.com must be https`,
	} {
		if !regexp.MustCompile(want).MatchString(err.Error()) {
			t.Errorf("load: got %v, want an error matching %s", err, want)
		}
	}
}

// TestEndpointSecretRules covers each rule of validateSecrets on the
// example config's first dealer and first (webhook) notify sink.
func TestEndpointSecretRules(t *testing.T) {
	for _, tc := range []struct {
		name                           string
		notifyURL, notifySecret, pii   string
		dealerURL, dealerSecret        string
		wantErrs, wantWarns, wantClean []string // substrings; wantClean must be absent from both
	}{
		{name: "https with secrets", notifyURL: "https://hooks.example.com/b", notifySecret: "n", dealerURL: "https://dealer.example.com/b", dealerSecret: "d",
			wantClean: []string{"notify 1", "dealer"}},
		{name: "example defaults: loopback dealer, no webhook", dealerURL: "", wantClean: []string{"notify 1", "dealer"}},
		{name: "loopback http without secrets", notifyURL: "http://127.0.0.1:9100/hook", dealerURL: "http://localhost:9000/b",
			wantClean: []string{"notify 1", "dealer"}},
		{name: "ipv6 loopback", notifyURL: "http://[::1]:9100/hook", dealerURL: "http://[::1]:9000/b", wantClean: []string{"notify 1", "dealer"}},
		{name: "pii webhook over https without a secret", notifyURL: "https://hooks.example.com/b", dealerURL: "https://dealer.example.com/b", dealerSecret: "d",
			wantErrs: []string{"notify 1 (webhook) has pii: true and an empty secret"}},
		{name: "pii webhook over http with a secret", notifyURL: "http://hooks.example.com/b", notifySecret: "n",
			wantErrs: []string{"notify 1 (webhook) has pii: true, so its url"}},
		{name: "dealer over https without a secret", dealerURL: "https://dealer.example.com/b",
			wantErrs: []string{`dealer "happytalk" has an empty secret`}},
		{name: "dealer over http with a secret", dealerURL: "http://dealer.example.com/b", dealerSecret: "d",
			wantErrs: []string{`dealer "happytalk" url http://dealer.example.com must be https`}},
		{name: "non-pii webhook over http without a secret", notifyURL: "http://hooks.example.com/b", pii: "false",
			wantWarns: []string{"notify 1 (webhook) has an empty secret", `notify 1 (webhook) url http://hooks.example.com is not https`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("BATON_NOTIFY_URL", tc.notifyURL)
			t.Setenv("BATON_NOTIFY_SECRET", tc.notifySecret)
			t.Setenv("BATON_DEALER_URL", tc.dealerURL)
			t.Setenv("BATON_DEALER_SECRET", tc.dealerSecret)
			t.Setenv("BATON_SKILL_TOKEN", "x")
			src, err := os.ReadFile("example.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if tc.pii != "" {
				const sink = `secret: "${BATON_NOTIFY_SECRET:-}", pii: true`
				if !bytes.Contains(src, []byte(sink)) {
					t.Fatalf("example.yaml: no %s", sink)
				}
				src = bytes.Replace(src, []byte(sink), []byte(`secret: "${BATON_NOTIFY_SECRET:-}", pii: `+tc.pii), 1)
			}
			cfg, err := Parse("example.yaml", src)
			errs := ""
			if err != nil {
				errs = err.Error()
			}
			var warns []string
			if cfg != nil {
				for _, w := range cfg.Warnings {
					warns = append(warns, w.Error())
				}
			}
			joinedWarns := strings.Join(warns, "\n")
			for _, want := range tc.wantErrs {
				if !strings.Contains(errs, want) {
					t.Errorf("errors: got %q, want one containing %q", errs, want)
				}
			}
			if len(tc.wantErrs) == 0 && err != nil {
				t.Errorf("load: got %v, want no error", err)
			}
			for _, want := range tc.wantWarns {
				if !strings.Contains(joinedWarns, want) {
					t.Errorf("warnings: got %q, want one containing %q", warns, want)
				}
			}
			for _, absent := range tc.wantClean {
				if strings.Contains(errs, absent) || strings.Contains(joinedWarns, absent) {
					t.Errorf("got errors %q and warnings %q, want nothing about %q", errs, warns, absent)
				}
			}
		})
	}
}
