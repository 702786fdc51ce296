package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTapWinsOverKnowledgeMatch checks that a tapped quick reply (its label
// sent as the utterance, its extra as action.clientExtra, spec §2.6) opens
// the menu the user chose even when 지식+ also matched the label (Kakao
// audit finding 3).
func TestTapWinsOverKnowledgeMatch(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "tap-knowledge"
	welcome := validTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	text, extra := welcome.quickReply(t, "주문/배송")
	clock.Advance(3e9)

	var p map[string]any
	if err := json.Unmarshal(knowledgeTurnPayload(t, user, ""), &p); err != nil {
		t.Fatal(err)
	}
	k := p["intent"].(map[string]any)["extra"].(map[string]any)["knowledge"].(map[string]any)
	k["matchedKnowledges"] = []any{map[string]any{"question": "주문/배송 문의", "answer": "지식+ 답변입니다.", "categories": []any{"배송"}, "landingUrl": "", "imageUrl": ""}}
	p["userRequest"].(map[string]any)["utterance"] = text
	p["action"].(map[string]any)["clientExtra"] = extra
	p["flow"] = map[string]any{"trigger": map[string]any{"type": "QUICKREPLY_BUTTON_MESSAGE"}}
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	r := validTurn(t, m, body, false)
	if got := r.text(); !strings.Contains(got, "주문/배송 메뉴예요") {
		t.Fatalf("got %s, want the 주문/배송 menu the user tapped", got)
	}
}
