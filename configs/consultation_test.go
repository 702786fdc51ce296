package configs

import (
	"strings"
	"testing"
)

// TestExampleConsultationMatchesTargets: kakao.consultation decides where
// the operator button leads, once per channel, so every queue of the shipped
// config targets what that button reaches (notify under one_on_one, a dealer
// under sangdamtalk), or the loader says why not.
func TestExampleConsultationMatchesTargets(t *testing.T) {
	cfg, err := Load("example.yaml")
	if err != nil {
		if strings.Contains(err.Error(), "consultation") {
			return
		}
		t.Fatal(err)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Error(), "consultation") {
			return
		}
	}
	for name, q := range cfg.Handoff.Queues {
		dealer := strings.HasPrefix(q.Target, "dealer:")
		if got, want := dealer, cfg.Kakao.Consultation == ConsultationSangdamtalk; got != want {
			t.Errorf("queue %q: target %q under consultation %q, and neither an error nor a warning says so", name, q.Target, cfg.Kakao.Consultation)
		}
	}
}
