package fsm

import (
	"testing"
	"unicode/utf8"
)

// TestTruncateLabelAtWord checks that a label is cut at a space near the
// limit rather than inside a word, keeps a cut that already ends a word,
// falls back to a grapheme cut when no space is near, and never exceeds
// maxLabelRunes runes.
func TestTruncateLabelAtWord(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"배송 조회", "배송 조회"},
		{"  배송 조회  ", "배송 조회"},
		{"반품 기간이 지났는데 반품할 수 있나요?", "반품 기간이 지났는데…"},
		{"품절된 상품은 언제 재입고되나요?", "품절된 상품은 언제…"},
		{"주문을 취소하면 사용한 쿠폰은 돌려받나요?", "주문을 취소하면 사용한…"}, // the cut is at a space
		{"아주아주아주아주 긴 버튼 라벨입니다", "아주아주아주아주 긴 버튼…"},    // the cut ends a word
		{"반품기간이지났는데반품할수있나요", "반품기간이지났는데반품할수…"},       // no space: grapheme cut
		{"가 나다라마바사아자차카타파하", "가 나다라마바사아자차카타…"},        // space too far back
		{"👨‍👩‍👧‍👦 가족 선물 포장 서비스 안내입니다", "👨‍👩‍👧‍👦 가족 선물…"},
		{"가나다라마바사아 👨‍👩‍👧‍👦", "가나다라마바사아…"}, // a ZWJ cluster is never split
	} {
		t.Run(tc.in, func(t *testing.T) {
			got := truncateLabel(tc.in)
			if got != tc.want {
				t.Errorf("truncateLabel(%q): got %q, want %q", tc.in, got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > maxLabelRunes {
				t.Errorf("truncateLabel(%q): got %d runes, want <= %d", tc.in, n, maxLabelRunes)
			}
		})
	}
}
