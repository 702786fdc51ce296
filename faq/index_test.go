package faq

import "testing"

func shopEntries() []Entry {
	return []Entry{
		{ID: "ship-when", Category: "배송", Question: "배송은 언제 오나요?"},
		{ID: "ship-track", Category: "배송", Question: "배송 조회는 어떻게 하나요?"},
		{ID: "refund", Category: "환불", Question: "환불은 어떻게 신청하나요?", Alternates: []string{"반품하고 싶어요"}},
		{ID: "hours", Category: "상담", Question: "상담원 운영 시간이 언제예요?"},
	}
}

func TestDecideBasic(t *testing.T) {
	ix, err := New(shopEntries(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		kind  Kind
		id    string
	}{
		{"배송언제와요ㅠㅠ", Answer, "ship-when"},
		{"환불 신청하고 싶어요", Answer, "refund"},
		{"반품하고싶어요ㅋㅋ", Answer, "refund"},
		{"오늘 날씨 어때", NoMatch, ""},
		{"", NoMatch, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			d := ix.Decide(tt.query, "")
			if d.Kind != tt.kind || d.ID != tt.id {
				t.Errorf("Decide(%q) got %v %q (score %.2f), want %v %q", tt.query, d.Kind, d.ID, d.Score, tt.kind, tt.id)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New([]Entry{{ID: "a", Question: "x"}, {ID: "a", Question: "y"}}, Options{}); err == nil {
		t.Errorf("got nil error for duplicate id, want ErrDuplicateID")
	}
	if _, err := New([]Entry{{ID: "", Question: "x"}}, Options{}); err == nil {
		t.Errorf("got nil error for empty id, want an error")
	}
}
