package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testlog"
)

func TestNotifyWarning(t *testing.T) {
	notifyQueues := &configs.Config{Handoff: configs.Handoff{Queues: map[string]configs.Queue{
		"general": {Target: "notify"}, "billing": {Target: "notify"}, "vip": {Target: "dealer:happytalk"}}}}
	dealerOnly := &configs.Config{Handoff: configs.Handoff{Queues: map[string]configs.Queue{
		"vip": {Target: "dealer:happytalk"}}}}
	empty := []configs.Notify{{Kind: "webhook"}, {Kind: "slack"}}
	slack := []configs.Notify{{Kind: "webhook"}, {Kind: "slack", URL: "https://hooks.example/x"}}
	tests := []struct {
		name  string
		cfg   *configs.Config
		sinks []configs.Notify
		want  string // a substring; "" means no warning
	}{
		{name: "notify queues, every url empty", cfg: notifyQueues, sinks: empty, want: "queues billing, general target notify"},
		{name: "notify queues, no sink at all", cfg: notifyQueues, want: "no notify sink is enabled"},
		{name: "notify queues, slack enabled", cfg: notifyQueues, sinks: slack},
		{name: "dealer queues only", cfg: dealerOnly, sinks: empty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notifyWarning(tt.cfg, tt.sinks)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("notifyWarning: got %q, want one containing %q", got, tt.want)
			}
		})
	}
}

// TestReadyzWarnsWhenNotifyQueueHasNoSink: the example config's general
// queue targets notify; served without any notify url, /readyz stays ok with
// a "notify" warning naming the queue, and start and reload log it.
func TestReadyzWarnsWhenNotifyQueueHasNoSink(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_NOTIFY_URL"] = ""
	env["BATON_SLACK_URL"] = ""
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.NewJSONHandler(&logs, nil)), env.configure)

	code, body := getAdmin(t, m, "/readyz")
	var ready map[string]string
	if err := json.Unmarshal([]byte(body), &ready); err != nil {
		t.Fatalf("/readyz: %v: %s", err, body)
	}
	if code != 200 || ready["status"] != "ok" || !strings.Contains(ready["notify"], "general") {
		t.Errorf("/readyz: got %d %s, want 200, status ok and a notify warning naming general", code, body)
	}
	if got := strings.Count(logs.String(), "notify queues unreachable"); got != 1 {
		t.Errorf("warnings logged at start: got %d, want 1", got)
	}
	if _, err := m.Reload(context.Background(), "test"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(logs.String(), "notify queues unreachable"); got != 2 {
		t.Errorf("warnings logged after a reload: got %d, want 2", got)
	}
}

// TestReadyzNotifyOKWithASink: with a notify sink enabled /readyz says
// "notify":"ok" and nothing is logged.
func TestReadyzNotifyOKWithASink(t *testing.T) {
	t.Parallel()
	hook, slack := newSinkRecorder(t), newSinkRecorder(t)
	env := testEnv{}
	env.notify(hook, slack)
	var logs testlog.Buffer
	m := startBatonLogging(t, exampleConfig, t.TempDir(), nil, slog.New(slog.NewJSONHandler(&logs, nil)), env.configure)
	if code, body := getAdmin(t, m, "/readyz"); code != 200 || !strings.Contains(body, `"notify":"ok"`) {
		t.Errorf("/readyz: got %d %s, want 200 with notify ok", code, body)
	}
	if strings.Contains(logs.String(), "notify queues unreachable") {
		t.Errorf("logs warn about notify queues although a sink is enabled")
	}
}
