package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

func testNotification() Notification {
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	return Notification{
		Handoff: store.Handoff{ID: "01HNOTIFY", Code: "K7Q2", UserKey: "bot-user-9", PlusfriendKey: "pf-user-9",
			BotID: "bot-1", Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at},
		Context: Context{MenuPath: []string{"main"}, Turns: []ContextTurn{{At: at, From: FromUser, Text: "주문 취소요 010-****-****"}},
			Intake: map[string]string{"order": "2026-1234", "buyer": "김하나"}, IntakePII: map[string]bool{"buyer": true}},
		AcceptURL: "http://admin/a/acc", EndURL: "http://admin/a/end",
	}
}

func TestWebhookBodyPII(t *testing.T) {
	n := testNotification()
	for _, tc := range []struct {
		pii        bool
		want, deny []string
	}{
		{true, []string{`"plusfriend_user_key":"pf-user-9"`, `"bot_user_key":"bot-user-9"`, "주문 취소요",
			`"intake":{"buyer":"김하나","order":"2026-1234"}`, `"code":"K7Q2"`, "http://admin/a/acc"}, nil},
		// An intake field not marked pii goes to every sink; a pii one only to pii sinks.
		{false, []string{`"code":"K7Q2"`, `"queue":"general"`, "http://admin/a/acc", "http://admin/a/end", `"intake":{"order":"2026-1234"}`},
			[]string{"pf-user-9", "bot-user-9", "주문 취소요", "010", "김하나"}},
	} {
		body, err := (&WebhookSink{PII: tc.pii}).Body(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !bytes.Contains(body, []byte(w)) {
				t.Errorf("pii %v: body lacks %s: %s", tc.pii, w, body)
			}
		}
		for _, d := range tc.deny {
			if bytes.Contains(body, []byte(d)) {
				t.Errorf("pii %v: body carries %s: %s", tc.pii, d, body)
			}
		}
	}
}

func TestSinkErrorsDoNotLeakTheURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the POST fails to connect
	url := "http://" + addr + "/services/T000/B000/SECRETPATH"
	sinks := NewSinks([]configs.Notify{{Kind: SinkSlack, URL: url}, {Kind: "pager", URL: url}, {Kind: SinkWebhook}}, nil, nil)
	if len(sinks) != 1 {
		t.Fatalf("got %d sinks, want 1 (unknown kind and empty url skipped)", len(sinks))
	}
	err = sinks[0].Notify(context.Background(), testNotification())
	if err == nil {
		t.Fatal("Notify to a closed port: got nil error")
	}
	if strings.Contains(err.Error(), "SECRETPATH") {
		t.Fatalf("error leaks the webhook URL: %v", err)
	}
}

// TestSlackBodyIntake: Slack shows the intake fields not marked pii, escaped,
// and never a pii one.
func TestSlackBodyIntake(t *testing.T) {
	n := testNotification()
	n.Context.Intake["note"] = "<https://evil.example|클릭>"
	body, err := (&SlackSink{}).Body(n)
	if err != nil {
		t.Fatal(err)
	}
	var got slackBody
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"\nnote: &lt;https://evil.example|클릭&gt;", "\norder: 2026-1234"} {
		if !strings.Contains(got.Text, w) {
			t.Errorf("slack text: got %q, want it to contain %q", got.Text, w)
		}
	}
	for _, d := range []string{"김하나", "buyer", "주문 취소요"} {
		if strings.Contains(got.Text, d) {
			t.Errorf("slack text: got %q, want no %q", got.Text, d)
		}
	}
}
