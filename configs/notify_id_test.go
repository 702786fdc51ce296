package configs

import (
	"fmt"
	"strings"
	"testing"
)

// TestNotifySinkIDKeepsItsPlace: a sink's identity is its id, or without
// one a name derived from its kind and url — never its place in the list:
// the same sinks reordered, with one added at the top, keep their
// identities; a new url is a new sink; the url never shows in the name.
func TestNotifySinkIDKeepsItsPlace(t *testing.T) {
	ids := func(src string) map[string]string {
		t.Helper()
		cfg, err := Parse("notify.yaml", []byte(minimal(t)+src))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		out := map[string]string{}
		for _, n := range cfg.Notify {
			out[n.Kind+" "+n.URL] = n.SinkID()
		}
		return out
	}
	before := ids(`notify:
  - {kind: webhook, url: "http://127.0.0.1:9/hook"}
  - {id: team-slack, kind: slack, url: "http://127.0.0.1:9/slack"}
`)
	after := ids(`notify:
  - {kind: webhook, url: "http://127.0.0.1:9/new"}
  - {id: team-slack, kind: slack, url: "http://127.0.0.1:9/slack"}
  - {kind: webhook, url: "http://127.0.0.1:9/hook"}
`)
	for k, id := range before {
		if after[k] != id {
			t.Errorf("%s: id %q before the edit, %q after", k, id, after[k])
		}
	}
	if got := before["slack http://127.0.0.1:9/slack"]; got != "team-slack" {
		t.Errorf("slack sink with an id: got %q, want team-slack", got)
	}
	hook, moved := before["webhook http://127.0.0.1:9/hook"], after["webhook http://127.0.0.1:9/new"]
	if !strings.HasPrefix(hook, "webhook-") || hook == moved || strings.Contains(hook, "127.0.0.1") {
		t.Errorf("default ids %q and %q: want webhook-<hash of the url>, differing by url, without the url", hook, moved)
	}
}

// TestNotifySinkIDErrors: an id that is not a short slug, an id used twice,
// two sinks without ids on one kind and url, and a sink whose derived id is
// another's id are refused at the value's file:line:col; sinks without a
// url (off, e.g. their ${VAR} unset) are not compared by url.
func TestNotifySinkIDErrors(t *testing.T) {
	base := strings.Count(minimal(t), "\n") + 2 // the line of the first sink
	hook := Notify{Kind: "webhook", URL: "http://127.0.0.1:9/a"}.SinkID()
	for _, tc := range []struct {
		name  string
		sinks []string
		line  int    // 0-based sink
		at    string // the value the error points at
		want  string
	}{
		{"upper case", []string{`{id: Ops, kind: webhook, url: ""}`}, 0, "Ops", `notify 1 id "Ops" must be a short slug`},
		{"colon", []string{`{id: "ops:1", kind: webhook, url: ""}`}, 0, `"ops:1"`, `notify 1 id "ops:1" must be a short slug`},
		{"digit first", []string{`{id: 1st, kind: webhook, url: ""}`}, 0, "1st", `must be a short slug`},
		{"too long", []string{`{id: ` + strings.Repeat("a", 33) + `, kind: slack, url: ""}`}, 0, strings.Repeat("a", 33), `at most 32 characters`},
		{"duplicate id", []string{`{id: ops, kind: webhook, url: ""}`, `{id: ops, kind: slack, url: ""}`}, 1, "ops",
			fmt.Sprintf(`duplicate notify id "ops" (first used by sink 1, line %d)`, base)},
		{"same kind and url", []string{`{kind: webhook, url: "http://127.0.0.1:9/a"}`, `{kind: webhook, url: "http://127.0.0.1:9/a", pii: true}`}, 1, `"http://127.0.0.1:9/a"`,
			fmt.Sprintf(`notify 2 (webhook) has the same kind and url as sink 1 (line %d), so both would be sink %q`, base, hook)},
		{"derived id taken", []string{`{id: ` + hook + `, kind: slack, url: ""}`, `{kind: webhook, url: "http://127.0.0.1:9/a"}`}, 1, `"http://127.0.0.1:9/a"`,
			fmt.Sprintf(`notify 2 (webhook) has no id, and the one its kind and url give, %q, is sink 1's id`, hook)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t) + "notify:\n  - " + strings.Join(tc.sinks, "\n  - ") + "\n"
			errs := parseErrors(t, "notify.yaml", src)
			col := len("  - ") + strings.Index(tc.sinks[tc.line], tc.at) + 1
			if len(errs) != 1 || errs[0].Line != base+tc.line || errs[0].Col != col || !strings.Contains(errs[0].Msg, tc.want) {
				t.Errorf("got %v, want one error at notify.yaml:%d:%d containing %q", errs, base+tc.line, col, tc.want)
			}
		})
	}
	// Off sinks (empty url) without ids share a derived id: not an error.
	if _, err := Parse("notify.yaml", []byte(minimal(t)+`notify:
  - {kind: webhook, url: ""}
  - {kind: webhook, url: ""}
`)); err != nil {
		t.Errorf("two off webhooks without ids: got %v, want no error", err)
	}
}
