package handoff

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testutil"
)

// TestOverrideUntilNoHoursQueueInSeoul: a queue without hours (always open)
// closed by an admin "*" override until 14:00 KST, sent as "…Z" (or read
// back from the store, which keeps UTC), tells the user "오늘 오후 2시":
// docs/hours.md §1 reads the end of a "closed until" override in the hours'
// zone, and a queue without hours is in the default, Asia/Seoul. It said
// "오늘 오전 5시", the UTC wall clock.
func TestOverrideUntilNoHoursQueueInSeoul(t *testing.T) {
	ctx := context.Background()
	cfg, err := configs.Load("../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q := cfg.Handoff.Queues["general"] // escalation.queue
	q.Hours = ""                       // 24h 상담
	cfg.Handoff.Queues["general"] = q
	h, err := NewHours(cfg, krCalendars(t), OverrideNone)
	if err != nil {
		t.Fatal(err)
	}
	now := kst(2026, 11, 23, 10, 0) // Monday
	c, err := NewHoursControl(ctx, testutil.Store(t), h)
	if err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return now }
	// 시스템 점검: every queue closed until 14:00 KST, written in UTC.
	if err := c.SetOverride(ctx, AllQueues, OverrideClosed, kst(2026, 11, 23, 14, 0).UTC(), "master"); err != nil {
		t.Fatal(err)
	}
	idx, err := faq.New(cfg.FAQEntries(), faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := fsm.New(cfg, idx, fsm.Options{Hours: c})
	if err != nil {
		t.Fatal(err)
	}
	in := fsm.Input{Now: kst(2026, 11, 23, 10, 30).UTC(), BlockName: "폴백 블록", Utterance: "상담원", IsFriend: true,
		NewHandoffID: "h1", NewHandoffCode: "A7K2"}
	conv := fsm.Conversation{UserKey: "u1", State: fsm.StateBot, WelcomedAt: now.Add(-24 * time.Hour),
		LastTurnAt: in.Now.Add(-time.Minute), ConfigVersion: cfg.Version}
	o := e.Step(conv, in)
	var b strings.Builder
	for _, m := range o.Reply.Messages {
		b.WriteString(m.Text + "\n")
	}
	if got, want := b.String(), "오늘 오후 2시"; !strings.Contains(got, want) {
		t.Errorf("after-hours reply %q: want it to say %q (14:00 in Seoul)", got, want)
	}
}
