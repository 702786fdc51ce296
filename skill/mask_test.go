package skill

import "testing"

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"배송 언제 와요", "배송 언제 와요"},
		{"1", "1"},
		{"주문번호 2024 3개", "주문번호 2024 3개"},
		{"제 번호는 010-1234-5678 이에요", "제 번호는 010-****-**** 이에요"},
		{"01012345678로 연락주세요", "010********로 연락주세요"},
		{"02-123-4567", "02-***-****"},
		{"주민번호 900101-1234567", "주민번호 ******-*******"},
		{"카드 4111 1111 1111 1111 결제", "카드 **** **** **** **** 결제"},
		{"카드 4111 1111 1111 1112 결제", "카드 4111 1111 1111 1112 결제"}, // fails Luhn: not a card
		{"계좌 110-123-456789 입니다", "계좌 ***-***-****** 입니다"},
		{"메일 kim.minsu@example.co.kr 로", "메일 k********@example.co.kr 로"},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkMask(b *testing.B) {
	for _, s := range []string{"배송 언제 와요", "1", "제 번호는 010-1234-5678 이에요"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				Mask(s)
			}
		})
	}
}
