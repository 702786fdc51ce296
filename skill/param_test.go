package skill

import (
	"encoding/json"
	"testing"
)

// TestRawParamMatchesDecoder: the no-decoder path for plain strings returns
// exactly what json.Unmarshal does, and every other shape still decodes.
func TestRawParamMatchesDecoder(t *testing.T) {
	for _, raw := range []string{
		`"BuilderBotTest"`, `""`, `"a b-c_d.e/f:g"`, `"강남"`, `"tab\there"`, `"quote\"d"`, `"back\\slash"`,
		`"\u0041"`, "\"ctl\x01\"", `"unterminated`, `"`, `"\ud800"`, "\"\xff\"",
	} {
		want := raw
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err == nil {
			want = s
		}
		if got := rawParam(json.RawMessage(raw)); got != want {
			t.Errorf("rawParam(%q): got %q, want %q", raw, got, want)
		}
	}
}
