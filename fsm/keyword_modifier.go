package fsm

import (
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// keywordModifiers are the folded words that, right before a short word,
// make it name someone else: "받는 사람", "보내는 사람", "주문한 사람" are
// the recipient, the sender and the buyer, not a human agent. A long
// escalation keyword that starts with a short word ("사람 바꿔", "사람이랑")
// is not that keyword after one of them: "받는 사람 바꿔주세요" asks to
// change the recipient.
var keywordModifiers = []string{
	"받는", "받을", "받은", "받으실", "받으시는", "받으신",
	"보내는", "보낸", "보낼", "보내실", "보내시는", "보내신",
	"주문한", "주문하는", "주문할", "주문하신", "주문하시는",
	"구매한", "구매하는", "구매하신", "결제한", "결제하는", "결제하신",
	"선물한", "선물하는", "선물할", "선물하신",
	"수령하는", "수령할", "수령하실", "예약한", "예약하는", "예약하신",
	"가입한", "등록한", "등록된", "적힌", "입력한", "입력된",
}

// staffWords are the folded short words that name staff themselves: after
// a keywordModifiers word they still do ("전화 받은 직원이랑 통화하고
// 싶어요", "예약 받은 직원 연결해 주세요" ask for a human), so a keyword
// that starts with one is never headed.
var staffWords = []string{"직원", "상담", "점원", "담당", "사장", "점장", "팀장"}

// headedKeywords returns, of keywords, the folded long ones whose first
// word is a short word (isShortKeyword), alone or with one of
// keywordEndings, that does not name staff (staffWords): "사람 바꿔",
// "사람이랑", but not "직원 연결", "상담원 연결" or "1:1 문의". Those are
// refused after a keywordModifiers word (keywordIn).
func headedKeywords(keywords []string) map[string]bool {
	headed := make(map[string]bool)
	for _, k := range keywords {
		n := configs.Fold(k)
		if n == "" || isShortKeyword(n) {
			continue
		}
		words := strings.Fields(k)
		if len(words) == 0 {
			continue
		}
		if w := configs.Fold(words[0]); shortWord(w) && !namesStaff(w) {
			headed[n] = true
		}
	}
	return headed
}

// shortWord reports whether the folded word w is a short keyword
// (isShortKeyword) or one followed by one of keywordEndings ("사람이랑").
func shortWord(w string) bool {
	if isShortKeyword(w) {
		return true
	}
	for i, n := 0, 0; i < len(w) && n < shortKeywordRunes; n++ {
		_, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if isShortKeyword(w[:i]) && keywordEndings[w[i:]] {
			return true
		}
	}
	return false
}

// namesStaff reports whether the folded word w starts with one of
// staffWords: "직원", "직원이랑".
func namesStaff(w string) bool {
	for _, s := range staffWords {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// keywordIn reports whether the folded keyword k occurs in the folded
// utterance n. When headed is true (headedKeywords), an occurrence right
// after one of keywordModifiers does not count: "받는사람바꿔주세요" does
// not hold "사람바꿔", "받는사람바꿔서사람바꿔주세요" does.
func keywordIn(n, k string, headed bool) bool {
	if !headed {
		return strings.Contains(n, k)
	}
	for from := 0; ; {
		i := strings.Index(n[from:], k)
		if i < 0 {
			return false
		}
		at := from + i
		if !modified(n[:at]) {
			return true
		}
		from = at + len(k)
	}
}

// modified reports whether the folded text before ends with one of
// keywordModifiers.
func modified(before string) bool {
	for _, m := range keywordModifiers {
		if strings.HasSuffix(before, m) {
			return true
		}
	}
	return false
}
