package main

import (
	"reflect"
	"slices"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestReloadOfSinkIDsNeedsARestart: sinks are built when serve starts, so
// a reload that only gives the sinks ids (or changes them) keeps the
// running sinks under the names they had and says that notify needs a
// restart, as for any other change of notify: the ids then apply as at
// any start (docs/notify-webhook.md §5).
func TestReloadOfSinkIDsNeedsARestart(t *testing.T) {
	a := &configs.Config{Notify: []configs.Notify{{Kind: "webhook", URL: "http://127.0.0.1:9/a"}}}
	b := &configs.Config{Notify: []configs.Notify{{ID: "console", Kind: "webhook", URL: "http://127.0.0.1:9/a"}}}
	if got := restartSections(a, b); !slices.Equal(got, []string{"notify"}) {
		t.Errorf("restartSections after giving a sink an id: got %v, want [notify]", got)
	}
}

// TestReloadComparesSinksByID: the restart note compares the notify sinks
// serve runs as a set keyed by id, with their settings: a reload that only
// reorders them, edits a sink that is off, or spells out what a sink has
// anyway (its derived id, send_closed at its kind's default) applies
// without a restart; any change of a running sink still needs one.
func TestReloadComparesSinksByID(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	hook := configs.Notify{Kind: "webhook", URL: "http://127.0.0.1:9/hook", Secret: "s3cret", PII: true, SendClosed: &yes}
	slack := configs.Notify{Kind: "slack", URL: "http://127.0.0.1:9/slack"}
	off := configs.Notify{Kind: "webhook", URL: ""}
	with := func(n configs.Notify, edit func(*configs.Notify)) configs.Notify { edit(&n); return n }
	start := []configs.Notify{hook, slack, off}
	for _, tc := range []struct {
		name    string
		next    []configs.Notify
		restart bool
	}{
		{"unchanged", []configs.Notify{hook, slack, off}, false},
		{"reordered", []configs.Notify{off, slack, hook}, false},
		{"off sink edited", []configs.Notify{hook, slack, with(off, func(n *configs.Notify) { n.Secret = "x" })}, false},
		{"off sink removed", []configs.Notify{slack, hook}, false},
		{"derived id spelled out", []configs.Notify{with(hook, func(n *configs.Notify) { n.ID = hook.SinkID() }), slack}, false},
		{"slack send_closed at its default", []configs.Notify{hook, with(slack, func(n *configs.Notify) { n.SendClosed = &yes })}, false},
		{"url changed", []configs.Notify{slack, with(hook, func(n *configs.Notify) { n.URL += "2" })}, true},
		{"secret changed", []configs.Notify{slack, with(hook, func(n *configs.Notify) { n.Secret = "other" })}, true},
		{"pii changed", []configs.Notify{slack, with(hook, func(n *configs.Notify) { n.PII = false })}, true},
		{"send_closed changed", []configs.Notify{slack, with(hook, func(n *configs.Notify) { n.SendClosed = &no })}, true},
		{"id given", []configs.Notify{slack, with(hook, func(n *configs.Notify) { n.ID = "console" })}, true},
		{"sink removed", []configs.Notify{hook}, true},
		{"sink added", []configs.Notify{slack, hook, with(off, func(n *configs.Notify) { n.URL = "http://127.0.0.1:9/new" })}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := restartSections(&configs.Config{Notify: start}, &configs.Config{Notify: tc.next})
			if want := tc.restart; slices.Contains(got, "notify") != want {
				t.Errorf("restartSections: got %v, want notify named: %v", got, want)
			}
		})
	}
}

// TestRunningSinksSeeEveryNotifyField: the reload compares the settings a
// sink is built from (runningSinks); a field added to configs.Notify must
// be added there too, or editing it would apply silently without the
// restart it needs.
func TestRunningSinksSeeEveryNotifyField(t *testing.T) {
	var got []string
	for f := range reflect.TypeFor[configs.Notify]().Fields() {
		got = append(got, f.Name)
	}
	// ID keys the map; the rest are sinkSettings' (SendClosed as Closed).
	want := []string{"ID", "Kind", "URL", "Secret", "PII", "SendClosed"}
	if !slices.Equal(got, want) {
		t.Errorf("configs.Notify has fields %v, runningSinks compares %v: compare the new ones too", got, want)
	}
}
