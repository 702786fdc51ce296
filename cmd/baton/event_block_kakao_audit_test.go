//go:build audit

package main

import (
	"encoding/json"
	"testing"
)

// TestAuditEventTurnOnBlockNotNamedLikeItsEvent shows a robustness gap: an
// Event API turn is recognised only when the block's name or id equals the
// event name (fsm/engine.go:184 builds eventBlocks from event_api.events,
// skill/event.go:39 also requires the baton_id param). Kakao runs the block
// that carries the event name in 블록 더보기 → 이벤트 설정 (spec §6,
// "event.name ... must match exactly"); the block's own name is free. When a
// bot master names the block otherwise (README.md:233 asks them not to, but
// nothing can check it), the turn that carries Baton's own baton_id param is
// stepped as if the user had spoken: the user is sent the main menu as the
// notification (billed 15원), and the notice's content (e.g. a ticket
// answer) never arrives. Baton put baton_id in params itself (spec §6:
// Event API params arrive in userRequest.params), so its presence alone
// identifies the event turn; an unknown or stale id should answer Suppress.
func TestAuditEventTurnOnBlockNotNamedLikeItsEvent(t *testing.T) {
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "audit-event-block"
	auditTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	clock.Advance(3e9)

	var p map[string]any
	if err := json.Unmarshal(turn{User: user, Block: "상담 재개 알림 블록", IsFriend: true}.payload(), &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["params"] = map[string]any{"surface": "Kakaotalk.plusfriend", "baton_id": "01JAUDITUNKNOWNSEND0000000"}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	code, out := postSkill(t, m, body, nil)
	if want := `{"version":"2.0","template":{"outputs":[]}}`; code != 200 || string(out) != want {
		t.Fatalf("event turn with an unknown baton_id on block %q: got %d %s, want %s (nothing sent)", "상담 재개 알림 블록", code, out, want)
	}
}
