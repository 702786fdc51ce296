package faq

import "testing"

// TestContrastTurnsDownEntry: "X 말고 Y" bars an entry about X (and its
// exact text), keeps X's context ("난방을 회사 말고"), and leaves a text that
// turns something down itself, and a prohibition "…하지 말고", alone.
func TestContrastTurnsDownEntry(t *testing.T) {
	ix, err := New([]Entry{
		{ID: "ship-track", Question: "배송 조회는 어떻게 하나요?", Alternates: []string{"배송 조회"}},
		{ID: "ship-fee", Question: "배송비는 얼마인가요?", Alternates: []string{"택배비 얼마예요?"}},
		{ID: "order-cancel", Question: "주문을 취소하고 싶어요.", Alternates: []string{"주문 취소"}},
		{ID: "exchange-how", Question: "교환은 어떻게 하나요?", Alternates: []string{"교환하고 싶어요"}},
		{ID: "dryer", Question: "건조기 말고 세탁기로 빨래해"},
		{ID: "dryer-on", Question: "건조기 켜 줘"},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, not, want string }{
		{"배송 조회 말고 배송비요", "ship-track", "ship-fee"},
		{"주문 취소 말고 교환할래요", "order-cancel", "exchange-how"},
		{"주문 취소 안 하고 교환하고 싶어요", "order-cancel", "exchange-how"},
		{"건조기 말고 세탁기로 빨래하자", "dryer-on", "dryer"},
	} {
		r := ix.Rank(tt.query, "", 3)
		if len(r) == 0 || r[0].ID != tt.want {
			t.Errorf("Rank(%q) = %v, want %s first", tt.query, r, tt.want)
		}
		for _, s := range r {
			if s.ID == tt.not {
				t.Errorf("Rank(%q) = %v, want %s (turned down) not ranked", tt.query, r, tt.not)
			}
		}
	}
	for _, q := range []string{"배송 조회 하지 말고 배송비", "배송 조회 안 하고 있어요"} {
		if _, _, _, ok := contrastSplit([]rune(compactKey(q)), []rune(q), make([]bool, len([]rune(compactKey(q))))); ok {
			t.Errorf("contrastSplit(%q): got a contrast, want none", q)
		}
	}
}

// TestExactIntentTail: an intent ending on an entry's text or on the
// query is the same exact text ("반품할래요" is "반품하고 싶어요"); a lone
// tail is not stripped to nothing.
func TestExactIntentTail(t *testing.T) {
	for q, want := range map[string]string{
		"반품할래요": "반품", "반품 할게요": "반품", "반품하고 싶어요": "반품", "반품 문의": "반품",
		"반품요": "반품", "반품 접수": "반품", "반품 신청할래요": "반품", "회원가입 하고싶어요": "회원가입", "문의": "문의", "반품 안 할래요": "반품안",
	} {
		if got := ExactKey(q); got != want {
			t.Errorf("ExactKey(%q) = %q, want %q", q, got, want)
		}
	}
}

func compactKey(s string) string {
	rs, _ := appendNormalizedCompact(nil, nil, s)
	return string(rs)
}
