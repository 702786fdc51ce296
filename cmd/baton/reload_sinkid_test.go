package main

import (
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
