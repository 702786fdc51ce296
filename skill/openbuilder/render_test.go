package openbuilder

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cardsAnswer and carouselAnswer together use every component (Kakao
// allows 3 outputs per response, so it takes two).
const cardsAnswer = `{"version":"2.0","template":{"outputs":[
 {"basicCard":{"title":"보물상자","description":"보물상자 안에는\n뭐가 있을까","thumbnail":{"imageUrl":"https://img.example/box.jpg"},
   "buttons":[{"action":"message","label":"열어보기","messageText":"짜잔! 우리가 찾던 보물입니다"},
              {"action":"phone","label":"전화하기","phoneNumber":"1588-1255"}]}},
 {"commerceCard":{"title":"반팔 티셔츠","description":"여름 신상","price":12000,"currency":"won","discountRate":20,"discountedPrice":9600,
   "thumbnails":[{"imageUrl":"https://img.example/tee.jpg"}],"profile":{"nickname":"샘플몰"},
   "buttons":[{"action":"webLink","label":"구매하기","webLinkUrl":"https://www.sample-mall.co.kr/tee"},{"action":"share","label":"공유하기"}]}},
 {"listCard":{"header":{"title":"주문 내역"},"items":[
   {"title":"주문 1001","description":"배송 중","action":"message","messageText":"1001 배송 조회","extra":{"order":"1001"}},
   {"title":"주문 1002","description":"배송 완료","action":"block","blockId":"5d300e788192ac000132b8a4"},
   {"title":"공지","link":{"web":"https://www.sample-mall.co.kr/notice"}},
   {"title":"안내","description":"탭할 수 없음"}],
   "buttons":[{"action":"block","label":"더보기","blockId":"5d300e788192ac000132b8a5"}]}}],
 "quickReplies":[{"label":"처음으로","action":"message","messageText":"처음으로"},{"label":"상담원","action":"message","messageText":"상담원 연결"}]}}`

const cardsText = `┌─ basicCard: 보물상자
│ [이미지] https://img.example/box.jpg
│ 보물상자 안에는
│ 뭐가 있을까
│ [1] 열어보기 (→ 짜잔! 우리가 찾던 보물입니다)
│ [2] 전화하기 ☎ 1588-1255
└─
┌─ commerceCard: 반팔 티셔츠
│ [이미지] https://img.example/tee.jpg
│ 샘플몰
│ 여름 신상
│ 12,000원 → 9,600원 (20% 할인)
│ [3] 구매하기 ↗ https://www.sample-mall.co.kr/tee
│ [4] 공유하기 [공유]
└─
┌─ listCard: 주문 내역
│ [5] 주문 1001 — 배송 중
│ [6] 주문 1002 — 배송 완료
│ [7] 공지 ↗ https://www.sample-mall.co.kr/notice
│ • 안내 — 탭할 수 없음
│ [8] 더보기 (블록 5d300e788192ac000132b8a5)
└─
[9] 처음으로  [10] 상담원
`

const carouselAnswer = `{"version":"2.0","template":{"outputs":[
 {"simpleImage":{"imageUrl":"https://img.example/banner.png","altText":"여름 세일"}},
 {"carousel":{"type":"itemCard","header":{"title":"영수증","description":"최근 주문"},"items":[
   {"head":{"title":"주문 1001"},"itemList":[{"title":"상품","description":"티셔츠"},{"title":"수량","description":"2"}],
    "itemListSummary":{"title":"합계","description":"19,200원"},"buttons":[{"action":"message","label":"배송 조회","messageText":"배송 조회","extra":{"order":"1001"}}]},
   {"profile":{"title":"샘플몰"},"imageTitle":{"title":"주문 1002","description":"배송 완료"},"itemList":[{"title":"상품","description":"모자"}],
    "title":"감사합니다","description":"또 들러 주세요"}]}},
 {"carousel":{"type":"textCard","items":[{"title":"A","description":"첫째","buttons":[{"action":"operator","label":"상담원 연결"}]},{"description":"둘째"}]}}]}}`

const carouselText = `[이미지] 여름 세일 https://img.example/banner.png
carousel: 2 × itemCard
  영수증 — 최근 주문
┌─ itemCard (1/2): 주문 1001
│ 상품  티셔츠
│ 수량  2
│ ──
│ 합계  19,200원
│ [1] 배송 조회
└─
┌─ itemCard (2/2): 샘플몰
│ 주문 1002 — 배송 완료
│ 상품  모자
│ 감사합니다
│ 또 들러 주세요
└─
carousel: 2 × textCard
┌─ textCard (1/2): A
│ 첫째
│ [2] 상담원 연결 [상담원 연결]
└─
┌─ textCard (2/2)
│ 둘째
└─
`

func TestRender(t *testing.T) {
	tests := []struct {
		name, body, want string
		choices          int
		problems         []string
	}{
		{"cards and list", cardsAnswer, cardsText, 10, nil},
		{"image and carousels", carouselAnswer, carouselText, 2, nil},
		{"simple text", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요\n반가워요"}}]}}`,
			"안녕하세요\n반가워요\n", 0, nil},
		{"callback", `{"version":"2.0","useCallback":true,"data":{"text":"생각하고 있어요"}}`,
			"생각하고 있어요\n(useCallback: the answer arrives later through callbackUrl)\n", 0, nil},
		{"discount amount", `{"version":"2.0","template":{"outputs":[{"commerceCard":{"price":1234567,"discount":1000,"thumbnails":[{"imageUrl":"https://i/x.png"}]}}]}}`,
			"┌─ commerceCard\n│ [이미지] https://i/x.png\n│ 1,234,567원 → 1,233,567원 (1,000원 할인)\n└─\n", 0, nil},
		{"misspelt discounted price", `{"version":"2.0","template":{"outputs":[{"commerceCard":{"price":900,"dicountedPrice":800,"thumbnails":[{"imageUrl":"https://i/x.png"}]}}]}}`,
			"┌─ commerceCard\n│ [이미지] https://i/x.png\n│ 900원 → 800원 (100원 할인)\n└─\n", 0, nil},
		{"broken", `{"version":"1.0","template":{"outputs":[{"simpleText":{"text":5}},{"fancyCard":{}},{"textCard":{}},{"simpleText":{"text":"x"}}],
			"quickReplies":[{"label":"a","action":"block"}]}}`,
			"\n(unknown component \"fancyCard\")\n┌─ textCard\n└─\nx\n[1] a\n", 1, []string{
				`outputs[0].simpleText: json: cannot unmarshal number into Go struct field SimpleText.text of type string`,
				`version: got "1.0", want "2.0"`,
				`outputs: got 4, want at most 3`,
				`outputs[0].simpleText: empty text`,
				`outputs[1]: unknown component "fancyCard"`,
				`outputs[2].textCard: neither title nor description`,
				`quickReplies[0]: block action without blockId`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, problems, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			text, choices := Render(r)
			if text != tt.want {
				t.Errorf("got text\n%s\nwant\n%s", text, tt.want)
			}
			if len(choices) != tt.choices {
				t.Errorf("got %d choices, want %d", len(choices), tt.choices)
			}
			for i, c := range choices {
				if c.N != i+1 {
					t.Errorf("choice %d: got N %d, want %d", i, c.N, i+1)
				}
			}
		})
	}
}

// TestTapsFromCards taps list items and card buttons of cardsAnswer through
// a real server and checks the turns sent.
func TestTapsFromCards(t *testing.T) {
	f := startFakeSkill(t, map[string]canned{
		"":           ok(cardsAnswer),
		"1001 배송 조회": ok(cardsAnswer),
		"주문 1002":    ok(cardsAnswer),
		"짜잔! 우리가 찾던 보물입니다": ok(cardsAnswer),
		"더보기":   ok(carouselAnswer),
		"배송 조회": ok(carouselAnswer),
	})
	ctx := context.Background()
	cv := NewConversation(NewClient(f.URL), NewUser("철수"))
	if a, err := cv.Welcome(ctx); err != nil || a.Text != cardsText {
		t.Fatalf("welcome: got %v, text\n%s", err, a.Text)
	}
	notes := map[int]string{2: "[전화] 전화하기 → 1588-1255", 3: "[링크] 구매하기 → https://www.sample-mall.co.kr/tee",
		4: "[공유] 공유하기", 7: "[링크] 공지 → https://www.sample-mall.co.kr/notice"}
	for n, want := range notes {
		if _, note, err := cv.Tap(ctx, n); err != nil || note != want {
			t.Errorf("tap %d: got %q, %v, want %q", n, note, err, want)
		}
	}
	type sent struct {
		Block, Utterance, Trigger, Extra string
	}
	var wants []sent
	for _, step := range []struct {
		n    int
		want sent
	}{
		{5, sent{FallbackBlockName, "1001 배송 조회", TriggerListItemMessage, `{"order":"1001"}`}},
		{6, sent{"", "주문 1002", TriggerListItemBlock, `{}`}},
		{1, sent{FallbackBlockName, "짜잔! 우리가 찾던 보물입니다", TriggerCardButtonMessage, `{}`}},
		{8, sent{"", "더보기", TriggerCardButtonBlock, `{}`}},
		{1, sent{FallbackBlockName, "배송 조회", TriggerCardButtonMessage, `{"order":"1001"}`}},
	} {
		if _, _, err := cv.Tap(ctx, step.n); err != nil {
			t.Fatalf("tap %d: %v", step.n, err)
		}
		wants = append(wants, step.want)
	}
	var got []sent
	for _, r := range f.received()[1:] {
		var p Payload
		if err := decodeInto(r.Body, &p); err != nil {
			t.Fatal(err)
		}
		extra := strings.TrimSpace(mustJSON(t, p.Action.ClientExtra))
		got = append(got, sent{p.UserRequest.Block.Name, p.UserRequest.Utterance, p.Flow.Trigger.Type, extra})
	}
	if diff := cmp.Diff(wants, got); diff != "" {
		t.Errorf("turns sent (-want +got):\n%s", diff)
	}
}
