package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pressly/goose/v3"

	"github.com/baton-chat/baton/fsm"
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
	t.Parallel()
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

// reportWriter commits turns and handoff changes through the store's write
// API (Commit), keeping each user's conversation version.
type reportWriter struct {
	t        *testing.T
	db       *DB
	versions map[string]int64
}

// commit writes one change for user at at: a turn when source or kind is
// set, else only what edit adds (a handoff accepted or ended by an event).
func (rw *reportWriter) commit(user string, at time.Time, source, kind, node string, edit func(w *TurnWrite)) {
	rw.t.Helper()
	w := &TurnWrite{
		User: User{Key: user, LastSeen: at},
		Conv: fsm.Conversation{UserKey: user, State: fsm.StateBot, Version: rw.versions[user]},
	}
	if source != "" || kind != "" {
		w.Turn = Turn{At: at, Utterance: "말 " + kind, Kind: kind, Node: node, State: fsm.StateBot, Source: source}
	}
	if edit != nil {
		edit(w)
	}
	if err := rw.db.Commit(context.Background(), w); err != nil {
		rw.t.Fatalf("commit %s %s/%s: %v", user, source, kind, err)
	}
	rw.versions[user] = w.Conv.Version
}

// handoff opens handoff id for user on queue at at, then accepts it after
// wait (none when wait < 0) and ends it for reason at end (none when zero).
func (rw *reportWriter) handoff(id, user, queue string, at time.Time, wait time.Duration, end time.Time, reason string, endOps ...Op) {
	rw.t.Helper()
	rw.commit(user, at, "text", "handoff", queue, func(w *TurnWrite) {
		w.OpenHandoff = &Handoff{ID: id, Code: id, Queue: queue, Target: "notify", CreatedAt: at}
	})
	if wait >= 0 {
		rw.commit(user, at.Add(wait), "", "", "", func(w *TurnWrite) { w.AcceptHandoff = &HandoffAccept{ID: id, At: at.Add(wait)} })
	}
	if !end.IsZero() {
		rw.commit(user, end, "", "", "", func(w *TurnWrite) {
			w.EndHandoff = &HandoffEnd{ID: id, Reason: reason, At: end}
			w.Ops = endOps
		})
	}
}

// TestReportUserTurnsAndHandoffs: the report counts a user's turns —
// typed, tapped, 지식+, custom blocks — and not the welcome, return and Event
// API blocks (by their kind for turns from before turns had a source); a
// clarify followed by an event block and then the FAQ picked counts the
// pick. Per queue it gives the handoffs requested in the window and how they
// stand, the wait to acceptance, and the CSAT figures of the human sessions
// that ended in the window, whenever requested.
func TestReportUserTurnsAndHandoffs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	db, _ := openTestDB(t, Options{Now: func() time.Time { return now }})
	since := now.Add(-24 * time.Hour)
	rw := &reportWriter{t: t, db: db, versions: map[string]int64{}}
	at := since.Add(time.Hour)
	tick := func() time.Time { at = at.Add(time.Second); return at }

	for _, tr := range [][3]string{ // source, kind, node
		{"event", "event", "csat"}, {"returned", "returned", "main"}, // no user's
		{"", "welcome", "main"}, {"", "event_stale", ""}, // no user's, before migration 00022
		{"knowledge", "knowledge", ""}, {"mapped", "faq", "ship-fee"}, {"text", "no_match", ""},
		{"", "faq", "ship-fee"}, // before migration 00022: counted, neither typed nor tapped
		{"tap", "menu", "shipping"},
	} {
		rw.commit("u-a", tick(), tr[0], tr[1], tr[2], nil)
	}
	rw.commit("u-b", tick(), "text", "clarify", "ship-track", nil)
	rw.commit("u-b", tick(), "event", "event", "reopen", nil)
	rw.commit("u-b", tick(), "text", "faq", "ship-fee", nil) // the pick, past the event block
	rw.commit("u-test", tick(), "text", "no_match", "", func(w *TurnWrite) { w.User.Test, w.Turn.Test = true, true })

	// general: taken after 10 s, ended by the agent, asked by the Event API,
	// not rated; taken after 30 s, ended, its question still pending; taken
	// after 10 s, ended, its question's call of unknown outcome;
	// waiting; timed out. vip: taken after 5 s, still with the agent.
	end := at.Add(time.Hour)
	rw.handoff("h-event", "u-c", "general", tick(), 10*time.Second, end, "ended")
	rw.handoff("h-pending", "u-d", "general", tick(), 30*time.Second, end, "ended")
	rw.handoff("h-unknown", "u-j", "general", tick(), 10*time.Second, end, "ended")
	rw.handoff("h-waiting", "u-e", "general", tick(), -1, time.Time{}, "")
	rw.handoff("h-timeout", "u-f", "general", tick(), -1, end, "wait_timeout")
	rw.handoff("h-vip", "u-g", "vip", tick(), 5*time.Second, time.Time{}, "")
	rw.commit("u-t", tick(), "text", "handoff", "general", func(w *TurnWrite) {
		w.User.Test, w.Turn.Test = true, true
		w.OpenHandoff = &Handoff{ID: "h-test", Code: "h-test", Queue: "general", Target: "notify", Test: true, CreatedAt: at}
	})
	// Requested the day before, back with the user in the window: the
	// question rode on the reply of the turn that ended it, rated 5.
	rw.handoff("h-old", "u-h", "general", since.Add(-time.Hour), time.Minute, end, "returned_via_kakao",
		CSATAskedOp("h-old", CSATFromReply))
	rw.commit("u-h", end.Add(time.Second), "text", "csat", "reply:5", func(w *TurnWrite) {
		w.Ops = []Op{CSATAnswerOp("u-h", "h-old", 5, CSATFromReply, false, end.Add(time.Second))}
	})
	// The Event API delivered h-event's question (Kakao accepted the call);
	// h-pending's is not sent yet; h-unknown's call was made but its
	// outcome never recorded (a crash, or an answer that could not be
	// read): marked sent, never resent, and not an asked question.
	for _, n := range []*Notification{
		{UserKey: "u-c", Kind: NotifyCSAT, Ref: "h-event", CreatedAt: end},
		{UserKey: "u-d", Kind: NotifyCSAT, Ref: "h-pending", CreatedAt: end},
		{UserKey: "u-j", Kind: NotifyCSAT, Ref: "h-unknown", CreatedAt: end},
	} {
		rw.commit(n.UserKey, end, "", "", "", func(w *TurnWrite) { w.Ops = []Op{AddNotificationOp(n)} })
		if n.Ref == "h-pending" {
			continue
		}
		send := &EventSend{ID: NewID(end), BotID: "bot", Event: "상담 만족도", Day: "2026-11-22", ReservedWon: 15, CreatedAt: end}
		if err := db.BeginEventSend(ctx, send, []EventItem{{NotificationID: n.ID, UserKey: n.UserKey}}, 1000); err != nil {
			t.Fatalf("BeginEventSend: %v", err)
		}
		if n.Ref == "h-event" {
			err := db.AcceptEventSend(ctx, send.ID, "task-1", end)
			if err != nil {
				t.Fatalf("AcceptEventSend: %v", err)
			}
		} else if err := db.AbandonEventSend(ctx, send.ID, "interrupted", end); err != nil {
			t.Fatalf("AbandonEventSend: %v", err)
		}
	}
	// Rated 2 with no mark of the question (as before migration 00022): an
	// answer says it was asked.
	rw.handoff("h-rated", "u-i", "general", since.Add(-time.Hour), time.Minute, end, "ended")
	rw.commit("u-i", end.Add(2*time.Second), "tap", "csat", "event:2", func(w *TurnWrite) {
		w.Ops = []Op{CSATAnswerOp("u-i", "h-rated", 2, CSATFromEvent, false, end.Add(2*time.Second))}
	})

	got, err := db.UnansweredReport(ctx, since, 10)
	if err != nil {
		t.Fatalf("UnansweredReport: %v", err)
	}
	// u-a 5, u-b 2, six handoff requests (u-h's and u-i's were the day
	// before), u-h's and u-i's scores.
	if got.Turns != 15 || got.TypedTurns != 11 || got.TappedTurns != 2 || got.NotUserTurns != 5 || got.TurnsCounted != TurnsCounted {
		t.Errorf("turns: got %d (%d typed, %d tapped, %d others), want 15 (11 typed, 2 tapped, 5 others)",
			got.Turns, got.TypedTurns, got.TappedTurns, got.NotUserTurns)
	}
	if got.Clarifies != 1 || got.ClarifyIgnored != 0 || !cmp.Equal(got.ClarifyChoices, []FAQCount{{"ship-fee", 1}}) {
		t.Errorf("clarify: got %d (%d ignored) %v, want 1 (0 ignored), ship-fee picked", got.Clarifies, got.ClarifyIgnored, got.ClarifyChoices)
	}
	sec := func(n int64) *int64 { return &n }
	mean := 3.5
	want := []QueueFigures{
		{Queue: "general", Requested: 5, Accepted: 3, Waiting: 1, EndedUnaccepted: map[string]int{"wait_timeout": 1},
			WaitMedianSeconds: sec(10), WaitP90Seconds: sec(30),
			CSAT: CSATFigures{SessionsEnded: 5, Asked: 3, Answered: 2, Scores: [5]int{0, 1, 0, 0, 1}, Mean: &mean}},
		{Queue: "vip", Requested: 1, Accepted: 1, EndedUnaccepted: map[string]int{}, WaitMedianSeconds: sec(5), WaitP90Seconds: sec(5)},
	}
	if diff := cmp.Diff(want, got.Handoffs); diff != "" {
		t.Errorf("handoffs (-want +got):\n%s", diff)
	}
	if empty, err := db.UnansweredReport(ctx, now.Add(time.Hour), 10); err != nil || empty.Handoffs == nil || len(empty.Handoffs) != 0 {
		t.Errorf("empty window: got handoffs %v, %v; want an empty (not nil) list", empty.Handoffs, err)
	}
}

// TestOpenReadOnlyRefusesAnOlderSchema: baton report on a database migrated
// only up to 00021 (a backup, a serve not yet upgraded) says so, rather than
// failing on a column the report reads.
func TestOpenReadOnlyRefusesAnOlderSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baton.db")
	old, err := sql.Open("sqlite3", "file:"+path+"?_synchronous=OFF") // a fixture: no fsync needed
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, old, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 21); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if ro, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrSchemaTooOld) {
		if ro != nil {
			ro.Close()
		}
		t.Fatalf("OpenReadOnly on a 00021 database: got %v, want ErrSchemaTooOld", err)
	}
}

// TestReportCountsTurnsAcrossAClockStep: turns has no index by time
// (migration 00025) and the report reads its window as a range of turn ids
// (ULIDs of the turns' times), so a turn taken in the window counts, and one
// taken before it does not, in whatever order they were stored: here the
// wall clock stepped back by an hour, then by two and a half, across the
// window's start.
func TestReportCountsTurnsAcrossAClockStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC)
	db, _ := openTestDB(t, Options{Now: func() time.Time { return now }})
	since := now.Add(-24 * time.Hour)
	rw := &reportWriter{t: t, db: db, versions: map[string]int64{}}
	for _, c := range []struct {
		user string
		at   time.Time
	}{
		{"u-1", since.Add(-time.Hour)},        // before the window
		{"u-1", since.Add(2 * time.Hour)},     // in it
		{"u-2", since.Add(time.Hour)},         // the clock went back an hour: in it
		{"u-3", since.Add(-30 * time.Minute)}, // back 2½ h, before the window
		{"u-3", since.Add(5 * time.Minute)},   // in it
		{"u-4", since.Add(-time.Millisecond)}, // just before it
		{"u-4", since},                        // its first millisecond
	} {
		rw.commit(c.user, c.at, "text", "no_match", "", nil)
	}
	got, err := db.UnansweredReport(ctx, since, 10)
	if err != nil {
		t.Fatalf("UnansweredReport: %v", err)
	}
	if got.Turns != 4 || got.NoMatchTurns != 4 || len(got.NoMatch) != 1 || got.NoMatch[0].Users != 4 {
		t.Errorf("report: %d turns, %d no-match, groups %+v; want the 4 turns of u-1, u-2, u-3 and u-4 in the window",
			got.Turns, got.NoMatchTurns, got.NoMatch)
	}
}
