package fsm

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/baton-chat/baton/faq"
)

// What a shopper of the example shop (configs/example.yaml) types on the
// main menu, through the real engine and FAQ index (exampleShop), from the
// review of the FAQ matcher. Each case lists the outcomes a human agent
// would accept, as "kind:node" of the turn record ("faq:ship-fee",
// "no_match:"); "clarify:*" accepts a clarify question whatever it lists
// first. A failure prints the outcome and the matcher's top three.

type faqShopperCase struct {
	say string
	ok  []string
}

func runFAQShopper(t *testing.T, cases []faqShopperCase) {
	t.Helper()
	e, cfg := exampleShop(t)
	ix, _ := e.matcher.(*faq.Index)
	for _, tc := range cases {
		t.Run(tc.say, func(t *testing.T) {
			c := welcomedBot()
			c.ConfigVersion = cfg.Version
			o := e.Step(c, text(tc.say))
			got := o.Record.Kind + ":" + o.Record.Node
			if slices.Contains(tc.ok, got) || (o.Record.Kind == "clarify" && slices.Contains(tc.ok, "clarify:*")) {
				return
			}
			rank := ""
			if ix != nil {
				var b strings.Builder
				for _, s := range ix.Rank(tc.say, "", 3) {
					fmt.Fprintf(&b, " %s %.2f", s.ID, s.Score)
				}
				rank = b.String()
			}
			t.Errorf("%q: got %s (score %.2f), want one of %v; rank:%s", tc.say, got, o.Record.Score, tc.ok, rank)
		})
	}
}

// TestFAQShopperContrastTopic: "X 말고 Y" / "X 안 하고 Y" turns X down and
// asks for Y; an entry about X is no answer (faq/contrast.go). And an
// entry text that says "X 안 하고" (order-guest's "회원가입 안 하고 샀어요")
// does not answer a wish to do X: "회원가입 하고 싶어요" is the menu
// label "회원가입" with an intent ending (faq/exact.go). The first of
// those is the shop set's test row of account-signup.
func TestFAQShopperContrastTopic(t *testing.T) {
	runFAQShopper(t, []faqShopperCase{
		{"배송 조회 말고 배송비 알려주세요", []string{"faq:ship-fee"}},
		{"배송 조회 말고 배송비요", []string{"faq:ship-fee"}},
		{"반품비 말고 배송비요", []string{"faq:ship-fee"}},
		{"취소 말고 교환할래요", []string{"faq:exchange-how"}},
		{"취소 말고 반품할래요", []string{"faq:return-how"}},
		{"주문 취소 말고 반품하고 싶어요", []string{"faq:return-how"}},
		{"교환 말고 반품하고 싶어요", []string{"faq:return-how"}},
		{"배송지 변경 말고 주문 취소요", []string{"faq:order-cancel"}},
		{"적립금 말고 쿠폰은 어떻게 써요", []string{"faq:coupon-use"}},
		{"회원가입 하고싶어요", []string{"faq:account-signup"}},
		{"회원가입 하고 싶어요", []string{"faq:account-signup"}},
	})
}

// TestFAQShopperGenericPredicate: an entry that shares only a generic
// predicate or request template with the query (변경하고 싶어요, 입력해요,
// 방법 알려주세요) has no topic evidence (faq/topic.go) and does not answer
// an object it never mentions.
func TestFAQShopperGenericPredicate(t *testing.T) {
	none := "no_match:"
	runFAQShopper(t, []faqShopperCase{
		{"이메일 변경하고 싶어요", []string{"faq:account-info", none}},
		{"휴대폰 번호 변경하고 싶어요", []string{"faq:account-info", none}},
		{"닉네임 변경하고 싶어요", []string{"faq:account-info", none}},
		{"아이디 변경하고 싶어요", []string{"faq:account-info", none}},
		{"비밀번호 변경하고 싶어요", []string{"faq:account-password", "faq:account-info", none}},
		{"환불 계좌 변경하고 싶어요", []string{none}},
		{"쿠폰 어디에 입력해요", []string{"faq:coupon-use", none}},
		{"반품 방법 알려주세요", []string{"faq:return-how"}},
		{"선물 포장 방법 알려주세요", []string{"faq:product-gift"}},
	})
}

// TestFAQShopperOffDomainRecommend: "X 추천해 줘" about anything (films,
// books, lunch, stocks) shares only 추천 with product-size ("사이즈 추천해
// 주세요") and gets no answer. shq0152 "노래 추천해줘" is the shop set's
// out-of-scope dev row.
func TestFAQShopperOffDomainRecommend(t *testing.T) {
	none := []string{"no_match:"}
	runFAQShopper(t, []faqShopperCase{
		{"노래 추천해줘", none},
		{"영화 추천해줘", none},
		{"책 추천해 주세요", none},
		{"점심 메뉴 추천해줘", none},
		{"주식 추천해줘", none},
		{"맛집 추천해줘", none},
	})
}

// TestFAQShopperReturnIntent: "반품할래요" and its kin are return-how, as
// "교환할래요" is exchange-how: with its intent ending (할래요, 할게요, 하고
// 싶어요, 문의, 접수) dropped it is return-how's alternate "반품 접수", the
// same exact text (faq/exact.go).
func TestFAQShopperReturnIntent(t *testing.T) {
	how := []string{"faq:return-how"}
	howOrAsk := []string{"faq:return-how", "clarify:*"}
	runFAQShopper(t, []faqShopperCase{
		{"반품할래요", how},
		{"반품 할래요", how},
		{"반품할래요!!", how},
		{"반품할래요 😡", how},
		{"반품할게요", how},
		{"반품할래", how},
		{"반품", howOrAsk},
		{"반품요", howOrAsk},
		{"반품 문의", howOrAsk},
	})
}

// TestFAQShopperEscalationWish: a wish to talk with an agent ("상담원이랑
// 얘기하고 싶어요", "상담원과 대화를 원합니다") asks for a human, as
// "직원이랑 얘기하고 싶어요" did already: the escalation's confirm question,
// not cs-phone or cs-hours with 상담원 연결 as a button (fsm/keywords.go
// imperatives).
func TestFAQShopperEscalationWish(t *testing.T) {
	agent := []string{"confirm:general"}
	runFAQShopper(t, []faqShopperCase{
		{"상담원이랑 얘기하고 싶어요", agent},
		{"상담원이랑 대화하고 싶어요", agent},
		{"실제 상담원이랑 대화하고 싶어요", agent},
		{"상담원분이랑 이야기하고 싶어요", agent},
		{"상담사랑 채팅하고 싶어요", agent},
		{"상담사님이랑 얘기하고 싶어요", agent},
		{"상담원이랑 상담하고 싶습니다", agent},
		{"상담원과 대화를 원합니다", agent},
		{"직원이랑 얘기하고 싶어요", agent},
	})
}
