package faq

import "testing"

// TestDecideExactText: an utterance that is exactly one entry's question
// or alternate (normalised, spaces and a trailing polite 요 ignored) is
// answered from that entry, even where another entry's longer text shares
// more with it; a text two entries list is left to the ranking.
func TestDecideExactText(t *testing.T) {
	ix, err := New([]Entry{
		{ID: "account-info", Question: "회원 정보를 수정하고 싶어요.", Alternates: []string{"전화번호 바꾸기", "전화번호 수정", "문의"},
			Answer: "마이페이지에서 바꿀 수 있어요."},
		{ID: "cs-phone", Question: "고객센터 전화번호가 뭐예요?", Alternates: []string{"전화번호", "문의"},
			Answer: "1588-0000입니다."},
		{ID: "ship-time", Question: "배송은 얼마나 걸려요?", Answer: "2~3일 걸려요."},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, id string }{
		{"전화번호", "cs-phone"},
		{"전화번호요", "cs-phone"},
		{"전화 번호?", "cs-phone"},
		{"전화번호 바꾸기", "account-info"},
		{"전화번호수정요", "account-info"},
		{"배송은 얼마나 걸려", "ship-time"},
	} {
		d := ix.Decide(tt.query, "")
		if d.Kind != Answer || d.ID != tt.id || d.Score != 1 {
			t.Errorf("Decide(%q): got %v %q (score %.3f), want %v %q (score 1)", tt.query, d.Kind, d.ID, d.Score, Answer, tt.id)
		}
	}
	if d := ix.Decide("문의", ""); d.Score == 1 {
		t.Errorf(`Decide("문의"): got %v %q with score 1, want the ranking's decision for a text two entries list`, d.Kind, d.ID)
	}
	if d := ix.Decide("요", ""); d.Score == 1 {
		t.Errorf(`Decide("요"): got %v %q with score 1, want no exact match`, d.Kind, d.ID)
	}
}
