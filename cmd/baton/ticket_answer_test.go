package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// refundAnswer is an agent's long answer: numbered steps over line breaks,
// an emoji and a URL with no space to split at, about 3,400 characters.
func refundAnswer() string {
	steps := []string{
		"마이페이지 > 주문/배송 조회에서 환불받으실 주문을 선택해 주세요.",
		"주문 상세 화면 아래의 '반품 신청' 버튼을 누르고 사유를 골라 주세요. 단순 변심은 왕복 배송비 6,000원이 환불 금액에서 차감됩니다.",
		"상품을 받으신 상자에 그대로 넣어 문 앞에 두시면 1~2일 안에 택배 기사님이 방문합니다 📦",
		"회수된 상품은 물류센터에서 검수하며 보통 영업일 기준 3일이 걸립니다.",
		"검수가 끝나면 결제하신 수단으로 환불됩니다. 카드는 카드사 사정에 따라 3~5영업일, 무통장 입금은 등록하신 계좌로 1영업일 안에 들어갑니다.",
		"자세한 안내: https://www.example.co.kr/help/refund?utm_source=kakao&utm_medium=chatbot&utm_campaign=ticket_reply_answer",
	}
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < 3400; i++ {
		fmt.Fprintf(&b, "%d. %s\n", i+1, steps[i%len(steps)])
	}
	return strings.TrimSpace(b.String())
}

// longestAccepted returns the most leading characters of text the admin
// API accepts as a ticket answer with engine e.
func longestAccepted(t *testing.T, e *fsm.Engine, text string) int {
	t.Helper()
	runes := []rune(text)
	if _, ok := ticketAnswerFits(e, text); ok {
		t.Fatalf("all %d characters are accepted; the test needs a longer text", len(runes))
	}
	for k := len(runes) - 1; k > 0; k-- {
		if _, ok := ticketAnswerFits(e, string(runes[:k])); ok {
			return k
		}
	}
	t.Fatalf("no leading part of the text is accepted")
	return 0
}

// simpleTexts returns the text of every output of a rendered response,
// failing unless each is a simpleText.
func simpleTexts(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for i, o := range parseResponse(t, body).Template.Outputs {
		var st struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(o["simpleText"], &st); err != nil || len(o) != 1 {
			t.Fatalf("output %d: got %v, want one simpleText", i, o)
		}
		out = append(out, st.Text)
	}
	return out
}

// squeeze drops every space and line break of s.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// deliversWhole reports whether the bubbles' texts, spaces and line breaks
// aside, are template with answer in place of {answer}.
func deliversWhole(template, answer string, texts []string) bool {
	return squeeze(strings.Join(texts, "")) == squeeze(strings.ReplaceAll(template, "{answer}", strings.TrimSpace(answer)))
}

// renderTicketReply renders the event block's answer for answer as the
// skill server does for a user in state s.
func renderTicketReply(e *fsm.Engine, answer string, s fsm.State) ([]byte, error) {
	o := e.Event(fsm.Conversation{UserKey: "u", State: s}, fsm.Input{}, &fsm.Notice{Kind: fsm.NoticeTicketReply, Answer: answer})
	return skill.Render(o.Reply, false)
}

// TestLongestTicketAnswerReachesUserWhole answers a ticket through the real
// admin API with the longest leading part of a long answer it accepts: a
// blank answer is refused with 400, one character more with 422 (it would
// indeed be cut), the longest
// is recorded, and when Kakao runs the ticket_reply event block the
// user gets it whole over all three bubbles, in a valid response.
func TestLongestTicketAnswerReachesUserWhole(t *testing.T) {
	t.Parallel()
	env := testEnv{}
	env["BATON_ADMIN_TOKEN"] = e2eAdminToken
	clock := &testClock{t: sundayNight}
	m := startBatonEnv(t, exampleConfig, t.TempDir(), clock, env)
	s := newSession(t, m, clock, "u-long-answer")
	tk := s.leaveTicket("환불 문의드려요", "")
	e, template := m.live.engine.Load(), m.CurrentConfig().Texts.EventTicketReply
	runes := []rune(refundAnswer())
	k := longestAccepted(t, e, string(runes))
	answer, over := string(runes[:k]), string(runes[:k+1])
	if k < 2500 {
		t.Fatalf("longest accepted answer: got %d characters, want more than fit in two bubbles", k)
	}

	body, err := renderTicketReply(e, over, fsm.StateBot)
	if err == nil && deliversWhole(template, over, simpleTexts(t, body)) {
		t.Fatalf("answer of %d characters: delivered whole, so refusing it would be too strict", k+1)
	}
	req := func(a string) string {
		b, err := json.Marshal(map[string]string{"answer": a})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	path := "/admin/tickets/" + tk.ID + "/answer"
	if code, raw := adminSend(t, m, http.MethodPost, path, req(" \n ")); code != http.StatusBadRequest {
		t.Fatalf("blank answer: got %d %s, want 400", code, raw)
	}
	code, raw := adminSend(t, m, http.MethodPost, path, req(over))
	if want := fmt.Sprintf("answer is %d characters and would reach the user cut short: only its first %d fit", k+1, k); code != http.StatusUnprocessableEntity || !strings.Contains(raw, want) {
		t.Fatalf("answer of %d characters: got %d %s, want 422 saying %q", k+1, code, raw, want)
	}
	if got, _, err := m.DB.TicketByID(t.Context(), tk.ID); err != nil || got.Answer != "" {
		t.Fatalf("ticket after a refused answer: answer %q (%v), want none", got.Answer, err)
	}
	if code, raw := adminSend(t, m, http.MethodPost, path, req(answer)); code != http.StatusOK {
		t.Fatalf("answer of %d characters: got %d %s, want 200", k, code, raw)
	}

	// The Event API would send the message now; Kakao then runs the block.
	ns, err := m.DB.Notifications(context.Background(), store.NotificationPending, clock.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, n := range ns {
		if n.Kind == store.NotifyTicketReply && n.Ref == tk.ID {
			id = n.ID
		}
	}
	if ok, err := m.DB.MarkNotification(context.Background(), id, store.NotificationSent, "", clock.Now()); err != nil || !ok {
		t.Fatalf("mark the ticket_reply notification %q sent: got %v %v, want done", id, ok, err)
	}
	p := map[string]any{}
	if err := json.Unmarshal(turn{User: s.user, Block: m.CurrentConfig().EventAPI.Events[fsm.NoticeTicketReply], IsFriend: true}.payload(), &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["params"] = map[string]string{skill.EventParam: id}
	ev, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	code, out := postSkill(t, m, ev, nil)
	if code != http.StatusOK {
		t.Fatalf("event block: got %d %s, want 200", code, out)
	}
	if err := kakaospec.ValidateEvent(out); err != nil {
		t.Fatalf("event block answer: %v\n%s", err, out)
	}
	texts := simpleTexts(t, out)
	if len(texts) != skill.MaxOutputs || !deliversWhole(template, answer, texts) {
		t.Fatalf("event block answer: got %d bubbles %q, want the answer of %d characters whole in %d", len(texts), texts, k, skill.MaxOutputs)
	}
}

// TestTicketAnswerLimits finds the longest accepted answer of one repeated
// character (no space to split at) for several templates: three bubbles of
// 1000 characters less the template's own, text after {answer} kept, and
// 4-byte emoji rendering well within the response size budget.
func TestTicketAnswerLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, template, fill string
	}{
		{"default text, Hangul", "", "가"},
		{"default text, emoji", "", "😀"},
		{"text after the answer", "{answer}\n\n더 궁금하신 점은 아래 메뉴에서 골라 주세요.", "가"},
		{"answer only", "{answer}", "나"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := configs.Load(exampleConfig)
			if err != nil {
				t.Fatal(err)
			}
			if tt.template != "" {
				cfg.Texts.EventTicketReply = tt.template
			}
			e := testutil.EngineFor(t, cfg)
			tmpl := cfg.Texts.EventTicketReply
			want := 3*skill.MaxSimpleText - utf8.RuneCountInString(strings.ReplaceAll(tmpl, "{answer}", ""))
			if got := longestAccepted(t, e, strings.Repeat(tt.fill, 3100)); got != want {
				t.Fatalf("longest accepted answer: got %d characters, want %d", got, want)
			}
			body, err := renderTicketReply(e, strings.Repeat(tt.fill, want), fsm.StateBot)
			if err != nil {
				t.Fatalf("render the longest answer: %v", err)
			}
			if err := kakaospec.ValidateEvent(body); err != nil || len(body) > skill.MaxResponseBytes {
				t.Fatalf("longest answer: %d bytes, %v; want valid within %d bytes", len(body), err, skill.MaxResponseBytes)
			}
			texts := simpleTexts(t, body)
			tail := strings.TrimSpace(tmpl[strings.Index(tmpl, "{answer}")+len("{answer}"):])
			if !deliversWhole(tmpl, strings.Repeat(tt.fill, want), texts) || !strings.HasSuffix(texts[len(texts)-1], tail) {
				t.Fatalf("longest answer: got %q, want it whole and ending with %q", texts, tail)
			}
		})
	}
}

// TestTicketAnswerAcceptedMeansWhole is a property test over random answers
// of Korean words, emoji, numbers and URLs joined by spaces and line breaks,
// around the limit, with the default template and one with text after
// {answer}: an accepted answer renders, for a user in any state, as a valid
// response carrying it whole; a refused one would really have been cut.
func TestTicketAnswerAcceptedMeansWhole(t *testing.T) {
	t.Parallel()
	templates := []string{"", "답변드려요 🙂\n{answer}\n\n더 궁금하신 점은 아래 메뉴에서 골라 주세요."}
	words := []string{"환불은", "마이페이지에서", "신청해", "주세요.", "배송비", "6,000원이", "차감됩니다", "ㅋㅋ", "👩‍👩‍👧‍👦", "🇰🇷", "👍🏽", "📦",
		"1.", "2)", "https://www.example.co.kr/help/refund?from=kakao&utm_campaign=ticket_reply", "가나다라마바사아자차카타파하거너더러머버서"}
	seps := []string{" ", " ", " ", "\n", "\n\n", "  ", ", "}
	states := []fsm.State{fsm.StateBot, fsm.StateWaiting, fsm.StateHuman, fsm.StateAfterHours}
	rng := rand.New(rand.NewPCG(2026, 11))
	accepted, refused := 0, 0
	for _, template := range templates {
		cfg, err := configs.Load(exampleConfig)
		if err != nil {
			t.Fatal(err)
		}
		if template != "" {
			cfg.Texts.EventTicketReply = template
		}
		e := testutil.EngineFor(t, cfg)
		for run := range 150 {
			target := 2600 + rng.IntN(700)
			var b strings.Builder
			for utf8.RuneCountInString(b.String()) < target {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			answer := b.String()
			_, ok := ticketAnswerFits(e, answer)
			body, err := renderTicketReply(e, answer, states[rng.IntN(len(states))])
			whole := err == nil && deliversWhole(cfg.Texts.EventTicketReply, answer, simpleTexts(t, body))
			switch {
			case ok && err != nil:
				t.Fatalf("run %d: accepted answer does not render: %v", run, err)
			case ok:
				if err := kakaospec.ValidateEvent(body); err != nil {
					t.Fatalf("run %d: accepted answer renders invalid: %v", run, err)
				}
				if !whole {
					t.Fatalf("run %d: accepted answer of %d characters is cut: %q", run, utf8.RuneCountInString(answer), answer)
				}
				accepted++
			default:
				if whole {
					t.Fatalf("run %d: refused answer of %d characters is delivered whole: %q", run, utf8.RuneCountInString(answer), answer)
				}
				refused++
			}
		}
	}
	if accepted < 50 || refused < 50 {
		t.Fatalf("got %d accepted and %d refused answers, want at least 50 of each", accepted, refused)
	}
}
