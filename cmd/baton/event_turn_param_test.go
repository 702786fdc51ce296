package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// TestEventTurnOnBlockNotNamedLikeItsEvent checks that an Event API turn is
// recognised by the baton_id Baton put in the event's params, whatever the
// block is called: on a block not named like its event, an unknown id
// answers nothing instead of stepping the turn as if the user had spoken
// (Kakao audit finding 4), and a sent message's id answers its content
// there. The block-name rule still holds: a turn on the event-named block
// without the id stays silent too.
func TestEventTurnOnBlockNotNamedLikeItsEvent(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "event-block"
	validTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	const silent = `{"version":"2.0","template":{"outputs":[]}}`
	for _, tc := range []struct {
		name, block string
		params      map[string]any
	}{
		{"unknown id on a block named otherwise", "상담 재개 알림 블록", map[string]any{"surface": "Kakaotalk.plusfriend", "baton_id": "01JAUDITUNKNOWNSEND0000000"}},
		{"no id on the event-named block", "상담 재개 알림", map[string]any{"surface": "Kakaotalk.plusfriend"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Advance(3e9)
			var p map[string]any
			if err := json.Unmarshal(turn{User: user, Block: tc.block, IsFriend: true}.payload(), &p); err != nil {
				t.Fatal(err)
			}
			p["userRequest"].(map[string]any)["params"] = tc.params
			body, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			code, out := postSkill(t, m, body, nil)
			if code != 200 || string(out) != silent {
				t.Fatalf("event turn on block %q: got %d %s, want %s (nothing sent)", tc.block, code, out, silent)
			}
		})
	}

	t.Run("sent message's id on a block named otherwise", func(t *testing.T) {
		clock.Advance(3e9)
		n := &store.Notification{UserKey: user, Kind: store.NotifyReopen, CreatedAt: clock.Now()}
		if err := m.DB.AddNotification(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		if ok, err := m.DB.MarkNotification(context.Background(), n.ID, store.NotificationSent, "", clock.Now()); err != nil || !ok {
			t.Fatalf("mark the reopen notification sent: got %v %v, want done", ok, err)
		}
		var p map[string]any
		if err := json.Unmarshal(turn{User: user, Block: "상담 재개 알림 블록", IsFriend: true}.payload(), &p); err != nil {
			t.Fatal(err)
		}
		p["userRequest"].(map[string]any)["params"] = map[string]any{"surface": "Kakaotalk.plusfriend", skill.EventParam: n.ID}
		body, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		code, out := postSkill(t, m, body, nil)
		if r := parseResponse(t, out); code != 200 || !strings.Contains(r.text(), "상담 시간이 시작되었어요") {
			t.Fatalf("event turn on block %q: got %d %s, want the reopen text", "상담 재개 알림 블록", code, out)
		}
	})
}
