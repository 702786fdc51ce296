package fsm

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// t0 is a Monday 10:00 in Seoul.
var seoul = time.FixedZone("KST", 9*3600)
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, seoul)

func days(n int) configs.Duration { return configs.Duration(time.Duration(n) * 24 * time.Hour) }

// testConfig is a small shop: main → shipping → shipping-more, returns, a
// 23-option menu, FAQ entries, a notify queue and a dealer queue.
func testConfig() *configs.Config {
	big := &configs.Menu{Text: "전체 메뉴입니다."}
	for i := 1; i <= 23; i++ {
		n := strconv.Itoa(i)
		big.Options = append(big.Options, configs.Option{ID: "o" + n, Label: "항목 " + n, Text: "항목 " + n + " 안내"})
	}
	return &configs.Config{
		Version: "v1",
		Bot:     configs.Bot{Name: "샘플몰"},
		Kakao:   configs.Kakao{Consultation: "one_on_one"},
		Blocks: configs.Blocks{
			Welcome: []string{"웰컴 블록"}, Fallback: []string{"폴백 블록"}, Returned: []string{"상담 종료"},
			Map: map[string]configs.BlockAction{
				"배송 블록": {Goto: "shipping"}, "반품FAQ": {FAQ: "ret-how"}, "blk-vip": {Handoff: "vip"},
			},
		},
		Texts:       configs.DefaultTexts(),
		Welcome:     configs.Welcome{Text: "안녕하세요! 샘플몰입니다.", Menu: "main", RewelcomeAfter: days(30)},
		SessionIdle: configs.Duration(30 * time.Minute),
		Menus: map[string]*configs.Menu{
			"main": {Text: "무엇을 도와드릴까요?", Options: []configs.Option{
				{ID: "ship", Label: "주문/배송", Goto: "shipping"},
				{ID: "ret", Label: "교환/반품", Goto: "returns"},
				{ID: "hours", Label: "운영 시간", Text: "평일 9시부터 18시까지 운영해요."},
				{ID: "site", Label: "홈페이지", Link: "https://shop.example.com"},
				{ID: "all", Label: "전체 메뉴", Goto: "big"},
				{ID: "agent", Label: "상담원 연결", Handoff: "general"},
			}},
			"shipping": {Text: "주문/배송 메뉴입니다.", Category: "shipping", Options: []configs.Option{
				{ID: "track", Label: "배송 조회", FAQ: "ship-track"},
				{ID: "fee", Label: "배송비", FAQ: "ship-fee"},
				{ID: "more", Label: "해외 배송", Goto: "shipping-more"},
				{ID: "back", Label: "이전 메뉴", Back: true},
				{ID: "home", Label: "처음으로", Home: true},
			}},
			"shipping-more": {Text: "해외 배송 메뉴입니다.", Category: "shipping", Options: []configs.Option{
				{ID: "intl", Label: "해외 배송 기간", FAQ: "intl"},
				{ID: "back", Label: "이전 메뉴", Back: true},
			}},
			"returns": {Text: "교환/반품 메뉴입니다.", Category: "returns", Options: []configs.Option{
				{ID: "how", Label: "반품 방법", FAQ: "ret-how"},
				{ID: "vip", Label: "VIP 상담", Handoff: "vip"},
				{ID: "home", Label: "처음으로", Home: true},
			}},
			"big": big,
		},
		FAQ: []configs.FAQEntry{
			{ID: "ship-track", Category: "shipping", Question: "배송 조회는 어떻게 하나요?",
				Answer: "마이페이지 > 주문내역에서 송장번호를 눌러 확인하세요.",
				Link:   &configs.Link{Label: "주문내역", URL: "https://shop.example.com/orders"}},
			{ID: "ship-fee", Category: "shipping", Question: "배송비는 얼마인가요?", Answer: "3만원 이상 무료배송입니다."},
			{ID: "intl", Category: "shipping", Question: "해외 배송은 며칠 걸리나요?", Answer: "7~14일 걸려요."},
			{ID: "ret-how", Category: "returns", Question: "반품은 어떻게 하나요?", Answer: "마이페이지에서 반품 신청하세요."},
			{ID: "agent-hours", Category: "etc", Question: "상담원 운영 시간이 언제예요?", Answer: "평일 9시부터 18시까지예요."},
		},
		Escalation: configs.Escalation{Queue: "general", Keywords: []string{"상담원", "상담사", "사람이랑"}, FAQMisses: 2},
		Handoff: configs.Handoff{
			Queues: map[string]configs.Queue{
				"general": {Target: "notify", Hours: "office"},
				"vip":     {Target: "dealer:happytalk", Hours: "office"},
			},
			WaitTimeout: configs.WaitTimeout{Dealer: configs.Duration(10 * time.Minute), Notify: configs.Duration(30 * time.Minute)},
			ReturnGap:   configs.Duration(10 * time.Minute),
		},
		Retention: configs.Retention{Turns: days(90)},
	}
}

// scripted is a matcher with fixed decisions per utterance; anything else is
// NoMatch. It records the category of the last call.
type scripted struct {
	decisions map[string]faq.Decision
	lastCat   *string
}

func (s scripted) Decide(q, cat string) faq.Decision {
	if s.lastCat != nil {
		*s.lastCat = cat
	}
	if d, ok := s.decisions[q]; ok {
		return d
	}
	return faq.Decision{Kind: faq.NoMatch, Score: 0.1}
}

func testMatcher() scripted {
	return scripted{decisions: map[string]faq.Decision{
		"배송 조회 어떻게 해요":      {Kind: faq.Answer, ID: "ship-track", Score: 0.9},
		"배송비 얼마":            {Kind: faq.Answer, ID: "ship-fee", Score: 0.8},
		"상담원 운영 시간이 언제예요?":  {Kind: faq.Answer, ID: "agent-hours", Score: 0.85},
		"상담원 운영 시간 좀 알려주세요": {Kind: faq.Answer, ID: "agent-hours", Score: 0.8},
		"배송": {Kind: faq.Clarify, Candidates: []string{"ship-track", "ship-fee", "intl"}, Score: 0.5},
		"반품": {Kind: faq.Answer, ID: "ret-how", Score: 0.9},
	}}
}

// hoursStub is closed for the queues in closed, opening at next.
type hoursStub struct {
	closed map[string]bool
	next   time.Time
}

func (h hoursStub) Open(q string, _ time.Time) (bool, time.Time) {
	if h.closed[q] {
		return false, h.next
	}
	return true, time.Time{}
}

func newEngine(t testing.TB, cfg *configs.Config, opts Options) *Engine {
	t.Helper()
	e, err := New(cfg, testMatcher(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// welcomedBot is a conversation of a user who saw the welcome yesterday.
func welcomedBot() Conversation {
	return Conversation{UserKey: "u1", State: StateBot, WelcomedAt: t0.Add(-24 * time.Hour),
		LastTurnAt: t0.Add(-time.Minute), ConfigVersion: "v1"}
}

func text(u string) Input {
	return Input{Now: t0, BlockName: "폴백 블록", Utterance: u, IsFriend: true,
		NewHandoffID: "h-new", NewHandoffCode: "A7K2"}
}

func tapIn(label string, tp Tap) Input {
	in := text(label)
	in.Tap = &tp
	in.Trigger = "QUICKREPLY_BUTTON_MESSAGE"
	return in
}

// findQR returns the quick reply labelled label.
func findQR(t testing.TB, r Reply, label string) QuickReply {
	t.Helper()
	for _, q := range r.QuickReplies {
		if q.Label == label {
			return q
		}
	}
	t.Fatalf("no quick reply %q in %v", label, qrLabels(r))
	return QuickReply{}
}

func hasQR(r Reply, label string) bool {
	for _, q := range r.QuickReplies {
		if q.Label == label {
			return true
		}
	}
	return false
}

func qrLabels(r Reply) []string {
	var out []string
	for _, q := range r.QuickReplies {
		out = append(out, q.Label)
	}
	return out
}

// allText concatenates every message's text and card description.
func allText(r Reply) string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Text)
		if m.Card != nil {
			b.WriteString(m.Card.Title)
			b.WriteString(m.Card.Description)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func wantTransitions(t testing.TB, o Outcome, want ...Transition) {
	t.Helper()
	if len(o.Transitions) != len(want) {
		t.Fatalf("got transitions %+v, want %+v", o.Transitions, want)
	}
	for i := range want {
		if o.Transitions[i] != want[i] {
			t.Fatalf("transition %d: got %+v, want %+v", i, o.Transitions[i], want[i])
		}
	}
}

func hasButton(r Reply, kind ButtonKind) bool {
	for _, m := range r.Messages {
		if m.Card == nil {
			continue
		}
		for _, b := range m.Card.Buttons {
			if b.Kind == kind {
				return true
			}
		}
	}
	return false
}
