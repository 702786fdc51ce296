package pii

import (
	"strings"
	"testing"
)

// TestMaskCardFollowedByDigits: a card number followed, in the same run of
// digits and separators, by a few more digits ("3개월", an expiry, a CVC)
// is masked. The card pattern used to match greedily up to 19 digits, the
// longer match failed Luhn, and the card itself was never tried.
func TestMaskCardFollowedByDigits(t *testing.T) {
	for _, tc := range []struct{ in, card string }{
		{"카드 4111 1111 1111 1111 12/27 결제가 안 돼요", "4111 1111 1111 1111"},
		{"카드 4111111111111111 123", "4111111111111111"},
		{"5105 1051 0510 5100 3개월 할부로 결제했어요", "5105 1051 0510 5100"},
	} {
		got := Mask(tc.in)
		if strings.Contains(got, tc.card[5:12]) {
			t.Errorf("Mask(%q) = %q: the card number %q stays readable", tc.in, got, tc.card)
		}
	}
}

// TestMaskAccountWordKeepsOrderNumberAndDate: dates and order numbers
// (20261122-0001234) stay (docs/ops.md "Masking:", Mask's comment), also
// within 12 characters after 환불/입금/…, which say that an account number
// follows — unless what follows is a date, an order number, or named as
// another kind of number.
func TestMaskAccountWordKeepsOrderNumberAndDate(t *testing.T) {
	for _, in := range []string{
		"환불 요청합니다 주문번호 20261122-0001234",
		"2026-11-22에 입금했어요 주문번호 20261122-0001234",
		"환불 언제 되나요? 2026-11-22에 반품했어요 주문번호 1234",
		"환불 주문 2611220012345 확인해 주세요",
	} {
		if got := Mask(in); got != in {
			t.Errorf("Mask(%q) = %q, want it unchanged (a date and an order number)", in, got)
		}
	}
	// An account number after the word is still masked.
	if got, want := Mask("환불 계좌 110 123 456789 입니다"), "환불 계좌 *** *** ****** 입니다"; got != want {
		t.Errorf("account after 환불 계좌: got %q, want %q", got, want)
	}
}

// TestMaskIdempotentAfterStars: "Mask is idempotent" — a second Mask finds
// nothing the first left, also where the stars of the first changed what a
// pattern could reach.
func TestMaskIdempotentAfterStars(t *testing.T) {
	for _, in := range []string{
		"이체 1234567890,1234567890", // reAcctWord: '*' is \D, so the 12-char window reaches further
		"34640528757415 47-771-39", // reCard: after the stars the shorter match passes Luhn
	} {
		m := Mask(in)
		if m2 := Mask(m); m2 != m {
			t.Errorf("Mask(%q) = %q, Mask of that = %q", in, m, m2)
		}
	}
}

// TestMaskCardSpacedDashes: a card number typed with a hyphen or en dash
// between spaces ("4111 - 1111 - 1111 - 1111"), as phone numbers and
// 주민등록번호 are also typed, is masked; so is one with a single space or
// hyphen, as before. A date typed the same way is not a card.
func TestMaskCardSpacedDashes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"카드 4111 - 1111 - 1111 - 1111 로 결제", "카드 **** - **** - **** - **** 로 결제"},
		{"4111 -1111- 1111 - 1111", "**** -****- **** - ****"},
		{"카드 4111 – 1111 – 1111 – 1111", "카드 **** – **** – **** – ****"},
		{"4111-1111-1111-1111", "****-****-****-****"},
		{"4111 1111 1111 1111", "**** **** **** ****"},
		{"2026 - 11 - 22 주문 4111", "2026 - 11 - 22 주문 4111"},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
