package fsm

import "testing"

func TestPickNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"2", 2, true}, {"2번", 2, true}, {"2번이요", 2, true}, {"2번 이요", 2, true}, {"2번요", 2, true},
		{"두 번째요", 2, true}, {"첫번째", 1, true}, {"세번째입니다", 3, true}, {"2번째", 2, true},
		{"네", 0, false}, {"예약이요", 0, false}, {"번째", 0, false}, {"이요", 0, false}, {"배송비요", 0, false},
	} {
		got, ok := pickNumber(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("pickNumber(%q): got %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestConfirmAnswer(t *testing.T) {
	for _, tc := range []struct {
		in      string
		yes, no bool
	}{
		{"넵", true, false}, {"네네", true, false}, {"ㅇㅇ", true, false}, {"연결해줘", true, false},
		{"네 부탁드려요", true, false}, {"네~ 연결해 주세요!", true, false},
		{"아뇨 괜찮아요", false, true}, {"됐어요", false, true}, {"아니요 괜찮습니다", false, true},
		{"안 돼요?", false, false}, {"안 돼요", false, false}, {"네?", false, false}, {"예약 변경", false, false},
		{"네 아니요", false, false}, {"배송비 얼마예요", false, false}, {"", false, false},
	} {
		yes, no := confirmAnswer(tc.in)
		if yes != tc.yes || no != tc.no {
			t.Errorf("confirmAnswer(%q): got yes %v no %v, want yes %v no %v", tc.in, yes, no, tc.yes, tc.no)
		}
	}
}

func TestCancelAnswer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"상담 취소해주세요", true}, {"취소할래요", true}, {"상담 안 할래요", true}, {"대기 취소요", true},
		{"주문 취소하고 싶어요", false}, {"취소할래요?", false}, {"안", false}, {"상담", false}, {"", false},
	} {
		if got := cancelAnswer(tc.in); got != tc.want {
			t.Errorf("cancelAnswer(%q): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestTypedScore(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"5", 5, true}, {"5점", 5, true}, {"５점", 5, true}, {"4점이요", 4, true}, {"1 점", 1, true},
		{"5점 드려요", 5, true}, {"4점 드릴게요", 4, true}, {"3점 줄게요", 3, true}, {"2점이에요", 2, true},
		{"5점입니다", 5, true}, {"5요", 5, true}, {"다섯 점", 5, true}, {"네 점이요", 4, true},
		{"한점", 1, true}, {"만점", 5, true}, {"만점 드립니다", 5, true}, {"만점이요!", 5, true},
		{"6점", 0, false}, {"0", 0, false}, {"점", 0, false}, {"좋아요", 0, false}, {"네", 0, false},
		{"다섯", 0, false}, {"네 좋아요", 0, false}, {"6점 드려요", 0, false}, {"드려요", 0, false},
		{"이점", 0, false}, {"오점", 0, false}, {"5점 드려요?", 5, true}, {"감사합니다", 0, false},
		{"10점 만점에 10점", 0, false}, {"5 4", 0, false},
		{"별 다섯개", 5, true}, {"별 5개", 5, true}, {"별 다섯 개요", 5, true}, {"별 네개 드릴게요", 4, true},
		{"별 하나요", 0, false}, {"별 한개", 1, true}, {"별점 3개", 3, true}, {"별점 4점", 4, true}, {"별 １개", 1, true},
		{"별 6개", 0, false}, {"별 0개", 0, false}, {"별 열개", 0, false}, {"별 만개", 0, false}, {"별로요", 0, false},
		{"별 다섯", 0, false}, {"다섯개", 0, false}, {"5개", 0, false}, {"별로 안 좋아요", 0, false}, {"별점", 0, false},
		{"5점 만점", 5, true}, {"5점 만점이에요", 5, true}, {"5점 만점에 5점", 5, true}, {"5점 만점에 4점 드려요", 4, true},
		{"5점 만점에 만점", 5, true}, {"5점 만점에 6점", 0, false}, {"5점 만점에", 0, false}, {"4점 만점", 0, false},
		{"10점 만점", 0, false}, {"5점 만점에 10점", 0, false},
		{"백점", 5, true}, {"100점", 5, true}, {"백점이요", 5, true}, {"100점 드려요", 5, true}, {"백점 만점이에요", 5, true},
		{"100", 0, false}, {"90점", 0, false}, {"99점", 0, false}, {"백", 0, false}, {"천점", 0, false},
		{"100점 만점에 90점", 0, false}, {"100점 만점에 100점", 0, false}, {"1000점", 0, false},
		{"⭐⭐⭐⭐⭐", 5, true}, {"⭐️⭐️⭐️", 3, true}, {"★★★★", 4, true}, {"🌟", 1, true},
		{"⭐⭐⭐⭐⭐⭐", 0, false}, {"★★★☆☆", 3, true}, {"★☆☆☆☆", 1, true}, {"★★★★★", 5, true},
		{"☆☆☆☆☆", 0, false}, {"★★★☆", 0, false}, {"★★★☆☆☆", 0, false}, {"⭐ 5", 5, true}, {"⭐좋아요", 0, false},
		{"5점이요~", 5, true}, {"5점 ㅋㅋ", 5, true}, {"ㅎㅎ 4점", 4, true}, {"5점 줄게요 ㅎㅎ", 5, true},
		{"5점 드려요 😊", 5, true}, {"만점이요 👍🏻", 5, true}, {"만점 ❤️", 5, true}, {"3점 ㅠㅠ", 3, true},
		{"ㅋㅋ", 0, false}, {"😊", 0, false}, {"5점 ㅋㅋ 4점", 0, false}, {"6점 ㅎㅎ", 0, false},
	} {
		got, ok := typedScore(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("typedScore(%q): got %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
