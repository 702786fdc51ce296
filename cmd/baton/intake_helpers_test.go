package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/baton-chat/baton/fsm"
)

// exampleGeneralQueue is the example config's general queue line, which
// the intake tests give an intake.
const exampleGeneralQueue = "    general: {target: notify, hours: office}\n"

// replaceOnce returns s with the first old replaced by new, failing the
// test when s lacks old (the example config changed under the test).
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("example config lacks %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// withGeneralIntake gives the example's general queue the intake fields
// (YAML flow items, one per line).
func withGeneralIntake(t *testing.T, s string, fields ...string) string {
	t.Helper()
	return replaceOnce(t, s, exampleGeneralQueue, "    general: {target: notify, hours: office, intake: [\n        "+
		strings.Join(fields, ",\n        ")+"]}\n")
}

// reloadOK reloads m's config through the admin API and wants 200.
func reloadOK(t *testing.T, m *Main) {
	t.Helper()
	if code, body := adminCall(t, m, http.MethodPost, "/admin/reload"); code != http.StatusOK {
		t.Fatalf("reload: got %d %v, want 200", code, body)
	}
}

// toVIPIntake takes a welcomed user of the example config to the vip
// queue's order-number question (after the confirm).
func toVIPIntake(s *session) {
	s.t.Helper()
	s.tap("회원/계정")
	s.tap("VIP 전용 상담")
	s.tap("네, 연결해 주세요")
	s.wantState(fsm.StateConfirm)
	s.wantText("주문번호를 알려주세요")
}
