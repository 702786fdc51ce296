package openbuilder

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeFlagsOversizedResponse: Kakao does not answer a turn whose
// response is over 30 KB (spec §1, §3.8 "response size ≤ 30 KB"), so Decode
// (and so Client.Send and baton chat) reports a larger body even when every
// component is within its own limits; one of exactly 30 KB is clean. It
// used to decode an oversized response with no problem reported.
func TestDecodeFlagsOversizedResponse(t *testing.T) {
	extra := map[string]any{"order": strings.Repeat("a", 400)}
	var cards []map[string]any
	for i := range 10 {
		var buttons []map[string]any
		for j := range 3 {
			label := fmt.Sprintf("주문 %d-%d", i, j)
			buttons = append(buttons, map[string]any{"action": "message", "label": label, "messageText": label, "extra": extra})
		}
		cards = append(cards, map[string]any{"title": "주문", "description": "배송 중",
			"thumbnail": map[string]any{"imageUrl": "https://img.example/a.jpg"}, "buttons": buttons})
	}
	out := map[string]any{"carousel": map[string]any{"type": "basicCard", "items": cards}}
	body, err := json.Marshal(map[string]any{"version": "2.0", "template": map[string]any{"outputs": []any{out, out, out}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(body) <= MaxResponseBytes {
		t.Fatalf("fixture is only %d bytes", len(body))
	}
	_, problems, err := Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("response: %d bytes, want at most 30720 (30 KB): Kakao does not answer a larger one", len(body))}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("a %d-byte response: problems (-want +got):\n%s", len(body), diff)
	}

	// Padding a clean response with spaces to exactly 30 KB keeps it clean.
	small := []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요"}}]}}`)
	exact := append(small, []byte(strings.Repeat(" ", MaxResponseBytes-len(small)))...)
	if _, problems, err := Decode(exact); err != nil || problems != nil {
		t.Errorf("a %d-byte response: got problems %q, err %v; want none", len(exact), problems, err)
	}
}

// listCardJSON is a listCard body with n message items.
func listCardJSON(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"title":"항목 %d","action":"message","messageText":"항목 %d"}`, i, i)
	}
	return `{"header":{"title":"목록"},"items":[` + strings.Join(items, ",") + `]}`
}

// listCarouselJSON is a response with one listCard carousel of cards.
func listCarouselJSON(cards ...string) string {
	return `{"version":"2.0","template":{"outputs":[{"carousel":{"type":"listCard","items":[` + strings.Join(cards, ",") + `]}}]}}`
}

// TestCheckListCardCarouselLimits: spec §3.4 listCard "items max 5; inside
// a carousel max 4" and carousel "items max 10; listCard carousel max 5".
// Check used to count a listCard carousel and its cards as any other
// carousel and a single listCard.
func TestCheckListCardCarouselLimits(t *testing.T) {
	five := func(items int) []string {
		return []string{listCardJSON(items), listCardJSON(1), listCardJSON(1), listCardJSON(1), listCardJSON(1)}
	}
	tests := []struct {
		name, body string
		problems   []string
	}{
		{"5 listCards, the first of 4 items", listCarouselJSON(five(4)...), nil},
		{"6 listCards", listCarouselJSON(append(five(1), listCardJSON(1))...),
			[]string{"outputs[0].carousel: got 6 items, want 1 to 5 in a listCard carousel"}},
		{"a carousel listCard with 5 items", listCarouselJSON(five(5)...),
			[]string{"outputs[0].carousel.items[0].listCard: got 5 items, want 1 to 4 inside a carousel"}},
		{"a single listCard with 5 items", `{"version":"2.0","template":{"outputs":[{"listCard":` + listCardJSON(5) + `}]}}`, nil},
		{"a single listCard with 6 items", `{"version":"2.0","template":{"outputs":[{"listCard":` + listCardJSON(6) + `}]}}`,
			[]string{"outputs[0].listCard: got 6 items, want 1 to 5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckListItemActions: a listCard item's action is "block" (which
// needs a blockId, spec §3.4 ListItem "blockId (req. for block)", as Check
// demands of buttons and quick replies) or "message", or none (a link or
// plain item). Check used to accept a block item without a blockId, which
// baton chat offered as a choice whose tap sent a turn to a block with an
// empty id and name, and any other action.
func TestCheckListItemActions(t *testing.T) {
	body := `{"version":"2.0","template":{"outputs":[{"listCard":{"header":{"title":"목록"},"items":[
		{"title":"주문 1001","action":"block","blockId":"b1"},
		{"title":"주문 1002","action":"block"},
		{"title":"주문 1003","action":"message","messageText":"1003"},
		{"title":"주문 1004","action":"webLink"},
		{"title":"주문 1005","link":{"web":"https://shop.example/1005"}}]}}]}}`
	_, problems, err := Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"outputs[0].listCard.items[1]: block action without blockId",
		`outputs[0].listCard.items[3]: unknown action "webLink"`,
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestCheckMessageActionsNeedMessageText: a message action without its
// messageText — a button or list item, whose field tables mark it required
// for "message" (spec §3.6, §3.4 ListItem), and a quick reply, which Baton
// always sends with one — is a problem Check reports, so a test through
// baton chat catches a Baton answer that left it out.
func TestCheckMessageActionsNeedMessageText(t *testing.T) {
	body := `{"version":"2.0","template":{"outputs":[
		{"textCard":{"title":"t","buttons":[{"label":"네","action":"message"},{"label":"아니요","action":"message","messageText":"아니요"}]}},
		{"listCard":{"header":{"title":"목록"},"items":[{"title":"주문 1001","action":"message"},{"title":"주문 1002","action":"message","messageText":"1002"}]}}],
		"quickReplies":[{"label":"처음으로","action":"message"},{"label":"상담원","action":"message","messageText":"상담원"}]}}`
	_, problems, err := Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"outputs[0].textCard.buttons[0]: message without messageText",
		"outputs[1].listCard.items[0]: message action without messageText",
		"quickReplies[0]: message action without messageText",
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
