package skill

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baton-chat/baton/internal/kakaospec"
)

// alphabet is a generator of grapheme clusters (as strings) for one script.
type alphabet struct {
	name  string
	units []string
}

func runeRange(lo, hi rune) []string {
	out := make([]string, 0, hi-lo+1)
	for r := lo; r <= hi; r++ {
		out = append(out, string(r))
	}
	return out
}

var (
	hangul = alphabet{"hangul", runeRange(0xAC00, 0xD7A3)}
	jamo   = alphabet{"jamo", append(runeRange(0x3131, 0x314E), runeRange(0x314F, 0x3163)...)} // ㄱ..ㅎ ㅏ..ㅣ (ㅋㅋㅠㅠ)
	emoji  = alphabet{"emoji", []string{
		"😀", "🙏", "👍🏽", "👋🏿", "👩‍👩‍👧‍👦", "👨‍💻", "🏳️‍🌈", "🇰🇷", "🇯🇵", "❤️", "✔️", "1️⃣",
		"\u1112\u1161\u11ab", // conjoining jamo 한 (one grapheme, three runes)
		"e\u0301",            // e + combining acute
	}}
	ascii = alphabet{"ascii", runeRange('!', '~')}
	mixed = alphabet{"mixed", append(append(append(append([]string{}, hangul.units[:200]...), jamo.units...), emoji.units...), ascii.units...)}

	alphabets = []alphabet{hangul, jamo, emoji, ascii, mixed}
)

// genText returns a string of exactly n runes from a, never blank and never
// starting or ending with a space; interior spaces appear now and then.
func genText(rng *rand.Rand, a alphabet, n int) string {
	var b strings.Builder
	left := n
	for left > 0 {
		if left > 1 && b.Len() > 0 && rng.IntN(6) == 0 {
			b.WriteByte(' ')
			left--
			continue
		}
		u := a.units[rng.IntN(len(a.units))]
		if c := utf8.RuneCountInString(u); c > left {
			u = hangul.units[rng.IntN(len(hangul.units))]
		}
		b.WriteString(u)
		left -= utf8.RuneCountInString(u)
	}
	return b.String()
}

// mustValid fails unless body passes the independent validator.
func mustValid(t *testing.T, body []byte) {
	t.Helper()
	if err := kakaospec.Validate(body); err != nil {
		t.Fatalf("built response fails kakaospec.Validate: %v\n%s", err, body)
	}
}

func marshal1(c Component, qrs ...QuickReply) ([]byte, error) {
	return Response{Outputs: []Component{c}, QuickReplies: qrs}.Marshal()
}

// fieldLimit builds a whole response with one text field set to s.
type fieldLimit struct {
	name  string
	limit int
	build func(s string) ([]byte, error)
}

const testImg = "https://t1.kakaocdn.net/openbuilder/sample/lj3JUcmrzC53YIjNDkqbWK.jpg"

func opButton(label string) []Button {
	b, err := OperatorButton(label)
	if err != nil {
		return []Button{{}} // a zero Button makes the card constructor fail
	}
	return []Button{b}
}

func twoButtons(label string) []Button {
	a, err1 := ShareButton(label)
	b, err2 := OperatorButton(label)
	if err1 != nil || err2 != nil {
		return []Button{{}}
	}
	return []Button{a, b}
}

func buildVia[T Component](c T, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return marshal1(c)
}

func carouselOf[T CarouselCard](c T, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	car, err := NewCarousel(nil, c, c)
	if err != nil {
		return nil, err
	}
	return marshal1(car)
}

var oneItem = []Item{{Title: "상품", Description: "설명"}}

var fieldLimits = []fieldLimit{
	{"simpleText.text", 1000, func(s string) ([]byte, error) { return buildVia(NewSimpleText(s)) }},
	{"simpleImage.altText", 50, func(s string) ([]byte, error) { return buildVia(NewSimpleImage(testImg, s)) }},
	{"textCard.title", 50, func(s string) ([]byte, error) { return buildVia(NewTextCard(TextCardSpec{Title: s, Description: "d"})) }},
	{"textCard.description", 400, func(s string) ([]byte, error) { return buildVia(NewTextCard(TextCardSpec{Description: s})) }},
	{"textCard title+description", 350, func(s string) ([]byte, error) {
		return buildVia(NewTextCard(TextCardSpec{Title: strings.Repeat("제", 50), Description: s}))
	}},
	{"textCard.description in carousel", 128, func(s string) ([]byte, error) {
		return carouselOf(NewTextCard(TextCardSpec{Description: s}))
	}},
	{"basicCard.title", 50, func(s string) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Title: s, Thumbnail: Thumbnail{ImageURL: testImg}}))
	}},
	{"basicCard.description", 230, func(s string) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Description: s, Thumbnail: Thumbnail{ImageURL: testImg}}))
	}},
	{"basicCard.thumbnail.altText", 50, func(s string) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg, AltText: s}}))
	}},
	{"commerceCard.title", 30, func(s string) ([]byte, error) {
		return buildVia(NewCommerceCard(CommerceCardSpec{Title: s, Price: 1000, Thumbnail: Thumbnail{ImageURL: testImg}}))
	}},
	{"commerceCard.description", 40, func(s string) ([]byte, error) {
		return buildVia(NewCommerceCard(CommerceCardSpec{Description: s, Price: 1000, Thumbnail: Thumbnail{ImageURL: testImg}}))
	}},
	{"button label", 14, func(s string) ([]byte, error) {
		return buildVia(NewTextCard(TextCardSpec{Description: "d", Buttons: opButton(s)}))
	}},
	{"two horizontal button labels", 8, func(s string) ([]byte, error) {
		return buildVia(NewTextCard(TextCardSpec{Description: "d", Buttons: twoButtons(s), ButtonLayout: LayoutHorizontal}))
	}},
	{"two buttons under a 1:1 thumbnail", 8, func(s string) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg, FixedRatio: true}, Buttons: twoButtons(s)}))
	}},
	{"two vertical buttons", 14, func(s string) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg, FixedRatio: true}, Buttons: twoButtons(s), ButtonLayout: LayoutVertical}))
	}},
	{"quick reply label", 14, func(s string) ([]byte, error) {
		st, _ := NewSimpleText("x")
		q, err := MessageQuickReply(s, "", nil)
		if err != nil {
			return nil, err
		}
		return marshal1(st, q)
	}},
	{"itemCard item title", 6, func(s string) ([]byte, error) {
		return buildVia(NewItemCard(ItemCardSpec{ItemList: []Item{{Title: s, Description: "d"}}}))
	}},
	{"itemCard profile title", 15, func(s string) ([]byte, error) {
		return buildVia(NewItemCard(ItemCardSpec{Profile: &ItemProfile{Title: s}, ItemList: oneItem}))
	}},
	{"itemCard summary title", 6, func(s string) ([]byte, error) {
		return buildVia(NewItemCard(ItemCardSpec{ItemList: oneItem, ItemListSummary: &ItemSummary{Title: s, Description: "1,000원"}}))
	}},
	{"itemCard summary description", 14, func(s string) ([]byte, error) {
		return buildVia(NewItemCard(ItemCardSpec{ItemList: oneItem, ItemListSummary: &ItemSummary{Title: "합계", Description: s}}))
	}},
	{"itemCard title+description", 200, func(s string) ([]byte, error) {
		return buildVia(NewItemCard(ItemCardSpec{ItemList: oneItem, Title: s}))
	}},
	{"itemCard title+description in carousel", 100, func(s string) ([]byte, error) {
		return carouselOf(NewItemCard(ItemCardSpec{ItemList: oneItem, Title: s}))
	}},
}

// TestFieldLimitsProperty: for every text limit, in every script, strings
// of limit−1 and limit runes build and pass kakaospec; limit+1 fails.
func TestFieldLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, f := range fieldLimits {
		for _, a := range alphabets {
			t.Run(f.name+"/"+a.name, func(t *testing.T) {
				for round := 0; round < 5; round++ {
					for _, n := range []int{f.limit - 1, f.limit, f.limit + 1} {
						s := genText(rng, a, n)
						body, err := f.build(s)
						if n <= f.limit {
							if err != nil {
								t.Fatalf("%d runes (limit %d): got %v, want success; text %q", n, f.limit, err, s)
							}
							mustValid(t, body)
						} else if err == nil {
							t.Fatalf("%d runes (limit %d): got success, want an error; text %q", n, f.limit, s)
						}
					}
				}
			})
		}
	}
}

// countLimit builds a response with n of something.
type countLimit struct {
	name  string
	limit int
	build func(n int) ([]byte, error)
}

func nTimes[T any](n int, f func(i int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func shareButtons(n int) []Button {
	return nTimes(n, func(int) Button { b, _ := ShareButton("공유"); return b })
}

func listItems(n int) []ListItem {
	return nTimes(n, func(i int) ListItem { return ListItem{Title: "항목", Action: "message"} })
}

func items(n int) []Item {
	return nTimes(n, func(int) Item { return Item{Title: "상품", Description: "1개"} })
}

var countLimits = []countLimit{
	{"outputs", 3, func(n int) ([]byte, error) {
		return Response{Outputs: nTimes(n, func(int) Component { s, _ := NewSimpleText("안녕"); return s })}.Marshal()
	}},
	{"quick replies", 10, func(n int) ([]byte, error) {
		st, _ := NewSimpleText("메뉴")
		return Response{Outputs: []Component{st}, QuickReplies: nTimes(n, func(int) QuickReply { q, _ := MessageQuickReply("처음으로", "", nil); return q })}.Marshal()
	}},
	{"vertical buttons", 3, func(n int) ([]byte, error) {
		return buildVia(NewTextCard(TextCardSpec{Description: "d", Buttons: shareButtons(n)}))
	}},
	{"horizontal buttons", 2, func(n int) ([]byte, error) {
		return buildVia(NewTextCard(TextCardSpec{Description: "d", Buttons: shareButtons(n), ButtonLayout: LayoutHorizontal}))
	}},
	{"1:1 thumbnail buttons", 2, func(n int) ([]byte, error) {
		return buildVia(NewBasicCard(BasicCardSpec{Thumbnail: Thumbnail{ImageURL: testImg, FixedRatio: true}, Buttons: shareButtons(n)}))
	}},
	{"listCard items", 5, func(n int) ([]byte, error) {
		return buildVia(NewListCard(ListCardSpec{Header: "목록", Items: listItems(n)}))
	}},
	{"listCard items in carousel", 4, func(n int) ([]byte, error) {
		return carouselOf(NewListCard(ListCardSpec{Header: "목록", Items: listItems(n)}))
	}},
	{"itemList", 10, func(n int) ([]byte, error) { return buildVia(NewItemCard(ItemCardSpec{ItemList: items(n)})) }},
	{"itemList in carousel", 5, func(n int) ([]byte, error) { return carouselOf(NewItemCard(ItemCardSpec{ItemList: items(n)})) }},
	{"carousel items", 10, func(n int) ([]byte, error) {
		c, _ := NewBasicCard(BasicCardSpec{Title: "카드", Thumbnail: Thumbnail{ImageURL: testImg}})
		car, err := NewCarousel(&CarouselHeader{Title: "h", Description: "d", ImageURL: testImg}, nTimes(n, func(int) CarouselCard { return c })...)
		if err != nil {
			return nil, err
		}
		return marshal1(car)
	}},
	{"listCard carousel items", 5, func(n int) ([]byte, error) {
		c, _ := NewListCard(ListCardSpec{Header: "목록", Items: listItems(2)})
		car, err := NewCarousel(nil, nTimes(n, func(int) CarouselCard { return c })...)
		if err != nil {
			return nil, err
		}
		return marshal1(car)
	}},
}

func TestCountLimits(t *testing.T) {
	for _, c := range countLimits {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range []int{c.limit - 1, c.limit, c.limit + 1} {
				body, err := c.build(n)
				if n <= c.limit {
					if err != nil {
						t.Fatalf("n=%d (limit %d): got %v, want success", n, c.limit, err)
					}
					mustValid(t, body)
				} else if err == nil {
					t.Fatalf("n=%d (limit %d): got success, want an error", n, c.limit)
				}
			}
			if c.limit > 1 {
				if _, err := c.build(0); err == nil && c.name != "quick replies" && !strings.Contains(c.name, "buttons") {
					t.Errorf("n=0: got success, want an error")
				}
			}
		})
	}
}

// randomResponse builds a response from random parts near the limits; any
// part may fail to build.
func randomResponse(rng *rand.Rand) ([]byte, error) {
	a := alphabets[rng.IntN(len(alphabets))]
	txt := func(limit int) string {
		n := rng.IntN(limit + 3)
		if n == 0 {
			return ""
		}
		return genText(rng, a, n)
	}
	buttons := func() []Button {
		return nTimes(rng.IntN(4), func(int) Button {
			var b Button
			var err error
			switch rng.IntN(5) {
			case 0:
				b, err = WebLinkButton(txt(15), "https://shop.example.com/p?id=1&x=<y>")
			case 1:
				b, err = MessageButton(txt(15), txt(20), map[string]any{"k": txt(5)})
			case 2:
				b, err = PhoneButton(txt(15), "1588-1234")
			case 3:
				b, err = BlockButton(txt(15), "64f1a2b3c4d5e6f708192a40", "", nil)
			default:
				b, err = OperatorButton(txt(15))
			}
			if err != nil {
				return Button{}
			}
			return b
		})
	}
	layout := []ButtonLayout{LayoutDefault, LayoutVertical, LayoutHorizontal}[rng.IntN(3)]
	card := func() (CarouselCard, error) {
		switch rng.IntN(5) {
		case 0:
			return NewTextCard(TextCardSpec{Title: txt(50), Description: txt(130), Buttons: buttons(), ButtonLayout: layout})
		case 1:
			return NewBasicCard(BasicCardSpec{Title: txt(50), Description: txt(230), Thumbnail: Thumbnail{ImageURL: testImg, FixedRatio: rng.IntN(2) == 0}, Buttons: buttons(), ButtonLayout: layout})
		case 2:
			return NewCommerceCard(CommerceCardSpec{Title: txt(30), Description: txt(40), Price: 10000, DiscountRate: rng.IntN(2) * 10, DiscountedPrice: rng.IntN(2) * 9000,
				Thumbnail: Thumbnail{ImageURL: testImg}, Buttons: buttons(), ButtonLayout: layout})
		case 3:
			return NewListCard(ListCardSpec{Header: txt(20), Items: nTimes(rng.IntN(7), func(int) ListItem { return ListItem{Title: txt(10), Action: "message"} }), Buttons: buttons(), ButtonLayout: layout})
		default:
			return NewItemCard(ItemCardSpec{ItemList: nTimes(rng.IntN(12), func(int) Item { return Item{Title: txt(6), Description: txt(10)} }),
				Title: txt(100), Description: txt(100), Buttons: buttons(), ButtonLayout: layout})
		}
	}
	var r Response
	for range 1 + rng.IntN(4) {
		var c Component
		var err error
		switch rng.IntN(4) {
		case 0:
			c, err = NewSimpleText(txt(1000))
		case 1:
			c, err = card()
		case 2:
			c, err = NewSimpleImage(testImg, txt(50))
		default:
			first, err1 := card()
			if err1 != nil {
				return nil, err1
			}
			cs := []CarouselCard{first}
			for range rng.IntN(11) {
				next, err := card()
				if err != nil {
					return nil, err
				}
				cs = append(cs, next)
			}
			c, err = NewCarousel(nil, cs...)
		}
		if err != nil {
			return nil, err
		}
		r.Outputs = append(r.Outputs, c)
	}
	for range rng.IntN(12) {
		q, err := MessageQuickReply(txt(14), "", map[string]any{"baton": map[string]string{"v": "1", "n": "main", "o": txt(3)}})
		if err != nil {
			return nil, err
		}
		r.QuickReplies = append(r.QuickReplies, q)
	}
	return r.Marshal()
}

// TestSlowRandomResponsesValidate: every response the builders accept passes
// the independent validator.
func TestSlowRandomResponsesValidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	built, rejected := 0, 0
	n := 5000
	if testing.Short() {
		n = 500
	}
	for range n {
		body, err := randomResponse(rng)
		if err != nil {
			rejected++
			continue
		}
		built++
		mustValid(t, body)
	}
	t.Logf("built %d, rejected %d", built, rejected)
	if built < n/20 || rejected < n/20 {
		t.Errorf("generator is lopsided: built %d, rejected %d of %d", built, rejected, n)
	}
}

// FuzzBuilders feeds arbitrary strings into every constructor: whatever
// builds must pass the independent validator.
func FuzzBuilders(f *testing.F) {
	f.Add("제목", "설명 텍스트", "라벨", "https://a.example/x", 3)
	f.Add(" ", "\t", "\u200b", "http://a", 0)
	f.Fuzz(func(t *testing.T, a, b, c, u string, n int) {
		n = (n%12 + 12) % 12
		btns := func() []Button {
			var out []Button
			for i := range n % 4 {
				var bt Button
				var err error
				switch i {
				case 0:
					bt, err = MessageButton(c, b, map[string]string{"x": a})
				case 1:
					bt, err = WebLinkButton(c, u)
				case 2:
					bt, err = BlockButton(c, a, b, nil)
				default:
					bt, err = PhoneButton(c, a)
				}
				if err != nil {
					return nil
				}
				out = append(out, bt)
			}
			return out
		}
		layout := []ButtonLayout{LayoutDefault, LayoutVertical, LayoutHorizontal}[n%3]
		var comps []Component
		add := func(c Component, err error) {
			if err == nil {
				comps = append(comps, c)
			}
		}
		add(NewSimpleText(a))
		add(NewSimpleImage(u, b))
		tc, err := NewTextCard(TextCardSpec{Title: a, Description: b, Buttons: btns(), ButtonLayout: layout})
		add(tc, err)
		if err == nil {
			add(NewCarousel(nil, nTimes(n%11+1, func(int) CarouselCard { return tc })...))
		}
		add(NewBasicCard(BasicCardSpec{Title: a, Description: b, Thumbnail: Thumbnail{ImageURL: u, AltText: c, FixedRatio: n%2 == 0}, Buttons: btns(), ButtonLayout: layout}))
		add(NewCommerceCard(CommerceCardSpec{Title: a, Description: b, Price: n, DiscountRate: n, DiscountedPrice: n, Thumbnail: Thumbnail{ImageURL: u}, Profile: &Profile{Nickname: c}}))
		add(NewListCard(ListCardSpec{Header: a, Items: nTimes(n%7, func(int) ListItem { return ListItem{Title: b, Description: c, Action: "message", ImageURL: u} })}))
		add(NewItemCard(ItemCardSpec{Head: &ItemHead{Title: c}, ItemList: nTimes(n, func(int) Item { return Item{Title: c, Description: b} }),
			ItemListSummary: &ItemSummary{Title: c, Description: b}, Title: a, Description: b, Buttons: btns(), ButtonLayout: layout}))
		var qrs []QuickReply
		for range n {
			if q, err := MessageQuickReply(c, b, nil); err == nil {
				qrs = append(qrs, q)
			}
			if q, err := BlockQuickReply(c, a, b, nil); err == nil {
				qrs = append(qrs, q)
			}
		}
		var ctx []ContextValue
		if cv, err := NewContextValue(a, n, n, map[string]string{b: c}); err == nil {
			ctx = append(ctx, cv)
		}
		for i := range comps {
			for _, group := range []bool{false, true} {
				if body, err := (Response{Outputs: comps[i : i+1], QuickReplies: qrs, Context: ctx, Data: map[string]string{a: b}, Group: group}).Marshal(); err == nil {
					mustValid(t, body)
				}
			}
		}
		if body, err := CallbackResponse(map[string]string{a: b}, ctx...); err == nil {
			mustValid(t, body)
		}
	})
}
