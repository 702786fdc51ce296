package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestFAQNoAnswerOnPoliteEnding: on the reference config, utterances that
// share only a polite ending or one common word with an entry get a clarify
// or no-match reply, not that entry's answer ("연결해 주세요" and "답변 좀
// 해주세요" used to get the sizing guide, "전화번호 알려주세요" how to edit
// the member profile, "아직이에요?" the refund schedule). A wrong confident
// answer would also reset faq_misses, so the escalation after repeated
// misses would never come.
func TestFAQNoAnswerOnPoliteEnding(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	for i, tc := range []struct{ say, wrong string }{
		{"연결해 주세요", "사이즈 정보"},
		{"답변 좀 해주세요", "사이즈 정보"},
		{"전화번호 알려주세요", "회원정보 수정"},
		{"아직이에요?", "검수가 끝나면"},
	} {
		s := newSession(t, m, clock, fmt.Sprintf("u-faq-%d", i))
		s.welcome()
		if r := s.say(tc.say); strings.Contains(r.text(), tc.wrong) {
			t.Errorf("%q: got the unrelated answer %q, want a clarify or no-match reply", tc.say, r.text())
		}
	}
}

// TestFAQPoliteEndingsCountAsMisses: two lines in a row that share only an
// ending with the FAQ are two misses, so the escalation after faq_misses
// (2 in the example) is offered.
func TestFAQPoliteEndingsCountAsMisses(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	s := newSession(t, m, clock, "u-faq-misses")
	s.welcome()
	s.say("답변 좀 해주세요")
	if got := s.conv().FAQMisses; got != 1 {
		t.Fatalf("after one line with no topic: got faq_misses %d, want 1", got)
	}
	s.say("아직이에요?")
	s.wantText(configs.DefaultTexts().ConfirmQuestion)
}
