package fsm

import (
	"strconv"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// generatedConfig has n menus of 8 options each, chained by goto, and 2n FAQ
// entries.
func generatedConfig(n int) *configs.Config {
	cfg := testConfig()
	cfg.FAQ = nil
	for i := range 2 * n {
		cfg.FAQ = append(cfg.FAQ, configs.FAQEntry{ID: "f" + strconv.Itoa(i), Question: "질문 " + strconv.Itoa(i) + "번은 무엇인가요?",
			Answer: "답변 " + strconv.Itoa(i) + "번입니다."})
	}
	cfg.Menus = map[string]*configs.Menu{}
	id := func(i int) string {
		if i == 0 {
			return "main"
		}
		return "m" + strconv.Itoa(i)
	}
	for i := range n {
		s := strconv.Itoa(i)
		cfg.Menus[id(i)] = &configs.Menu{Text: "메뉴 " + s + "입니다.", Category: "c" + s, Options: []configs.Option{
			{ID: "next", Label: "다음 " + s, Goto: id((i + 1) % n)},
			{ID: "faq", Label: "질문 " + s, FAQ: "f" + strconv.Itoa(2*i)},
			{ID: "text", Label: "안내 " + s, Text: "안내 문구 " + s},
			{ID: "link", Label: "링크 " + s, Link: "https://example.com/" + s},
			{ID: "jump", Label: "이동 " + s, Goto: id((i * 7) % n)},
			{ID: "agent", Label: "상담 " + s, Handoff: "general"},
			{ID: "back", Label: "이전 " + s, Back: true},
			{ID: "home", Label: "처음 " + s, Home: true},
		}}
	}
	cfg.Blocks.Map = nil
	return cfg
}

// serverHeap stands in for the live heap of a serving process (the
// conversation cache, connection buffers: tens of MB). Without it the GC runs
// at its 4 MB minimum and every cycle re-marks the engine, so a larger config
// looks slower although the turn does the same work (same allocations).
var serverHeap []*[1 << 10]byte

func BenchmarkStepMenuTap(b *testing.B) {
	if serverHeap == nil {
		serverHeap = make([]*[1 << 10]byte, 32<<10) // 32 MB, with pointers to mark
		for i := range serverHeap {
			serverHeap[i] = new([1 << 10]byte)
		}
	}
	for _, n := range []int{10, 100} {
		b.Run("menus="+strconv.Itoa(n), func(b *testing.B) {
			e, err := New(generatedConfig(n), nil, Options{})
			if err != nil {
				b.Fatal(err)
			}
			mid := "m" + strconv.Itoa(n/2)
			c := welcomedBot()
			c.MenuPath = []string{"main", mid}
			in := tapIn("다음", Tap{V: "v1", N: mid, O: "next", S: StateBot})
			b.ReportAllocs()
			for b.Loop() {
				o := e.Step(c, in)
				if len(o.Reply.QuickReplies) == 0 {
					b.Fatal("empty menu")
				}
			}
		})
	}
}

func BenchmarkStepFAQ(b *testing.B) {
	cfg := testConfig()
	var entries []faq.Entry
	for _, f := range cfg.FAQ {
		entries = append(entries, faq.Entry{ID: f.ID, Category: f.Category, Question: f.Question, Answer: f.Answer})
	}
	ix, err := faq.New(entries, faq.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		m    faq.Matcher
		u    string
	}{
		{"scripted", testMatcher(), "배송 조회 어떻게 해요"},
		{"faq.Index", ix, "반품은 어떻게 하나요?"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e, err := New(cfg, bc.m, Options{})
			if err != nil {
				b.Fatal(err)
			}
			c, in := welcomedBot(), text(bc.u)
			b.ReportAllocs()
			for b.Loop() {
				if o := e.Step(c, in); o.Record.Kind != "faq" && o.Record.Kind != "clarify" {
					b.Fatalf("got %+v", o.Record)
				}
			}
		})
	}
}

func BenchmarkStepWaiting(b *testing.B) {
	e := newEngine(b, testConfig(), Options{})
	for _, bc := range []struct{ name, queue string }{{"dealer", "vip"}, {"one_on_one", "general"}} {
		b.Run(bc.name, func(b *testing.B) {
			c := welcomedBot()
			c.State, c.HandoffID, c.Queue, c.StateSince = StateWaiting, "h1", bc.queue, t0.Add(-time.Minute)
			in := text("배송비 얼마")
			in.PositionKnown, in.QueueWaiting, in.HandoffCode = true, 3, "A7K2"
			b.ReportAllocs()
			for b.Loop() {
				if o := e.Step(c, in); o.Conversation.State != StateWaiting {
					b.Fatalf("got %s", o.Conversation.State)
				}
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	cfg := generatedConfig(100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cfg, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
