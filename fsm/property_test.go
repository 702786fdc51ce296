package fsm

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

var words = []string{"배송", "반품", "교환", "상담원", "주문", "취소", "환불", "언제", "연결해", "주세요",
	"쿠폰", "적립금", "사람이랑", "이야기", "영수증", "네", "아니요", "처음으로", "이전", "도움이 안 됐어요", "상담 취소",
	"메시지 남기기", "열리면 알려주세요", "😀👍🏽", "아주아주아주아주아주아주긴단어"}

func randText(r *rand.Rand, minWords, maxWords int) string {
	n := minWords + r.IntN(maxWords-minWords+1)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[r.IntN(len(words))]
	}
	return strings.Join(parts, " ")
}

// randomConfig builds a valid random config: menus reachable by goto, some
// over 10 options, long labels and texts, FAQ entries with and without links.
func randomConfig(r *rand.Rand) *configs.Config {
	cfg := testConfig()
	cfg.Version = "r" + strconv.Itoa(r.IntN(1000))
	cfg.Escalation.Confirm = r.IntN(2) == 0
	cfg.Escalation.FAQMisses = r.IntN(4)
	cfg.FAQ = nil
	nFAQ := 1 + r.IntN(12)
	for i := range nFAQ {
		f := configs.FAQEntry{ID: "f" + strconv.Itoa(i), Question: randText(r, 1, 8), Answer: randText(r, 1, 400)}
		if r.IntN(2) == 0 {
			f.Link = &configs.Link{Label: randText(r, 1, 4), URL: "https://example.com/" + strconv.Itoa(i)}
		}
		cfg.FAQ = append(cfg.FAQ, f)
	}
	nMenus := 1 + r.IntN(15)
	ids := make([]string, nMenus)
	ids[0] = "main"
	for i := 1; i < nMenus; i++ {
		ids[i] = "m" + strconv.Itoa(i)
	}
	cfg.Menus = map[string]*configs.Menu{}
	queues := []string{"general", "vip"}
	for i, id := range ids {
		m := &configs.Menu{Text: randText(r, 1, 150), Category: "c" + strconv.Itoa(r.IntN(3))}
		nOpt := 1 + r.IntN(25)
		for j := range nOpt {
			o := configs.Option{ID: "o" + strconv.Itoa(j), Label: randText(r, 1, 4)}
			switch k := r.IntN(7); {
			case j == 0 && i+1 < nMenus: // keep every menu reachable
				o.Goto = ids[i+1]
			case k == 0:
				o.Goto = ids[r.IntN(nMenus)]
			case k == 1:
				o.FAQ = cfg.FAQ[r.IntN(nFAQ)].ID
			case k == 2:
				o.Handoff = queues[r.IntN(2)]
			case k == 3:
				o.Text = randText(r, 1, 300)
			case k == 4:
				o.Link = "https://example.com/l" + strconv.Itoa(j)
			case k == 5:
				o.Back = true
			default:
				o.Home = true
			}
			m.Options = append(m.Options, o)
		}
		cfg.Menus[id] = m
	}
	cfg.Blocks.Map = map[string]configs.BlockAction{"blk-goto": {Goto: ids[r.IntN(nMenus)]},
		"blk-faq": {FAQ: cfg.FAQ[0].ID}, "blk-vip": {Handoff: "vip"}}
	cfg.Welcome.Text = randText(r, 1, 300)
	return cfg
}

// hashMatcher decides deterministically from a hash of the query.
type hashMatcher struct{ ids []string }

func (h hashMatcher) Decide(q, _ string) faq.Decision {
	f := fnv.New32a()
	f.Write([]byte(q))
	v := int(f.Sum32())
	switch v % 4 {
	case 0:
		return faq.Decision{Kind: faq.Answer, ID: h.ids[v%len(h.ids)], Score: 0.9}
	case 1:
		var c []string
		for i := 0; i < 1+v%3 && i < len(h.ids); i++ {
			c = append(c, h.ids[(v+i)%len(h.ids)])
		}
		return faq.Decision{Kind: faq.Clarify, Candidates: c, Score: 0.5}
	case 2:
		return faq.Decision{Kind: faq.Answer, ID: "unknown-id", Score: 0.9} // stale matcher
	default:
		return faq.Decision{Kind: faq.NoMatch}
	}
}

type randomHours struct{ closedBelow int }

func (h randomHours) Open(q string, t time.Time) (bool, time.Time) {
	if t.Minute() < h.closedBelow {
		return false, t.Add(time.Duration(t.Minute()) * time.Hour)
	}
	return true, time.Time{}
}

// randomEngine builds an engine on randomConfig(r), with an FAQ matcher over
// its entries and random opening hours; seed names it in a failure.
func randomEngine(t *testing.T, seed int, r *rand.Rand) *Engine {
	t.Helper()
	cfg := randomConfig(r)
	var ids []string
	for _, f := range cfg.FAQ {
		ids = append(ids, f.ID)
	}
	e, err := New(cfg, hashMatcher{ids: ids}, Options{Hours: randomHours{closedBelow: r.IntN(40)}})
	if err != nil {
		t.Fatalf("seed %d: New: %v", seed, err)
	}
	return e
}

// TestSlowCompositionProperty steps random inputs through random configs and
// checks Kakao's limits and the engine's invariants on every reply.
func TestSlowCompositionProperty(t *testing.T) {
	seeds := 150
	steps := 150
	if testing.Short() {
		seeds, steps = 20, 50
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		e := randomEngine(t, seed, r)
		group := r.IntN(6) == 0
		c := Conversation{UserKey: "u"}
		now := t0
		var last Reply
		for step := range steps {
			now = now.Add(time.Duration(r.IntN(20*60)) * time.Second)
			if r.IntN(15) == 0 { // an out-of-band event
				ev := []string{EventAccepted, EventEnded, EventWaitTimeout, EventTicketLeft, EventNotifyOnOpen}[r.IntN(5)]
				if o, err := e.Apply(c, ev, now, ""); err == nil {
					c = o.Conversation
				}
				continue
			}
			in := randomInput(r, e, last, now, group)
			in.NewHandoffID, in.NewHandoffCode = fmt.Sprintf("h%d", step), "C"+strconv.Itoa(step)
			o := e.Step(c, in)
			where := fmt.Sprintf("seed %d step %d (%s, input %+v)", seed, step, c.State, in)
			checkOutcome(t, e, c, in, o, where)
			c, last = o.Conversation, o.Reply
		}
	}
}

func randomInput(r *rand.Rand, e *Engine, last Reply, now time.Time, group bool) Input {
	in := Input{Now: now, BlockName: "폴백 블록", IsFriend: r.IntN(3) > 0, Group: group,
		QueueWaiting: r.IntN(5), PositionKnown: r.IntN(2) == 0}
	switch k := r.IntN(12); {
	case k < 5 && len(last.QuickReplies) > 0:
		q := last.QuickReplies[r.IntN(len(last.QuickReplies))]
		tp := *q.Tap
		in.Utterance, in.Tap, in.Trigger = q.Text, &tp, "QUICKREPLY_BUTTON_MESSAGE"
	case k == 5:
		in.BlockName = "웰컴 블록"
	case k == 6:
		in.Utterance = strconv.Itoa(r.IntN(30))
	case k == 7:
		states := []State{StateBot, StateWaiting, StateConfirm}
		in.Tap = &Tap{V: []string{e.version, "old"}[r.IntN(2)], N: "main", O: "o" + strconv.Itoa(r.IntN(30)), S: states[r.IntN(3)]}
		in.Utterance = "x"
	case k == 8:
		in.BlockName = []string{"상담 종료", "blk-goto", "blk-faq", "blk-vip"}[r.IntN(4)]
	case k == 9:
		in.BlockName = "지식+"
		in.Knowledge = []Knowledge{{Answer: randText(r, 1, 300), LandingURL: "https://k.example.com"}}
	default:
		in.Utterance = randText(r, 0, 6)
	}
	return in
}

func checkOutcome(t *testing.T, e *Engine, before Conversation, in Input, o Outcome, where string) {
	t.Helper()
	r := o.Reply
	if r.Silent || len(r.Messages) == 0 {
		t.Fatalf("%s: empty reply for a user turn", where)
	}
	if len(r.Messages) > 3 {
		t.Fatalf("%s: got %d messages", where, len(r.Messages))
	}
	if len(r.QuickReplies) > 10 {
		t.Fatalf("%s: got %d quick replies", where, len(r.QuickReplies))
	}
	if in.Group && len(r.QuickReplies) > 0 {
		t.Fatalf("%s: quick replies in a group chat", where)
	}
	for _, m := range r.Messages {
		if m.Card == nil {
			if strings.TrimSpace(m.Text) == "" || utf8.RuneCountInString(m.Text) > 1000 {
				t.Fatalf("%s: bad text message of %d runes", where, utf8.RuneCountInString(m.Text))
			}
			continue
		}
		if n := utf8.RuneCountInString(m.Card.Title + m.Card.Description); n == 0 || n > 400 {
			t.Fatalf("%s: card of %d runes", where, n)
		}
		if len(m.Card.Buttons) > 3 {
			t.Fatalf("%s: %d buttons", where, len(m.Card.Buttons))
		}
		for _, b := range m.Card.Buttons {
			if utf8.RuneCountInString(b.Label) > 14 || b.Label == "" || b.Tap == nil {
				t.Fatalf("%s: bad button %+v", where, b)
			}
		}
	}
	seen := map[string]bool{}
	for _, q := range r.QuickReplies {
		if n := utf8.RuneCountInString(q.Label); n == 0 || n > 14 {
			t.Fatalf("%s: quick reply label %q", where, q.Label)
		}
		if q.Tap == nil || q.Tap.V != e.version || q.Tap.S != o.Conversation.State {
			t.Fatalf("%s: quick reply %q tap %+v, want v=%s s=%s", where, q.Label, q.Tap, e.version, o.Conversation.State)
		}
		if seen[q.Text] {
			t.Fatalf("%s: duplicate quick reply %q", where, q.Text)
		}
		seen[q.Text] = true
	}
	s := o.Conversation.State
	if !isState(s) {
		t.Fatalf("%s: state %q", where, s)
	}
	if s == StateWaiting && o.Conversation.HandoffID == "" {
		t.Fatalf("%s: waiting without a handoff", where)
	}
	if o.Open != nil && s != StateWaiting {
		t.Fatalf("%s: opened a handoff but ended in %s", where, s)
	}
	if o.Open != nil && before.HandoffID != "" && o.Close == nil {
		t.Fatalf("%s: second open handoff without closing %s", where, before.HandoffID)
	}
	if in.Group && o.Open != nil {
		t.Fatalf("%s: escalated in a group", where)
	}
	from := before.State
	if from == "" {
		from = StateBot
	}
	for _, tr := range o.Transitions {
		if tr.From != from || tr.Reason == "" || tr.Event == "" {
			t.Fatalf("%s: transition chain broken at %+v (from %s)", where, tr, from)
		}
		from = tr.To
	}
	if from != s {
		t.Fatalf("%s: transitions end in %s, conversation in %s", where, from, s)
	}
	if before.WelcomedAt.IsZero() && !o.Welcomed {
		t.Fatalf("%s: first turn did not welcome", where)
	}
	if (o.Open != nil || s == StateAfterHours) && !strings.Contains(allText(r), "보관") && before.WelcomedAt.IsZero() {
		t.Fatalf("%s: handoff before the privacy notice", where)
	}
}

// TestConcurrentSteps shares one engine between goroutines (run with -race).
func TestConcurrentSteps(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	done := make(chan Reply)
	for g := range 4 {
		go func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			c := Conversation{UserKey: "u" + strconv.Itoa(g)}
			var last Reply
			for range 200 {
				in := randomInput(r, e, last, t0, false)
				in.NewHandoffID = "h"
				o := e.Step(c, in)
				c, last = o.Conversation, o.Reply
			}
			done <- last
		}()
	}
	for range 4 {
		if r := <-done; len(r.Messages) == 0 {
			t.Errorf("got an empty last reply")
		}
	}
}
