package openbuilder

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shape maps every JSON path of v to its JSON type. The contents of
// clientExtra and of user properties vary between payloads and are left
// out (clientExtra itself and the property names are compared elsewhere).
func shape(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		out[prefix] = "object"
		if strings.HasSuffix(prefix, ".clientExtra") || strings.HasSuffix(prefix, ".properties") {
			return
		}
		for k, e := range x {
			shape(prefix+"."+k, e, out)
		}
	case []any:
		out[prefix] = "array"
	case string:
		out[prefix] = "string"
	case float64:
		out[prefix] = "number"
	case bool:
		out[prefix] = "bool"
	default:
		out[prefix] = fmt.Sprintf("%T", x)
	}
}

func readFixture(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "payloads", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return v
}

// TestPayloadsMatchFixtures checks that the payloads Client builds have
// the same shape as the shipped fixtures of a welcome, a typed text and a
// quick-reply tap, and agree with them on every value that is not an id.
func TestPayloadsMatchFixtures(t *testing.T) {
	c := NewClient(DefaultURL)
	u := NewUser("철수")
	welcome := WelcomeBlock
	extra := map[string]any{"baton": map[string]any{"v": "c0ffee12", "n": "main", "o": "ship", "s": "bot"}}
	tap, _ := Choice{Kind: ChoiceQuickReply, Label: "주문/배송", Action: "message", MessageText: "주문/배송", Extra: extra}.Tap(&welcome)
	tests := []struct {
		fixture string
		payload Payload
	}{
		{"welcome.json", c.Payload(u, WelcomeTurn(), nil)},
		{"fallback_text.json", c.Payload(u, TextTurn("택배 어디쯤 왔어요?"), &welcome)},
		{"tap_quickreply.json", c.Payload(u, *tap, &welcome)},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			want := readFixture(t, tt.fixture)
			var got map[string]any
			if err := json.Unmarshal([]byte(mustJSON(t, tt.payload)), &got); err != nil {
				t.Fatal(err)
			}
			wantShape, gotShape := map[string]string{}, map[string]string{}
			shape("$", want, wantShape)
			shape("$", got, gotShape)
			if diff := cmp.Diff(wantShape, gotShape); diff != "" {
				t.Errorf("shape (-fixture +built):\n%s", diff)
			}
			for _, path := range []string{
				"intent.name", "intent.extra", "userRequest.timezone", "userRequest.params", "userRequest.block.name",
				"userRequest.utterance", "userRequest.lang", "userRequest.user.type", "action.name",
				"action.params", "action.detailParams", "action.clientExtra", "contexts",
				"flow.trigger.type", "flow.trigger.referrerBlock.name", "flow.lastBlock.name",
			} {
				if diff := cmp.Diff(at(want, path), at(got, path)); diff != "" {
					t.Errorf("%s (-fixture +built):\n%s", path, diff)
				}
			}
		})
	}
	// The welcome fixture is a friend's first turn: the same property names.
	props := func(v map[string]any) []string {
		var keys []string
		for k := range at(v, "userRequest.user.properties").(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	var built map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, tests[0].payload)), &built); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(props(readFixture(t, "welcome.json")), props(built)); diff != "" {
		t.Errorf("user properties (-fixture +built):\n%s", diff)
	}
}

// at returns the value at a dotted path, nil when absent.
func at(v any, path string) any {
	for k := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
