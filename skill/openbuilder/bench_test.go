package openbuilder

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecodeRender decodes and renders a three-card answer with ten
// choices, the per-turn client-side cost of `baton chat` and of tests that
// drive a server through Conversation.
func BenchmarkDecodeRender(b *testing.B) {
	body := []byte(cardsAnswer)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r, _, err := Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, choices := Render(r); len(choices) != 10 {
			b.Fatalf("got %d choices, want 10", len(choices))
		}
	}
}

// BenchmarkPayload builds and marshals a tap payload (load tools can use
// Client.Payload to generate realistic traffic).
func BenchmarkPayload(b *testing.B) {
	c := NewClient(DefaultURL)
	u := NewUser("철수")
	last := FallbackBlock
	t := Turn{Block: FallbackBlock, Utterance: "배송 조회", Trigger: TriggerQuickReplyMessage, Referrer: &last,
		ClientExtra: map[string]any{"baton": map[string]any{"v": "v1", "n": "main", "o": "track", "s": "bot"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(c.Payload(u, t, &last)); err != nil {
			b.Fatal(err)
		}
	}
}
