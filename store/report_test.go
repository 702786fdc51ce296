package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedTurns inserts turns (user, utterance, kind, node) one second apart from
// start; test marks test traffic.
func seedTurns(t testing.TB, db *DB, start time.Time, turns [][4]string, test bool) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for i, tr := range turns {
			at := start.Add(time.Duration(i) * time.Second).UnixMilli()
			if _, err := tx.Exec(`INSERT OR IGNORE INTO users(key, first_seen, last_seen) VALUES (?, ?, ?)`, tr[0], at, at); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO turns(id, user_key, at, utterance, kind, node, test) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				NewID(time.UnixMilli(at)), tr[0], at, tr[1], tr[2], tr[3], test); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed turns: %v", err)
	}
}

func TestUnansweredReport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	db, _ := openTestDB(t, Options{Now: func() time.Time { return now }})
	since := now.Add(-7 * 24 * time.Hour)

	// Before the window: not counted.
	seedTurns(t, db, since.Add(-time.Hour), [][4]string{{"u9", "오래된 질문", "no_match", ""}}, false)
	seedTurns(t, db, since.Add(time.Hour), [][4]string{
		{"u1", "반품 배송비 얼마에요?", "no_match", ""},
		{"u1", "반품 배송비 얼마에요", "no_match", ""}, // same question, other punctuation
		{"u1", "배송 조회", "clarify", "ship-track"},
		{"u1", "배송 조회는 어떻게 하나요?", "faq", "ship-track"}, // picked after the clarify
		{"u1", "도움이 안 됐어요", "not_helpful", ""},         // charged to ship-track
		{"u2", "반품  배송비 얼마에요!!", "no_match", ""},
		{"u2", "제 번호 010-****-**** 로 전화 주세요", "no_match", ""},
		{"u2", "교환", "clarify", "exchange-how"},
		{"u2", "상담원", "handoff", "general"}, // clarify ignored
		{"u3", "환불 언제 돼요", "faq", "refund-when"},
		{"u3", "도움이 안 됐어요", "not_helpful", ""},
		{"u3", "환불 언제", "faq", "refund-when"},
		{"u3", "도움이 안 됐어요", "not_helpful", ""},
		{"u3", "처음으로", "menu", "main"},
	}, false)
	// Test traffic: left out.
	seedTurns(t, db, since.Add(2*time.Hour), [][4]string{{"u-test", "테스트 질문", "no_match", ""}}, true)

	got, err := db.UnansweredReport(ctx, since, 10)
	if err != nil {
		t.Fatalf("UnansweredReport: %v", err)
	}
	if got.Turns != 14 || got.NoMatchTurns != 4 || got.Clarifies != 2 || got.ClarifyIgnored != 1 {
		t.Errorf("counts: got turns %d no_match %d clarifies %d ignored %d, want 14 4 2 1",
			got.Turns, got.NoMatchTurns, got.Clarifies, got.ClarifyIgnored)
	}
	type q struct {
		Text         string
		Count, Users int
	}
	var gotQ []q
	for _, x := range got.NoMatch {
		gotQ = append(gotQ, q{x.Text, x.Count, x.Users})
	}
	wantQ := []q{{"반품  배송비 얼마에요!!", 3, 2}, {"제 번호 010-****-**** 로 전화 주세요", 1, 1}}
	if diff := cmp.Diff(wantQ, gotQ); diff != "" {
		t.Errorf("no-match groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FAQCount{{"ship-track", 1}}, got.ClarifyChoices); diff != "" {
		t.Errorf("clarify choices (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FAQCount{{"refund-when", 2}, {"ship-track", 1}}, got.NotHelpful); diff != "" {
		t.Errorf("not helpful (-want +got):\n%s", diff)
	}

	top1, err := db.UnansweredReport(ctx, since, 1)
	if err != nil || len(top1.NoMatch) != 1 || len(top1.NotHelpful) != 1 || top1.NoMatch[0].Count != 3 {
		t.Errorf("limit 1: got %+v, %v", top1, err)
	}
	empty, err := db.UnansweredReport(ctx, now.Add(time.Hour), 10)
	if err != nil || empty.Turns != 0 || empty.NoMatch == nil || len(empty.NoMatch) != 0 {
		t.Errorf("empty window: got %+v, %v; want zero counts and empty (not nil) lists", empty, err)
	}
}

func BenchmarkUnansweredReport(b *testing.B) {
	db, _ := openTestDB(b, Options{})
	start := time.Now().Add(-24 * time.Hour)
	kinds := [][2]string{{"no_match", ""}, {"faq", "ship-track"}, {"clarify", "a"}, {"not_helpful", ""}, {"menu", "main"}}
	var turns [][4]string
	for i := range 10_000 {
		k := kinds[i%len(kinds)]
		turns = append(turns, [4]string{"u" + string(rune('a'+i%50)), "질문 " + string(rune('가'+i%300)), k[0], k[1]})
	}
	seedTurns(b, db, start, turns, false)
	for b.Loop() {
		if _, err := db.UnansweredReport(context.Background(), start, 20); err != nil {
			b.Fatal(err)
		}
	}
}
