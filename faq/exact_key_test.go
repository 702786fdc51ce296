package faq

import "testing"

// TestExactKeyAgreesWithIndex: two entries' texts have one ExactKey exactly
// when the index stops answering the text by exact match (score 1).
func TestExactKeyAgreesWithIndex(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"배송비는 얼마인가요?", "배송비는 얼마인가요", true},
		{"전화번호", "전화번호요", true},
		{"전화 번호", "전화번호!", true},
		{"배송비 얼마예요ㅠㅠ", "배송비 얼마예요", true},
		{"배송비", "배송 기간", false},
		{"회원 탈퇴", "회원 탈퇴 취소", false},
	} {
		t.Run(tc.a+"|"+tc.b, func(t *testing.T) {
			if got := ExactKey(tc.a) == ExactKey(tc.b); got != tc.same {
				t.Errorf("ExactKey(%q) == ExactKey(%q): got %v, want %v", tc.a, tc.b, got, tc.same)
			}
			ix, err := New([]Entry{
				{ID: "x", Question: tc.a, Answer: "가"},
				{ID: "y", Question: tc.b, Answer: "나"},
				{ID: "z", Question: "주문 취소는 어떻게 하나요?", Answer: "다"},
			}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ix.Decide(tc.a, "")
			if exact := d.Score == 1 && d.ID == "x"; exact == tc.same {
				t.Errorf("Decide(%q): got %v %q score %.3f, want an exact answer from x: %v", tc.a, d.Kind, d.ID, d.Score, !tc.same)
			}
		})
	}
}
