package handoff

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestContextWireMasksTurnText(t *testing.T) {
	c := Context{Turns: []ContextTurn{
		{At: time.Unix(0, 0), From: FromUser, Text: "제 번호 010-9876-5432, 메일 kim@example.com"},
		{At: time.Unix(0, 0), From: FromUser, Text: "2026-11-22 주문 20261122-0001234"},
	}}
	b, err := json.Marshal(c.wire(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"9876", "5432", "kim@"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("wire context %s contains %q", b, secret)
		}
	}
	if !strings.Contains(string(b), "010-****-****") || !strings.Contains(string(b), "20261122-0001234") {
		t.Errorf("wire context %s: want the masked phone and the order number kept", b)
	}
	b, err = json.Marshal(c.wire(false))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "010") || strings.Contains(string(b), "주문") {
		t.Errorf("context for a sink without pii: %s, want no turns", b)
	}
}
