package skill

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/google/go-cmp/cmp"
)

var menuOptions = []struct{ id, label string }{
	{"ship", "주문/배송"}, {"ret", "교환/반품"}, {"member", "회원정보"}, {"pay", "결제"}, {"coupon", "쿠폰/포인트"},
	{"event", "이벤트"}, {"store", "매장 안내"}, {"faq", "자주 묻는 질문"}, {"home", "처음으로"}, {"agent", "상담원 연결"},
}

func tapFor(i int) *fsm.Tap {
	return &fsm.Tap{V: "c0ffee12", N: "main", O: menuOptions[i%len(menuOptions)].id, S: fsm.StateBot}
}

func menuReply() fsm.Reply {
	r := fsm.Reply{
		Messages: []fsm.Message{{Card: &fsm.Card{
			Title:       "무엇을 도와드릴까요?",
			Description: "아래 메뉴에서 골라 주세요. 0을 누르면 처음으로 돌아가요.",
			Buttons: []fsm.Button{
				{Kind: fsm.ButtonMessage, Label: "배송 조회", Tap: &fsm.Tap{V: "c0ffee12", N: "shipping", O: "track", S: fsm.StateBot}},
				{Kind: fsm.ButtonLink, Label: "주문내역 보기", URL: "https://shop.example.com/mypage/orders"},
				{Kind: fsm.ButtonPhone, Label: "전화 상담", Phone: "1588-0000"},
			},
		}}},
		CacheKey: "menu:main@c0ffee12",
	}
	for i, o := range menuOptions {
		r.QuickReplies = append(r.QuickReplies, fsm.QuickReply{Label: o.label, Tap: tapFor(i)})
	}
	return r
}

func wantMenuJSON(withQuickReplies bool) string {
	qrs := ""
	if withQuickReplies {
		var parts []string
		for _, o := range menuOptions {
			parts = append(parts, `{"label":"`+o.label+`","action":"message","messageText":"`+o.label+
				`","extra":{"baton":{"v":"c0ffee12","n":"main","o":"`+o.id+`","s":"bot"}}}`)
		}
		qrs = `,"quickReplies":[` + strings.Join(parts, ",") + `]`
	}
	return `{"version":"2.0","template":{"outputs":[{"textCard":{"title":"무엇을 도와드릴까요?",
		"description":"아래 메뉴에서 골라 주세요. 0을 누르면 처음으로 돌아가요.","buttons":[
		{"label":"배송 조회","action":"message","messageText":"배송 조회","extra":{"baton":{"v":"c0ffee12","n":"shipping","o":"track","s":"bot"}}},
		{"label":"주문내역 보기","action":"webLink","webLinkUrl":"https://shop.example.com/mypage/orders"},
		{"label":"전화 상담","action":"phone","phoneNumber":"1588-0000"}]}}]` + qrs + `}}`
}

func longAnswer(runes int) string {
	sentence := "교환이나 반품은 상품을 받으신 날로부터 7일 이내에 마이페이지 > 주문내역에서 신청하실 수 있어요. "
	var b strings.Builder
	for utf8.RuneCountInString(b.String()) < runes {
		b.WriteString(sentence)
	}
	return Truncate(b.String(), runes)
}

func TestRender(t *testing.T) {
	faq := longAnswer(1800)
	parts := SplitText(faq, MaxSimpleText)
	if len(parts) != 2 {
		t.Fatalf("setup: got %d parts, want 2", len(parts))
	}
	tests := []struct {
		name  string
		reply fsm.Reply
		group bool
		want  string
	}{
		{"menu card with buttons and 10 quick replies", menuReply(), false, wantMenuJSON(true)},
		{"group drops quick replies", menuReply(), true, wantMenuJSON(false)},
		{"operator card", fsm.Reply{Messages: []fsm.Message{
			{Text: "상담원을 연결해 드릴게요."},
			{Card: &fsm.Card{Description: "아래 버튼을 눌러 주세요. (상담번호 A7K2)", Buttons: []fsm.Button{{Kind: fsm.ButtonOperator, Label: "상담원 연결"}}}},
		}, QuickReplies: []fsm.QuickReply{{Label: "상담 취소", Text: "취소할게요", Tap: &fsm.Tap{V: "1", N: "waiting", O: "cancel", S: fsm.StateWaiting}}}}, false,
			`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"상담원을 연결해 드릴게요."}},
			{"textCard":{"description":"아래 버튼을 눌러 주세요. (상담번호 A7K2)","buttons":[{"label":"상담원 연결","action":"operator"}]}}],
			"quickReplies":[{"label":"상담 취소","action":"message","messageText":"취소할게요","extra":{"baton":{"v":"1","n":"waiting","o":"cancel","s":"waiting"}}}]}}`},
		{"long FAQ answer split in two bubbles", fsm.Reply{Messages: []fsm.Message{{Text: faq}},
			QuickReplies: []fsm.QuickReply{{Label: "도움이 안 됐어요", Tap: &fsm.Tap{V: "1", N: "faq", O: "not_helpful"}}}}, false,
			`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":` + quote(parts[0]) + `}},{"simpleText":{"text":` + quote(parts[1]) + `}}],
			"quickReplies":[{"label":"도움이 안 됐어요","action":"message","messageText":"도움이 안 됐어요","extra":{"baton":{"v":"1","n":"faq","o":"not_helpful"}}}]}}`},
		{"privacy notice plus long answer in three bubbles", fsm.Reply{Messages: []fsm.Message{{Text: "대화 내용은 90일간 보관됩니다."}, {Text: faq}}}, false,
			`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"대화 내용은 90일간 보관됩니다."}},{"simpleText":{"text":` + quote(parts[0]) +
				`}},{"simpleText":{"text":` + quote(parts[1]) + `}}]}}`},
		{"quick reply without tap", fsm.Reply{Messages: []fsm.Message{{Text: "안녕하세요"}}, QuickReplies: []fsm.QuickReply{{Label: "처음으로"}}}, false,
			`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요"}}],"quickReplies":[{"label":"처음으로","action":"message","messageText":"처음으로"}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.reply, tt.group)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			mustValid(t, got)
			if diff := cmp.Diff(mustJSON(t, tt.want), decodeJSON(t, got)); diff != "" {
				t.Errorf("Render mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func quote(s string) string {
	b, _ := marshalJSON(s)
	return string(b)
}

func TestRenderErrors(t *testing.T) {
	text := func(s string) fsm.Message { return fsm.Message{Text: s} }
	card := func(b ...fsm.Button) fsm.Message {
		return fsm.Message{Card: &fsm.Card{Description: "d", Buttons: b}}
	}
	var elevenQRs []fsm.QuickReply
	for range 11 {
		elevenQRs = append(elevenQRs, fsm.QuickReply{Label: "메뉴"})
	}
	tests := []struct {
		name  string
		reply fsm.Reply
	}{
		{"no messages", fsm.Reply{}},
		{"blank text", fsm.Reply{Messages: []fsm.Message{text("  \n")}}},
		{"four messages", fsm.Reply{Messages: []fsm.Message{text("a"), text("b"), text("c"), text("d")}}},
		{"long answer needs a fourth bubble", fsm.Reply{Messages: []fsm.Message{text("공지"), text(longAnswer(2500))}}},
		{"empty card", fsm.Reply{Messages: []fsm.Message{{Card: &fsm.Card{}}}}},
		{"card description too long", fsm.Reply{Messages: []fsm.Message{{Card: &fsm.Card{Description: strings.Repeat("가", 401)}}}}},
		{"four buttons", fsm.Reply{Messages: []fsm.Message{card(
			fsm.Button{Kind: fsm.ButtonOperator, Label: "a"}, fsm.Button{Kind: fsm.ButtonOperator, Label: "b"},
			fsm.Button{Kind: fsm.ButtonOperator, Label: "c"}, fsm.Button{Kind: fsm.ButtonOperator, Label: "d"})}}},
		{"unknown button kind", fsm.Reply{Messages: []fsm.Message{card(fsm.Button{Kind: "addChannel", Label: "a"})}}},
		{"bad link", fsm.Reply{Messages: []fsm.Message{card(fsm.Button{Kind: fsm.ButtonLink, Label: "a", URL: "shop.example.com"})}}},
		{"bad phone", fsm.Reply{Messages: []fsm.Message{card(fsm.Button{Kind: fsm.ButtonPhone, Label: "a"})}}},
		{"button label 15", fsm.Reply{Messages: []fsm.Message{card(fsm.Button{Kind: fsm.ButtonOperator, Label: strings.Repeat("가", 15)})}}},
		{"quick reply label 15", fsm.Reply{Messages: []fsm.Message{text("a")}, QuickReplies: []fsm.QuickReply{{Label: strings.Repeat("가", 15)}}}},
		{"eleven quick replies", fsm.Reply{Messages: []fsm.Message{text("a")}, QuickReplies: elevenQRs}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.reply, false)
			if err == nil {
				t.Fatalf("Render = %s, want an error", got)
			}
			if !errors.Is(err, ErrInvalidResponse) {
				t.Errorf("got %v, want an error wrapping ErrInvalidResponse", err)
			}
		})
	}
	// Group mode ignores quick replies entirely, even invalid ones.
	if _, err := Render(fsm.Reply{Messages: []fsm.Message{text("a")}, QuickReplies: elevenQRs}, true); err != nil {
		t.Errorf("group Render with 11 quick replies: got %v, want success (they are dropped)", err)
	}
}

func TestRenderSilent(t *testing.T) {
	got, err := Render(fsm.Reply{Silent: true, Messages: []fsm.Message{{Text: "ignored"}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Suppress()) {
		t.Errorf("got %s, want %s", got, Suppress())
	}
	if err := kakaospec.ValidateEvent(got); err != nil {
		t.Errorf("ValidateEvent: %v", err)
	}
}

func TestRenderDeterministic(t *testing.T) {
	first, err := Render(menuReply(), false)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, err := Render(menuReply(), false)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("Render is not deterministic:\n%s\n%s", first, again)
		}
	}
}

func TestFallback(t *testing.T) {
	def := `{"version":"2.0","template":{"outputs":[{"textCard":{"description":"잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?",
		"buttons":[{"label":"상담원 연결","action":"operator"}]}}]}}`
	tests := []struct {
		name, text, label string
		wantDesc, wantLbl string
	}{
		{"configured", "오류가 났어요. 상담원과 대화할까요?", "상담 연결", "오류가 났어요. 상담원과 대화할까요?", "상담 연결"},
		{"long text truncated", longAnswer(500), "상담 연결", Truncate(longAnswer(500), MaxTextCardDescription), "상담 연결"},
		{"long label truncated", "문제가 생겼어요", "상담원과 바로 연결하기 버튼입니다", "문제가 생겼어요", Truncate("상담원과 바로 연결하기 버튼입니다", MaxButtonLabel)},
		{"blank label", "문제가 생겼어요", " ", "문제가 생겼어요", defaultFallbackButton},
		{"blank text", "", "", defaultFallbackText, defaultFallbackButton},
		{"label of one huge cluster", "문제", strings.Repeat("\u0301", 30), "문제", defaultFallbackButton},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fallback(tt.text, tt.label)
			mustValid(t, got)
			want := strings.NewReplacer(defaultFallbackText, tt.wantDesc, `"label":"상담원 연결"`, `"label":"`+tt.wantLbl+`"`).Replace(def)
			if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
				t.Errorf("Fallback mismatch (-want +got):\n%s", diff)
			}
		})
	}
	mustValid(t, []byte(lastResortFallback))
	if diff := cmp.Diff(mustJSON(t, def), mustJSON(t, lastResortFallback)); diff != "" {
		t.Errorf("lastResortFallback mismatch (-want +got):\n%s", diff)
	}
}

func TestTextResponseAndCallbackAck(t *testing.T) {
	for _, in := range []string{"안녕하세요", longAnswer(1500), "", "  "} {
		got := TextResponse(in)
		mustValid(t, got)
		v := decodeJSON(t, got).(map[string]any)
		text := v["template"].(map[string]any)["outputs"].([]any)[0].(map[string]any)["simpleText"].(map[string]any)["text"].(string)
		want := Truncate(in, MaxSimpleText)
		if want == "" {
			want = defaultText
		}
		if text != want {
			t.Errorf("TextResponse(%.20q) text = %.20q, want %.20q", in, text, want)
		}
	}
	got := CallbackAck("답변을 준비하고 있어요 <잠시만>")
	mustValid(t, got)
	want := `{"version":"2.0","useCallback":true,"data":{"text":"답변을 준비하고 있어요 <잠시만>"}}`
	if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
		t.Errorf("CallbackAck mismatch (-want +got):\n%s", diff)
	}
}

func BenchmarkRenderMenu(b *testing.B) {
	r := menuReply()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(r, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderLongAnswer(b *testing.B) {
	r := fsm.Reply{Messages: []fsm.Message{{Text: longAnswer(1800)}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(r, false); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzRender: Render never panics, and whatever it returns passes the
// independent validator; Fallback always does.
func FuzzRender(f *testing.F) {
	f.Add("안녕하세요", "메뉴", "무엇을 도와드릴까요?", "상담원 연결", "처음으로", "https://shop.example.com", uint8(3))
	f.Add(longAnswer(1500), "", "", "👩‍👩‍👧‍👦👩‍👩‍👧‍👦", "ㅋㅋ", "javascript:x", uint8(10))
	f.Fuzz(func(t *testing.T, text, title, desc, label, qr, link string, n uint8) {
		r := fsm.Reply{Messages: []fsm.Message{{Text: text}, {Card: &fsm.Card{Title: title, Description: desc, Buttons: []fsm.Button{
			{Kind: fsm.ButtonMessage, Label: label, Tap: &fsm.Tap{V: "1", N: title, O: qr}},
			{Kind: fsm.ButtonLink, Label: label, URL: link},
		}}}}}
		for i := range int(n % 12) {
			r.QuickReplies = append(r.QuickReplies, fsm.QuickReply{Label: qr, Text: text, Tap: &fsm.Tap{V: "1", N: "m", O: string(rune('a' + i))}})
		}
		for _, group := range []bool{false, true} {
			if body, err := Render(r, group); err == nil {
				mustValid(t, body)
			}
		}
		mustValid(t, Fallback(text, label))
		mustValid(t, TextResponse(text))
		mustValid(t, CallbackAck(text))
	})
}

// TestRenderQuickReplyExtras: Render marshals its quick replies' extras
// together (tapExtras) into the same bytes MessageQuickReply gives each one
// on its own — with and without a tap, HTML-like characters unescaped.
func TestRenderQuickReplyExtras(t *testing.T) {
	taps := []*fsm.Tap{
		{V: "v1", N: "main", O: "ship", S: fsm.StateBot, H: "ab12"},
		nil,
		{V: "v1", N: "a&b", O: "<o>", S: fsm.StateWaiting},
		{V: "v2", N: "faq", O: "ship-fee"},
	}
	reply := fsm.Reply{Messages: []fsm.Message{{Text: "안녕하세요"}}}
	want := Response{}
	st, err := NewSimpleText("안녕하세요")
	if err != nil {
		t.Fatal(err)
	}
	want.Outputs = []Component{st}
	for i, tap := range taps {
		label := fmt.Sprintf("선택 %d", i)
		reply.QuickReplies = append(reply.QuickReplies, fsm.QuickReply{Label: label, Tap: tap})
		qr, err := MessageQuickReply(label, "", tapExtra(tap))
		if err != nil {
			t.Fatal(err)
		}
		want.QuickReplies = append(want.QuickReplies, qr)
	}
	wantBytes, err := want.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Render(reply, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantBytes) {
		t.Fatalf("got  %s\nwant %s", got, wantBytes)
	}
	if !bytes.Contains(got, []byte(`"o":"<o>"`)) {
		t.Fatalf("got %s, want the extra's characters unescaped", got)
	}
}
