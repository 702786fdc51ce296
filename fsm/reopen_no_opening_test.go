package fsm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
)

// exampleWithOffice loads configs/example.yaml with each old of edits
// (old, new, …) replaced by its new, from a file of its own.
func exampleWithOffice(t *testing.T, edits ...string) *configs.Config {
	t.Helper()
	b, err := os.ReadFile("../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(string(b), edits[i]) {
			t.Fatalf("example.yaml: no %s", edits[i])
		}
		b = []byte(strings.Replace(string(b), edits[i], edits[i+1], 1))
	}
	path := filepath.Join(t.TempDir(), "never.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func labels(r fsm.Reply) []string {
	var out []string
	for _, q := range r.QuickReplies {
		out = append(out, q.Label)
	}
	return out
}

func replyText(r fsm.Reply) string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// TestReopenNotOfferedWithoutOpening: out of hours a friend is offered
// 열리면 알려주세요 (a reopen message at the queue's next opening). A queue
// whose hours have no opening within the lookahead of Hours.Open (here: no
// day of the week open at all) never opens, so the offer would be a
// promise nobody keeps: the reply says it is closed (after_hours_unknown,
// no next opening, no notification promised) and offers 메시지 남기기
// only; the label typed anyway schedules nothing. With the office hours as
// the example has them the offer stays (the control).
//
// It used to be offered, and accepted with "상담 시간이 시작되면
// 알려드릴게요" for a queue that would never start.
func TestReopenNotOfferedWithoutOpening(t *testing.T) {
	monday := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) // 21:00 KST: office is closed
	tx := configs.DefaultTexts()
	for _, tc := range []struct {
		name    string
		edits   []string
		offered bool
	}{
		{"office hours: opens tomorrow", nil, true},
		{"no open day", []string{`mon-fri: ["09:00-12:00", "13:00-18:00"]`, `mon-sun: []`,
			`"2026-12-31": ["09:00-12:00"]`, `"2026-12-31": []`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := exampleWithOffice(t, tc.edits...)
			hours, err := handoff.NewHours(cfg, nil, handoff.OverrideNone)
			if err != nil {
				t.Fatal(err)
			}
			e := testutil.EngineWith(t, cfg, fsm.Options{Hours: hours})
			bot := fsm.Conversation{UserKey: "u-never", State: fsm.StateBot, WelcomedAt: monday.Add(-24 * time.Hour),
				LastTurnAt: monday.Add(-time.Minute), ConfigVersion: cfg.Version}
			in := fsm.Input{Now: monday, BlockName: "폴백 블록", Utterance: "상담원", IsFriend: true,
				NewHandoffID: "h-never", NewHandoffCode: "N3V3"}
			o := e.Step(bot, in)
			if o.Conversation.State != fsm.StateAfterHours {
				t.Fatalf("상담원 out of hours: got state %s, want %s (%q)", o.Conversation.State, fsm.StateAfterHours, replyText(o.Reply))
			}
			got := labels(o.Reply)
			offered := strings.Contains(strings.Join(got, "|"), tx.NotifyOnOpen)
			if offered != tc.offered {
				t.Errorf("열리면 알려주세요 offered: got %v, want %v (quick replies %v)", offered, tc.offered, got)
			}
			if !strings.Contains(strings.Join(got, "|"), tx.LeaveMessage) {
				t.Errorf("메시지 남기기 not offered (quick replies %v)", got)
			}
			if !tc.offered && !strings.Contains(replyText(o.Reply), tx.AfterHoursUnknown) {
				t.Errorf("reply %q: want after_hours_unknown %q (closed, no next opening)", replyText(o.Reply), tx.AfterHoursUnknown)
			}

			// The label typed on the next turn.
			in.Now, in.Utterance = monday.Add(time.Minute), tx.NotifyOnOpen
			o = e.Step(o.Conversation, in)
			notified := false
			for _, tr := range o.Transitions {
				notified = notified || tr.Event == fsm.EventNotifyOnOpen
			}
			if notified != tc.offered {
				t.Errorf("typed %q: notify_on_open fired %v, want %v (transitions %+v)", tx.NotifyOnOpen, notified, tc.offered, o.Transitions)
			}
			if promised := strings.Contains(replyText(o.Reply), tx.NotifyScheduled); promised != tc.offered {
				t.Errorf("typed %q: reply %q promises a notice: %v, want %v", tx.NotifyOnOpen, replyText(o.Reply), promised, tc.offered)
			}
		})
	}
}
