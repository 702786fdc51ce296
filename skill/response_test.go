package skill

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/google/go-cmp/cmp"
)

// decodeJSON parses b generically for comparisons.
func decodeJSON(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return v
}

func mustJSON(t testing.TB, s string) any {
	t.Helper()
	return decodeJSON(t, []byte(s))
}

// must turns a (value, error) constructor result into a value, failing the
// test on error: must(NewSimpleText("x"))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// TestSpecExample rebuilds the basicCard example of spec §3.9.
func TestSpecExample(t *testing.T) {
	card := must(NewBasicCard(BasicCardSpec{
		Title: "보물상자", Description: "보물상자 안에는 뭐가 있을까",
		Thumbnail: Thumbnail{ImageURL: testImg},
		Buttons: []Button{
			must(MessageButton("열어보기", "짜잔! 우리가 찾던 보물입니다", nil))(t),
			must(WebLinkButton("구경하기", "https://e.kakao.com/t/hello-ryan"))(t),
		},
	}))(t)
	qr := must(MessageQuickReply("인기 메뉴", "", nil))(t)
	got := must(Response{Outputs: []Component{card}, QuickReplies: []QuickReply{qr}}.Marshal())(t)
	mustValid(t, got)
	want := `{"version":"2.0","template":{"outputs":[{"basicCard":{"title":"보물상자","description":"보물상자 안에는 뭐가 있을까",
		"thumbnail":{"imageUrl":"` + testImg + `"},"buttons":[{"action":"message","label":"열어보기","messageText":"짜잔! 우리가 찾던 보물입니다"},
		{"action":"webLink","label":"구경하기","webLinkUrl":"https://e.kakao.com/t/hello-ryan"}]}}],
		"quickReplies":[{"messageText":"인기 메뉴","action":"message","label":"인기 메뉴"}]}}`
	if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
}

func TestButtonConstructors(t *testing.T) {
	tests := []struct {
		name string
		make func() (Button, error)
		want string // JSON, or "" for an error
	}{
		{"webLink", func() (Button, error) { return WebLinkButton("열기", "https://a.example/x?y=1") },
			`{"label":"열기","action":"webLink","webLinkUrl":"https://a.example/x?y=1"}`},
		{"webLink HTTP upper", func() (Button, error) { return WebLinkButton("열기", "HTTP://a.example") },
			`{"label":"열기","action":"webLink","webLinkUrl":"HTTP://a.example"}`},
		{"webLink ftp", func() (Button, error) { return WebLinkButton("열기", "ftp://a.example") }, ""},
		{"webLink relative", func() (Button, error) { return WebLinkButton("열기", "/path") }, ""},
		{"webLink javascript", func() (Button, error) { return WebLinkButton("열기", "javascript:alert(1)") }, ""},
		{"webLink space", func() (Button, error) { return WebLinkButton("열기", "https://a.example/a b") }, ""},
		{"webLink no host", func() (Button, error) { return WebLinkButton("열기", "https:///x") }, ""},
		{"webLink empty", func() (Button, error) { return WebLinkButton("열기", "") }, ""},
		{"message falls back to label", func() (Button, error) { return MessageButton("배송 조회", "", nil) },
			`{"label":"배송 조회","action":"message","messageText":"배송 조회"}`},
		{"message with extra", func() (Button, error) { return MessageButton("a", "b", map[string]any{"k": 1}) },
			`{"label":"a","action":"message","messageText":"b","extra":{"k":1}}`},
		{"message extra array", func() (Button, error) { return MessageButton("a", "b", []int{1}) }, ""},
		{"message extra string", func() (Button, error) { return MessageButton("a", "b", "x") }, ""},
		{"message extra unmarshalable", func() (Button, error) { return MessageButton("a", "b", map[string]any{"f": func() {}}) }, ""},
		{"block", func() (Button, error) { return BlockButton("a", "blk", "", nil) },
			`{"label":"a","action":"block","blockId":"blk","messageText":"a"}`},
		{"block without id", func() (Button, error) { return BlockButton("a", "", "", nil) }, ""},
		{"phone", func() (Button, error) { return PhoneButton("전화", "+82 2-1588-0000") },
			`{"label":"전화","action":"phone","phoneNumber":"+82 2-1588-0000"}`},
		{"phone letters", func() (Button, error) { return PhoneButton("전화", "call me") }, ""},
		{"phone empty", func() (Button, error) { return PhoneButton("전화", "") }, ""},
		{"share", func() (Button, error) { return ShareButton("공유") }, `{"label":"공유","action":"share"}`},
		{"operator", func() (Button, error) { return OperatorButton("상담원 연결") }, `{"label":"상담원 연결","action":"operator"}`},
		{"empty label", func() (Button, error) { return OperatorButton("") }, ""},
		{"label 15", func() (Button, error) { return OperatorButton(strings.Repeat("가", 15)) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.make()
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %+v, want an error", b.w)
				}
				if !errors.Is(err, ErrInvalidResponse) {
					t.Errorf("got %v, want an error wrapping ErrInvalidResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(b.w)
			if diff := cmp.Diff(mustJSON(t, tt.want), decodeJSON(t, got)); diff != "" {
				t.Errorf("button mismatch (-want +got):\n%s", diff)
			}
			body := must(marshal1(must(NewTextCard(TextCardSpec{Description: "d", Buttons: []Button{b}}))(t)))(t)
			mustValid(t, body)
		})
	}
}

func TestZeroValuesRejected(t *testing.T) {
	st := must(NewSimpleText("x"))(t)
	tests := []struct {
		name string
		r    Response
	}{
		{"no outputs", Response{}},
		{"nil output", Response{Outputs: []Component{nil}}},
		{"zero simpleText", Response{Outputs: []Component{SimpleText{}}}},
		{"zero textCard", Response{Outputs: []Component{TextCard{}}}},
		{"zero carousel", Response{Outputs: []Component{Carousel{}}}},
		{"zero itemCard", Response{Outputs: []Component{ItemCard{}}}},
		{"zero quick reply", Response{Outputs: []Component{st}, QuickReplies: []QuickReply{{}}}},
		{"zero context value", Response{Outputs: []Component{st}, Context: []ContextValue{{}}}},
		{"data not an object", Response{Outputs: []Component{st}, Data: []string{"x"}}},
		{"too big", Response{Outputs: []Component{st}, Data: map[string]string{"pad": strings.Repeat("x", MaxResponseBytes)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if b, err := tt.r.Marshal(); err == nil {
				t.Fatalf("Marshal = %s, want an error", b)
			} else if !errors.Is(err, ErrInvalidResponse) {
				t.Errorf("got %v, want an error wrapping ErrInvalidResponse", err)
			}
		})
	}
	if _, err := NewTextCard(TextCardSpec{Description: "d", Buttons: []Button{{}}}); err == nil {
		t.Errorf("NewTextCard with a zero Button: got success, want an error")
	}
}

func TestResponseExtras(t *testing.T) {
	st := must(NewSimpleText("안녕하세요 <고객>님 & 반가워요"))(t)
	cv1 := must(NewContextValue("abc", 10, 60, map[string]string{"key1": "val1"}))(t)
	cv2 := must(NewContextValue("ghi", 0, 0, nil))(t)
	qr := must(BlockQuickReply("주문", "blk1", "", map[string]any{"baton": map[string]string{"v": "1"}}))(t)
	got := must(Response{Outputs: []Component{st}, QuickReplies: []QuickReply{qr}, Context: []ContextValue{cv1, cv2},
		Data: map[string]any{"msg": "hi"}}.Marshal())(t)
	mustValid(t, got)
	want := `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕하세요 <고객>님 & 반가워요"}}],
		"quickReplies":[{"label":"주문","action":"block","messageText":"주문","blockId":"blk1","extra":{"baton":{"v":"1"}}}]},
		"context":{"values":[{"name":"abc","lifeSpan":10,"ttl":60,"params":{"key1":"val1"}},{"name":"ghi","lifeSpan":0}]},
		"data":{"msg":"hi"}}`
	if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
	if strings.Contains(string(got), `\u003c`) {
		t.Errorf("got HTML-escaped text in %s, want literal < > &", got)
	}
	if _, err := NewContextValue("", 1, 0, nil); err == nil {
		t.Errorf("NewContextValue with empty name: got success, want an error")
	}
	if _, err := NewContextValue("a", -1, 0, nil); err == nil {
		t.Errorf("NewContextValue with negative lifeSpan: got success, want an error")
	}
}

func TestSuppressAndCallback(t *testing.T) {
	s := Suppress()
	if err := kakaospec.ValidateEvent(s); err != nil {
		t.Errorf("ValidateEvent(Suppress()) = %v, want nil", err)
	}
	if err := kakaospec.Validate(s); err == nil {
		t.Errorf("Validate(Suppress()) = nil, want an error: suppress is for event blocks only")
	}
	cb := must(CallbackResponse(map[string]string{"text": "잠시만 기다려 주세요"}))(t)
	mustValid(t, cb)
	if diff := cmp.Diff(mustJSON(t, `{"version":"2.0","useCallback":true,"data":{"text":"잠시만 기다려 주세요"}}`), decodeJSON(t, cb)); diff != "" {
		t.Errorf("callback mismatch (-want +got):\n%s", diff)
	}
	if _, err := CallbackResponse("text"); err == nil {
		t.Errorf("CallbackResponse with string data: got success, want an error")
	}
}

func TestGroupResponse(t *testing.T) {
	st := must(NewSimpleText("x"))(t)
	qr := must(MessageQuickReply("처음으로", "", nil))(t)
	got := must(Response{Outputs: []Component{st}, QuickReplies: []QuickReply{qr}, Group: true}.Marshal())(t)
	mustValid(t, got)
	if strings.Contains(string(got), "quickReplies") {
		t.Errorf("group response %s has quick replies, want none", got)
	}
	car := must(NewCarousel(nil, must(NewTextCard(TextCardSpec{Description: "d"}))(t)))(t)
	if _, err := (Response{Outputs: []Component{car}, Group: true}).Marshal(); err == nil {
		t.Errorf("group carousel: got success, want an error")
	}
	cc := must(NewCommerceCard(CommerceCardSpec{Price: 1, Thumbnail: Thumbnail{ImageURL: testImg}}))(t)
	if _, err := (Response{Outputs: []Component{cc}, Group: true}).Marshal(); err == nil {
		t.Errorf("group commerceCard: got success, want an error")
	}
}

func TestCommerceCard(t *testing.T) {
	c := must(NewCommerceCard(CommerceCardSpec{Title: "니트", Price: 30000, Currency: "won", DiscountRate: 10, DiscountedPrice: 27000,
		Thumbnail: Thumbnail{ImageURL: testImg, Link: &Link{Web: "https://shop.example.com/p/1"}}, Profile: &Profile{Nickname: "샘플몰"}}))(t)
	got := must(marshal1(c))(t)
	mustValid(t, got)
	want := `{"version":"2.0","template":{"outputs":[{"commerceCard":{"title":"니트","price":30000,"currency":"won","discountRate":10,
		"discountedPrice":27000,"dicountedPrice":27000,"thumbnails":[{"imageUrl":"` + testImg + `","link":{"web":"https://shop.example.com/p/1"}}],
		"profile":{"nickname":"샘플몰"}}}]}}`
	if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
		t.Errorf("commerceCard mismatch (-want +got):\n%s", diff)
	}
	bad := []CommerceCardSpec{
		{Price: -1, Thumbnail: Thumbnail{ImageURL: testImg}},
		{Price: 1, Currency: "usd", Thumbnail: Thumbnail{ImageURL: testImg}},
		{Price: 1, DiscountRate: 10, Thumbnail: Thumbnail{ImageURL: testImg}},
		{Price: 1, DiscountRate: 101, DiscountedPrice: 1, Thumbnail: Thumbnail{ImageURL: testImg}},
		{Price: 1},
		{Price: 1, Thumbnail: Thumbnail{ImageURL: testImg}, Profile: &Profile{}},
		{Price: 1, Thumbnail: Thumbnail{ImageURL: testImg, Link: &Link{}}},
	}
	for i, s := range bad {
		if _, err := NewCommerceCard(s); err == nil {
			t.Errorf("bad spec %d: got success, want an error", i)
		}
	}
}

func TestCarouselRules(t *testing.T) {
	tc := must(NewTextCard(TextCardSpec{Description: "d"}))(t)
	bc := must(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg}}))(t)
	bcSquare := must(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg, FixedRatio: true}}))(t)
	lc := must(NewListCard(ListCardSpec{Header: "h", Items: []ListItem{{Title: "i"}}}))(t)
	icThumb := must(NewItemCard(ItemCardSpec{Thumbnail: &ItemThumbnail{ImageURL: testImg, Width: 800, Height: 400}, ItemList: oneItem}))(t)
	icPlain := must(NewItemCard(ItemCardSpec{ItemList: oneItem}))(t)
	icSquare := must(NewItemCard(ItemCardSpec{Thumbnail: &ItemThumbnail{ImageURL: testImg, Width: 800, Height: 800}, ItemList: oneItem}))(t)
	header := &CarouselHeader{Title: "추천", Description: "이번 주 추천 상품", ImageURL: testImg}
	tests := []struct {
		name   string
		header *CarouselHeader
		items  []CarouselCard
		ok     bool
	}{
		{"basicCard with header", header, []CarouselCard{bc, bc}, true},
		{"itemCards uniform", header, []CarouselCard{icThumb, icThumb}, true},
		{"textCard", nil, []CarouselCard{tc, tc}, true},
		{"textCard with header", header, []CarouselCard{tc}, false},
		{"listCard with header", header, []CarouselCard{lc}, false},
		{"mixed types", nil, []CarouselCard{tc, bc}, false},
		{"mixed ratios", nil, []CarouselCard{bc, bcSquare}, false},
		{"itemCards not uniform", nil, []CarouselCard{icThumb, icPlain}, false},
		{"itemCard square thumbnail", nil, []CarouselCard{icSquare}, false},
		{"empty", nil, nil, false},
		{"nil item", nil, []CarouselCard{nil}, false},
		// Pointers to cards satisfy CarouselCard too; the rules are the same.
		{"pointers uniform", header, []CarouselCard{&bc, &bc}, true},
		{"pointers, mixed ratios", nil, []CarouselCard{&bc, &bcSquare}, false},
		{"pointer and value, mixed ratios", nil, []CarouselCard{bc, &bcSquare}, false},
		{"itemCard pointers not uniform", nil, []CarouselCard{&icThumb, &icPlain}, false},
		{"nil pointer", nil, []CarouselCard{(*BasicCard)(nil)}, false},
		{"header without image", &CarouselHeader{Title: "t", Description: "d"}, []CarouselCard{bc}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCarousel(tt.header, tt.items...)
			if !tt.ok {
				if err == nil {
					t.Fatalf("got success, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			mustValid(t, must(marshal1(c))(t))
		})
	}
}

func TestItemCardRules(t *testing.T) {
	bad := map[string]ItemCardSpec{
		"head and profile":        {Head: &ItemHead{Title: "h"}, Profile: &ItemProfile{Title: "p"}, ItemList: oneItem},
		"thumbnail 3:1":           {Thumbnail: &ItemThumbnail{ImageURL: testImg, Width: 900, Height: 300}, ItemList: oneItem},
		"thumbnail width only":    {Thumbnail: &ItemThumbnail{ImageURL: testImg, Width: 800}, ItemList: oneItem},
		"description no title":    {ItemList: oneItem, Description: "d"},
		"item without desc":       {ItemList: []Item{{Title: "t"}}},
		"bad alignment":           {ItemList: oneItem, ItemListAlignment: "center"},
		"summary without title":   {ItemList: oneItem, ItemListSummary: &ItemSummary{Description: "1원"}},
		"imageTitle without text": {ItemList: oneItem, ImageTitle: &ImageTitle{ImageURL: testImg}},
	}
	for name, s := range bad {
		if _, err := NewItemCard(s); err == nil {
			t.Errorf("%s: got success, want an error", name)
		}
	}
	good := must(NewItemCard(ItemCardSpec{
		Thumbnail: &ItemThumbnail{ImageURL: testImg, Width: 800, Height: 800}, Head: &ItemHead{Title: "주문 내역"},
		ImageTitle:        &ImageTitle{Title: "니트", Description: "1개", ImageURL: testImg},
		ItemList:          []Item{{Title: "주문번호", Description: "20261122-0001"}, {Title: "결제금액", Description: "27,000원"}},
		ItemListAlignment: "right", ItemListSummary: &ItemSummary{Title: "합계", Description: "27,000원"},
		Title: "주문이 접수되었어요", Description: "배송은 1~2일 걸려요",
		Buttons: []Button{must(WebLinkButton("주문 상세", "https://shop.example.com/o/1"))(t)},
	}))(t)
	mustValid(t, must(marshal1(good))(t))
}

func TestListCardMessageFallback(t *testing.T) {
	lc := must(NewListCard(ListCardSpec{Header: "자주 묻는 질문", Items: []ListItem{
		{Title: "배송 조회", Action: "message", Extra: map[string]string{"k": "v"}},
		{Title: "반품", Action: "block", BlockID: "blk"},
		{Title: "홈페이지", Link: &Link{Web: "https://shop.example.com"}},
	}}))(t)
	got := must(marshal1(lc))(t)
	mustValid(t, got)
	want := `{"version":"2.0","template":{"outputs":[{"listCard":{"header":{"title":"자주 묻는 질문"},"items":[
		{"title":"배송 조회","action":"message","messageText":"배송 조회","extra":{"k":"v"}},
		{"title":"반품","action":"block","blockId":"blk"},
		{"title":"홈페이지","link":{"web":"https://shop.example.com"}}]}}]}}`
	if diff := cmp.Diff(mustJSON(t, want), decodeJSON(t, got)); diff != "" {
		t.Errorf("listCard mismatch (-want +got):\n%s", diff)
	}
	for name, s := range map[string]ListCardSpec{
		"blank header":   {Header: " ", Items: []ListItem{{Title: "i"}}},
		"block no id":    {Header: "h", Items: []ListItem{{Title: "i", Action: "block"}}},
		"unknown action": {Header: "h", Items: []ListItem{{Title: "i", Action: "webLink"}}},
		"bad image":      {Header: "h", Items: []ListItem{{Title: "i", ImageURL: "data:image/png;base64,AAAA"}}},
	} {
		if _, err := NewListCard(s); err == nil {
			t.Errorf("%s: got success, want an error", name)
		}
	}
}

// menuResponse is the hot-path shape: a textCard menu and 10 quick replies.
func menuResponse(tb testing.TB) Response {
	card := must(NewTextCard(TextCardSpec{Title: "무엇을 도와드릴까요?", Description: "아래 메뉴에서 골라 주세요.",
		Buttons: []Button{must(OperatorButton("상담원 연결"))(tb)}}))(tb)
	r := Response{Outputs: []Component{card}}
	labels := []string{"주문/배송", "교환/반품", "회원정보", "결제", "쿠폰/포인트", "이벤트", "매장 안내", "자주 묻는 질문", "처음으로", "상담원 연결"}
	for i, l := range labels {
		r.QuickReplies = append(r.QuickReplies, must(MessageQuickReply(l, "", batonExtra{Baton: tapFor(i)}))(tb))
	}
	return r
}

func BenchmarkBuildAndMarshal(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := menuResponse(b).Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalOnly(b *testing.B) {
	r := menuResponse(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKakaospecValidate(b *testing.B) {
	body, err := menuResponse(b).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := kakaospec.Validate(body); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleResponse_Marshal() {
	card, err := NewTextCard(TextCardSpec{Title: "무엇을 도와드릴까요?"})
	if err != nil {
		fmt.Println(err)
		return
	}
	home, _ := MessageQuickReply("처음으로", "", map[string]any{"baton": map[string]string{"v": "1", "n": "main", "o": "home"}})
	body, err := Response{Outputs: []Component{card}, QuickReplies: []QuickReply{home}}.Marshal()
	fmt.Println(string(body), err)

	_, err = NewSimpleText(strings.Repeat("가", 1001))
	fmt.Println(err)
	// Output:
	// {"version":"2.0","template":{"outputs":[{"textCard":{"title":"무엇을 도와드릴까요?"}}],"quickReplies":[{"label":"처음으로","action":"message","messageText":"처음으로","extra":{"baton":{"n":"main","o":"home","v":"1"}}}]}} <nil>
	// skill: invalid response: simpleText.text has 1001 runes, want at most 1000
}
