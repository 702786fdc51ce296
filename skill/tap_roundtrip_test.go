package skill

import (
	"encoding/json"
	"testing"

	"github.com/baton-chat/baton/fsm"
	"github.com/google/go-cmp/cmp"
)

// TestTapRoundTrip: the tap a quick reply carries comes back whole when the
// user taps it — Render writes it as the reply's extra, Kakao echoes the
// extra as action.clientExtra, and Payload.Tap reads it, the menu option's
// fingerprint (Tap.H) included, which keeps the tap valid after a reload
// that left the option unchanged.
func TestTapRoundTrip(t *testing.T) {
	want := fsm.Tap{V: "cfg1", N: "shipping", O: "track", S: fsm.StateBot, H: "Zq3-x_9A"}
	body, err := Render(fsm.Reply{Messages: []fsm.Message{{Text: "주문/배송 메뉴입니다."}},
		QuickReplies: []fsm.QuickReply{{Label: "배송 조회", Tap: &want}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Template struct {
			QuickReplies []struct {
				Extra json.RawMessage `json:"extra"`
			} `json:"quickReplies"`
		} `json:"template"`
	}
	if err := json.Unmarshal(body, &r); err != nil || len(r.Template.QuickReplies) != 1 {
		t.Fatalf("rendered %s: %v, want one quick reply", body, err)
	}
	p, err := Decode([]byte(`{"userRequest":{"user":{"id":"u"},"utterance":"배송 조회"},"action":{"clientExtra":` +
		string(r.Template.QuickReplies[0].Extra) + `}}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, p.Tap()); diff != "" {
		t.Errorf("tap after the round trip (-want +got):\n%s", diff)
	}
}
