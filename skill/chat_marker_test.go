package skill_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// withChat returns body with userRequest.chat set to the raw JSON chat.
func withChat(t *testing.T, body []byte, chat string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["chat"] = json.RawMessage(chat)
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChatNotObjectIsOneToOne: a userRequest.chat that is not a JSON object
// (a string, a number, an array, a boolean) is read leniently as absent, so
// the turn is a 1:1 chat and gets the 1:1 answer (the main menu with its
// quick replies), while a chat object, the group marker, gets the group
// answer (no quick replies exist in group chats). Through the real server
// and store.
func TestChatNotObjectIsOneToOne(t *testing.T) {
	_, h := waitingServer(t)
	answer := func(user, chat string) string {
		t.Helper()
		body := payload(user, "처음으로")
		if chat != "" {
			body = withChat(t, body, chat)
		}
		code, out := post(t, h, body)
		if code != 200 {
			t.Fatalf("%s: status %d", user, code)
		}
		return string(out)
	}
	if got := answer("cm-none", ""); !strings.Contains(got, `"quickReplies"`) {
		t.Fatalf("no chat: got %s, want the 1:1 menu with quick replies", got)
	}
	if got := answer("cm-group", `{"id":"room1","type":"botGroupKey","properties":{"botGroupKey":"room1"}}`); strings.Contains(got, `"quickReplies"`) {
		t.Fatalf("chat object: got %s, want the group answer without quick replies", got)
	}
	for i, chat := range []string{`"room1"`, `7`, `["room1"]`, `true`, `null`} {
		user := "cm-" + string(rune('a'+i))
		if got := answer(user, chat); !strings.Contains(got, `"quickReplies"`) {
			t.Errorf("chat %s: got %s, want the 1:1 menu with quick replies (a non-object chat is absent)", chat, got)
		}
	}
}
