package faq

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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

func TestDecideConcurrentWithRebuild(t *testing.T) {
	ix, err := New(shopEntries(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := ix.Decide("반품하고싶어요ㅋㅋ", "")
	h := NewHolder(ix)
	done := make(chan struct{})
	var errs = make(chan string, 8)
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 300; i++ {
				if got := h.Decide("반품하고싶어요ㅋㅋ", ""); got.Kind != want.Kind || got.ID != want.ID {
					errs <- fmt.Sprintf("got %v %q, want %v %q", got.Kind, got.ID, want.Kind, want.ID)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		if err := h.Rebuild(shopEntries(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Rebuild([]Entry{{ID: "x"}}, Options{}); err == nil {
		t.Errorf("Rebuild with an empty question got nil error, want one")
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := (&Holder{}).Decide("배송", ""); got.Kind != NoMatch {
		t.Errorf("zero Holder got %v, want no_match", got.Kind)
	}
}

func TestDecideDeterministic(t *testing.T) {
	a, _ := New(shopEntries(), Options{})
	b, _ := New(shopEntries(), Options{})
	for _, q := range []string{"배송 언제 와요", "환불", "상담원 몇시까지", "ㅋㅋㅋ", "???"} {
		if da, db := a.Decide(q, ""), b.Decide(q, ""); !cmp.Equal(da, db) {
			t.Errorf("Decide(%q) differs between two builds: %+v vs %+v", q, da, db)
		}
	}
}

func TestCategoryBonusNeverExcludes(t *testing.T) {
	ix, err := New(shopEntries(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Asked from the 상담 menu, a clear refund question still finds refund.
	got := ix.Rank("환불은 어떻게 신청하나요", "상담", 2)
	if len(got) == 0 || got[0].ID != "refund" {
		t.Errorf("Rank in another category got %v, want refund first", got)
	}
	// The bonus raises entries of the category.
	plain := ix.Rank("언제예요", "", 4)
	fav := ix.Rank("언제예요", "상담", 4)
	score := func(r []Scored, id string) float64 {
		for _, s := range r {
			if s.ID == id {
				return s.Score
			}
		}
		return -1
	}
	if score(fav, "hours") <= score(plain, "hours") {
		t.Errorf("category bonus: got %.3f with category, %.3f without, want higher with", score(fav, "hours"), score(plain, "hours"))
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"배송언제와요ㅠㅠ", "배송언제와요"},
		{"  ＡＢＣ  환불!!  ", "abc 환불"},
		{"상담원 연결ㅋㅋㅋ 해주세요...", "상담원 연결 해주세요"},
		{"ㅠㅠ", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmptyIndex(t *testing.T) {
	ix, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Decide("배송 언제 와요", ""); got.Kind != NoMatch {
		t.Errorf("empty index got %v, want no_match", got.Kind)
	}
	if _, ok := ix.Entry("x"); ok {
		t.Errorf("Entry on empty index got ok, want not found")
	}
}

func TestClarifyOffersCloseCandidates(t *testing.T) {
	es := []Entry{
		{ID: "kakao", Question: "카카오페이로 결제할 수 있나요?"},
		{ID: "naver", Question: "네이버페이로 결제할 수 있나요?"},
		{ID: "refund", Question: "환불은 언제 되나요?"},
	}
	ix, err := New(es, Options{Accept: 0.99, Margin: 0.5, ClarifyMin: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	d := ix.Decide("페이로 결제 되나요", "")
	if d.Kind != Clarify || len(d.Candidates) < 2 || len(d.Candidates) > 3 {
		t.Fatalf("got %v %v, want clarify with 2-3 candidates", d.Kind, d.Candidates)
	}
	seen := map[string]bool{}
	for _, c := range d.Candidates {
		seen[c] = true
	}
	if !seen["kakao"] || !seen["naver"] {
		t.Errorf("got candidates %v, want kakao and naver among them", d.Candidates)
	}
}

// TestRankNone: Rank with k ≤ 0 asks for nothing and gets nothing (it
// panicked with an index out of range).
func TestRankNone(t *testing.T) {
	ix, err := New(shopEntries(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, -1} {
		if got := ix.Rank("배송 언제 와요", "", k); len(got) != 0 {
			t.Errorf("Rank(k=%d) = %v, want none", k, got)
		}
	}
}
