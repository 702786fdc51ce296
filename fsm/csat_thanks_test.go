package fsm

import (
	"testing"
	"time"
)

// TestCSATScoreWithThanks: after the CSAT question ("1점부터 5점까지 골라
// 주세요") a Korean user very often thanks the agent beside the score:
// "5점이요 감사합니다", "5점 드릴게요 감사해요", "감사합니다 5점이요". The
// score is recorded for the handoff asked about, as the tap or "5점이요"
// records it: thanks are courtesies, as the polite fillers of a confirm
// answer are. They made the turn plain text: no score, texts.no_match and
// an FAQ miss (a second one escalated with faq_misses).
func TestCSATScoreWithThanks(t *testing.T) {
	e, _ := exampleShop(t)
	c := welcomedBot()
	c.ConfigVersion = e.version
	c.State, c.HandoffID, c.Queue, c.StateSince = StateHuman, "h-old", "general", t0.Add(-time.Hour)
	asked := e.Step(c, text("감사합니다"))
	if asked.Conversation.CSATPending != CSATFromReply+":h-old" {
		t.Fatalf("setup: the CSAT question was not asked: pending %q, %q", asked.Conversation.CSATPending, allText(asked.Reply))
	}
	for _, say := range []string{"5점이요 감사합니다", "5점 드릴게요 감사해요", "감사합니다 5점이요", "5점이요, 감사합니다!",
		"감사합니다~ 5점", "5점 수고하셨습니다", "⭐⭐⭐⭐⭐ 감사합니다"} {
		in := text(say)
		in.Now = t0.Add(time.Minute)
		got := e.Step(asked.Conversation, in)
		if got.CSAT == nil || got.CSAT.Score != 5 || got.CSAT.Handoff != "h-old" || got.Conversation.FAQMisses != 0 {
			t.Errorf("%q after the CSAT question: got csat %+v, record %+v, misses %d, %.50q; want 5점 for h-old",
				say, got.CSAT, got.Record, got.Conversation.FAQMisses, allText(got.Reply))
		}
	}
}

// TestScoreCourtesyReadsOnlyAScore: the thanks around a score are cut, but
// what is left must still be a score: thanks alone, or thanks beside
// another word, are none; "4번" with thanks is still a position (4번, not
// 4점: csat_unclear).
func TestScoreCourtesyReadsOnlyAScore(t *testing.T) {
	for _, tc := range []struct {
		in                string
		score             int
		byPosition, valid bool
	}{
		{"5점이요 감사합니다", 5, false, true},
		{"감사합니다 3", 3, false, true},
		{"4번이요 감사합니다", 4, true, true},
		{"감사합니다", 0, false, false},
		{"감사합니다 수고하셨어요", 0, false, false},
		{"좋았어요 감사합니다", 0, false, false},
		{"감사합니다 6점", 0, false, false},
		{"배송 5일 걸렸어요 감사합니다", 0, false, false},
	} {
		s, p, ok := readScore(tc.in)
		if s != tc.score || p != tc.byPosition || ok != tc.valid {
			t.Errorf("readScore(%q): got %d, %v, %v; want %d, %v, %v", tc.in, s, p, ok, tc.score, tc.byPosition, tc.valid)
		}
	}
}
