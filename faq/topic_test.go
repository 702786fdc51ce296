//go:build !race

package faq

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSlowDecideWithoutTopic: on the example FAQ, utterances that share only a
// request or polite ending, a question word or a filler with an entry get
// NoMatch, while questions with a topic keep their answers.
func TestSlowDecideWithoutTopic(t *testing.T) {
	ix, err := New(loadExampleFAQ(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		kind  Kind
		id    string
	}{
		// the journey audit's lines
		{"연결해 주세요", NoMatch, ""},
		{"답변 좀 해주세요", NoMatch, ""},
		{"아직이에요?", NoMatch, ""},
		// an ending, a question word or a filler alone
		{"해주세요", NoMatch, ""},
		{"다시 해 주세요", NoMatch, ""},
		{"언제요?", NoMatch, ""},
		{"언제 돼요?", NoMatch, ""},
		{"혹시 가능할까요?", NoMatch, ""},
		// with a topic, the same endings still answer
		{"전화번호 알려주세요", Answer, "cs-phone"},
		{"배송 언제 와요", Answer, "ship-time"},
		{"환불 언제 돼요", Answer, "refund-when"},
		{"주말에 상담 가능해요?", Answer, "cs-hours"},
		{"주문 취소 해주세요", Answer, "order-cancel"},
		// an entry sharing only "하고 싶어요" ("탈퇴하고 싶어요") is no
		// rival of one sharing the topic
		{"반품하고 싶어요", Answer, "return-how"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			d := ix.Decide(tt.query, "")
			if d.Kind != tt.kind || d.ID != tt.id {
				t.Errorf("Decide(%q) got %v %q (score %.3f), want %v %q", tt.query, d.Kind, d.ID, d.Score, tt.kind, tt.id)
			}
			// Since an entry without topic evidence is dropped whenever a
			// lower-ranked one has some (rankWith), "다시 해 주세요" is
			// scored against coupon-restore's "다시 주나요" (0.005) rather
			// than given 0; it must stay far below any answer.
			if tt.kind == NoMatch && d.Score >= 0.1 {
				t.Errorf("Decide(%q) got score %.3f, want below 0.1 without a shared topic", tt.query, d.Score)
			}
		})
	}
}

// TestSlowRankDropsRivalsWithoutTopic: when the best entry shares a topic
// with the query, an entry that shares only an ending with it is not ranked.
func TestSlowRankDropsRivalsWithoutTopic(t *testing.T) {
	ix, err := New(loadExampleFAQ(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := ix.Rank("반품하고 싶어요", "", 5)
	if len(got) == 0 || got[0].ID != "return-how" {
		t.Fatalf("Rank(반품하고 싶어요) = %v, want return-how first", got)
	}
	for _, s := range got {
		if s.ID == "account-withdraw" {
			t.Errorf("Rank(반품하고 싶어요) = %v: account-withdraw shares only 하고 싶어요", got)
		}
	}
}

// TestSlowShopNoTopicRows: every oos_no_topic row of the shop query set (both
// splits) is a NoMatch.
func TestSlowShopNoTopicRows(t *testing.T) {
	ix, err := New(loadExampleFAQ(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range loadQueries(t, filepath.Join("..", "testdata", "shop-faq", "queries.jsonl")) {
		if q.Kind != "oos_no_topic" {
			continue
		}
		n++
		if d := ix.Decide(q.Query, ""); d.Kind != NoMatch {
			t.Errorf("%s %q: got %v %s %v, want no_match", q.QID, q.Query, d.Kind, d.ID, d.Candidates)
		}
	}
	if n < 10 {
		t.Fatalf("got %d oos_no_topic rows, want at least 10", n)
	}
}

// TestSlowMarkFunction: the runes inside function words are marked, the
// others not.
func TestSlowMarkFunction(t *testing.T) {
	tests := []struct{ text, want string }{
		{"연결해주세요", "__####"},
		{"답변좀해주세요", "__#####"},
		{"아직이에요", "#####"},
		{"전화번호알려주세요", "____#####"},
		{"배송언제와요", "__##__"},
		{"반품", "__"},
	}
	for _, tt := range tests {
		rs := []rune(tt.text)
		mask := make([]bool, len(rs))
		markFunction(mask, rs)
		var b strings.Builder
		for _, m := range mask {
			if m {
				b.WriteByte('#')
			} else {
				b.WriteByte('_')
			}
		}
		if got := b.String(); got != tt.want {
			t.Errorf("markFunction(%q) got %s, want %s", tt.text, got, tt.want)
		}
	}
}

// TestSlowLonePhoneNumberWord: on the example FAQ a lone "전화번호" (or
// "전화번호요") asks for the customer-service number (cs-phone), not how
// to change one's own number (account-info), which keeps its own phrasings.
func TestSlowLonePhoneNumberWord(t *testing.T) {
	ix, err := New(loadExampleFAQ(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, id string }{
		{"전화번호", "cs-phone"},
		{"전화번호요", "cs-phone"},
		{"전화번호?", "cs-phone"},
		{"전화번호 알려주세요", "cs-phone"},
		{"전화번호 바꾸기", "account-info"},
		{"전화번호 수정", "account-info"},
		{"전화번호 바꾸고 싶어요", "account-info"},
	} {
		if d := ix.Decide(tt.query, ""); d.Kind != Answer || d.ID != tt.id {
			t.Errorf("Decide(%q): got %v %q (score %.3f), want %v %q", tt.query, d.Kind, d.ID, d.Score, Answer, tt.id)
		}
	}
}
