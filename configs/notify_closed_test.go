package configs

import (
	"slices"
	"strings"
	"testing"
)

// TestNotifySendClosed: send_closed is read per sink (unset: on for slack,
// off for webhook), and a misspelled key is refused at its line and column
// with the key it probably meant.
func TestNotifySendClosed(t *testing.T) {
	cfg, err := Parse("notify.yaml", []byte(minimal(t)+`notify:
  - {kind: webhook, url: "http://127.0.0.1:9/a"}
  - {kind: webhook, url: "http://127.0.0.1:9/b", send_closed: true}
  - {kind: slack, url: "http://127.0.0.1:9/c"}
  - {kind: slack, url: "http://127.0.0.1:9/d", send_closed: false}
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []bool
	for _, n := range cfg.Notify {
		got = append(got, n.ClosedOn())
	}
	if want := []bool{false, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("got ClosedOn %v, want %v", got, want)
	}
	src := minimal(t) + "notify:\n  - {kind: slack, url: \"http://127.0.0.1:9/c\", send_close: true}\n"
	line := strings.Count(minimal(t), "\n") + 2
	errs := parseErrors(t, "notify.yaml", src)
	want := `unknown key "send_close"`
	if len(errs) != 1 || errs[0].Line != line || errs[0].Col != 48 || !strings.Contains(errs[0].Msg, want) || !strings.Contains(errs[0].Msg, `"send_closed"`) {
		t.Errorf("got %v, want one error at notify.yaml:%d:48 with %s and the hint send_closed", errs, line, want)
	}
}
