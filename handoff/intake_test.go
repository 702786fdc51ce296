package handoff

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

func keyBox(t *testing.T, b byte) *store.ContactBox {
	t.Helper()
	box, err := store.NewContactBox(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// TestRouterSendsIntake: two turns answer a queue's intake (the second opens
// the handoff) through Effects, as the skill pipeline commits them; the
// router sends the answers as context.intake (the pii one to the pii
// webhook only), and with a changed contact key it still sends the
// handoff, without them.
func TestRouterSendsIntake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		routerKey byte
		want      map[string]string
		wantSlack string
	}{
		{"the key that sealed them", 1, map[string]string{"order": "A-1001", "phone": "010-1234-5678"}, `\norder: A-1001\n`},
		{"a changed key: sent without them", 2, map[string]string{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newRouterFixture(t)
			hook, slack := newSinkRecorder(t), newSinkRecorder(t)
			startRouting(t, f, hook, slack, RouterOptions{Contacts: keyBox(t, tc.routerKey)})
			effects := Effects{Contacts: keyBox(t, 1)}
			at := time.Now().UTC()
			id, user := store.NewID(at), "u-intake"
			commit := func(o *fsm.Outcome, conv fsm.Conversation, open *store.Handoff) {
				t.Helper()
				w := &store.TurnWrite{User: store.User{Key: user, LastSeen: at}, Conv: conv, OpenHandoff: open,
					Turn: store.Turn{ID: store.NewID(at), UserKey: user, At: at, Block: "text", Kind: "intake", State: conv.State}}
				effects.AddTo(o, w, at)
				if err := f.db.Commit(context.Background(), w); err != nil {
					t.Fatal(err)
				}
			}
			conv := fsm.Conversation{UserKey: user, State: fsm.StateConfirm, Queue: "general",
				Intake: fsm.Intake{Step: fsm.IntakeField, HandoffID: id, Field: "phone", Reason: "menu"}}
			commit(&fsm.Outcome{IntakeAnswer: &fsm.IntakeAnswer{HandoffID: id, Name: "order", Value: "A-1001"}}, conv, nil)

			conv.Version, conv.State, conv.Intake, conv.HandoffID = 1, fsm.StateWaiting, fsm.Intake{}, id
			h := store.Handoff{ID: id, Code: "A7K2", UserKey: user, Queue: "general", Target: "notify", Reason: "menu", CreatedAt: at}
			commit(&fsm.Outcome{Open: &fsm.HandoffOpen{ID: id, Queue: "general", Target: "notify"},
				IntakeAnswer: &fsm.IntakeAnswer{HandoffID: id, Name: "phone", Value: "010-1234-5678", PII: true}}, conv, &h)

			var body struct {
				Context struct {
					Intake map[string]string `json:"intake"`
				} `json:"context"`
			}
			if err := json.Unmarshal(hook.wantCount(t, 1)[0].Body, &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, body.Context.Intake); diff != "" {
				t.Errorf("webhook context.intake (-want +got):\n%s", diff)
			}
			text := string(slack.wantCount(t, 1)[0].Body)
			if !strings.Contains(text, tc.wantSlack) {
				t.Errorf("slack: got %s, want the order number", text)
			}
			if strings.Contains(text, "1234-5678") {
				t.Errorf("slack: got %s, want no phone", text)
			}
		})
	}
}
