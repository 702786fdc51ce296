package configs

import (
	"strings"
	"testing"
)

// TestSlackSinkOverHTTPWarns: a slack sink whose url is not https gets the
// webhook's warning (its text carries the same accept/end links), naming
// the url by scheme and host only.
func TestSlackSinkOverHTTPWarns(t *testing.T) {
	src := minimal(t) + "notify:\n  - {kind: slack, url: \"http://hooks.example.com/services/x\"}\n"
	cfg, err := Parse("slack.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	found := false
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "/services/x") {
			t.Errorf("warning %q: got the url's path, want scheme and host only", w.Msg)
		}
		if strings.Contains(w.Msg, "https") {
			found = true
		}
	}
	if !found {
		t.Errorf("warnings for a slack sink over http: got %v, want one saying its url is not https", cfg.Warnings)
	}
	https := minimal(t) + "notify:\n  - {kind: slack, url: \"https://hooks.example.com/services/x\"}\n"
	if cfg, err := Parse("slack.yaml", []byte(https)); err != nil || len(cfg.Warnings) != 0 {
		t.Errorf("slack sink over https: got %v, %v, want no error and no warning", err, cfg.Warnings)
	}
}
