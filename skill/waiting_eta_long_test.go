package skill_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

// TestWaitingETAOfALongQueue: through the real pipeline and store, a user
// at place 40 of a dealer queue whose one agent has lately taken 15
// minutes a user (store.AcceptStats) is not told "약 600분" — EstimateWait's
// 10 hours, a figure nobody can promise — but texts.eta_long ("3시간
// 이상").
func TestWaitingETAOfALongQueue(t *testing.T) {
	s, db, monday := mondayServer(t)
	h := s.Handler()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		at := monday.Add(-3 * time.Hour).UnixMilli()
		if _, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 43)
			INSERT INTO users (key, first_seen, last_seen) SELECT 'eta-' || i, ?, ? FROM n`, at, at); err != nil {
			return err
		}
		// Four acceptances after 15 minutes each, the last still in
		// session (one agent): handoffs 1..4, made hours ago.
		if _, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 4)
			INSERT INTO handoffs (id, code, user_key, queue, target, created_at, accepted_at, ended_at, end_reason)
			SELECT printf('01JE%022d', i), printf('A%04d', i), 'eta-' || i, 'vip', 'dealer:happytalk',
				? + i * 1800000, ? + i * 1800000 + 900000,
				CASE WHEN i < 4 THEN ? + i * 1800000 + 1200000 END, CASE WHEN i < 4 THEN 'ended' ELSE '' END FROM n`,
			at, at, at); err != nil {
			return err
		}
		// 39 users waiting, all before the user.
		_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 5 UNION ALL SELECT i+1 FROM n WHERE i < 43)
			INSERT INTO handoffs (id, code, user_key, queue, target, created_at)
			SELECT printf('01JE%022d', i), printf('W%04d', i), 'eta-' || i, 'vip', 'dealer:happytalk', ? + i FROM n`,
			monday.Add(-time.Minute).UnixMilli())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.AcceptStats(context.Background(), "vip", monday)
	if err != nil || st.Samples != 4 || st.Median != 15*time.Minute || st.Serving != 1 {
		t.Fatalf("AcceptStats: got %+v, %v; want 4 samples, a 15 min median, 1 serving", st, err)
	}
	toVIP(t, h, "eta-user")
	got := string(turnOf(t, h, payload("eta-user", "언제 연결돼요?")))
	if !strings.Contains(got, "대기 순서 40번") || !strings.Contains(got, "예상 대기 3시간 이상.") {
		t.Errorf("got %s, want place 40 and 예상 대기 3시간 이상", got)
	}
}
