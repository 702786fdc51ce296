//go:build audit

package configs

import (
	"strings"
	"testing"
)

// TestAuditExampleConsultationMatchesTargets shows a bug: kakao.consultation
// decides where the operator button leads, once per channel (example.yaml:
// "one_on_one ... 이 경우 상담 큐의 target은 notify 를 씁니다"; DESIGN §
// Targets), yet the reference config itself sets consultation one_on_one
// and gives the vip queue target dealer:happytalk, and validateKakao
// (validate.go) rejects only the opposite mix (sangdamtalk without any
// dealer queue). A VIP user of the shipped config gets the operator button,
// which opens the 1:1 chat, while the handoff goes to the 상담톡 dealer,
// whom the user never reaches; no notify sink is told (the queue targets a
// dealer), so no 1:1 agent knows either, and the handoff waits out its
// 10-minute wait timeout. The loader should refuse (or at least warn
// about) a queue whose target does not match the consultation.
func TestAuditExampleConsultationMatchesTargets(t *testing.T) {
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
