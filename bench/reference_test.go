package bench

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// openReference opens ref's handler on a SQLite file in a temp dir and
// serves it on 127.0.0.1; it returns the /skill URL and the file's path.
func openReference(t *testing.T, ref Reference) (*UpsertHandler, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reference.db")
	h, err := OpenUpsertHandler(path, ref)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		if err := h.Close(); err != nil {
			t.Errorf("close %s: %v", ref, err)
		}
	})
	return h, srv.URL + "/skill", path
}

// openSide opens a second connection to the reference's file, as another
// process would: it sees only committed rows.
func openSide(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// post sends body and returns the status and answer.
func post(t *testing.T, u string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(u, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

type sessionRow struct {
	utterance string
	turns     int
	at        int64
}

func readRow(t *testing.T, db *sql.DB, key string) (sessionRow, error) {
	t.Helper()
	var r sessionRow
	err := db.QueryRow(`SELECT utterance, turns, updated_at FROM sessions WHERE user_key = ?`, key).Scan(&r.utterance, &r.turns, &r.at)
	return r, err
}

// TestUpsertHandlerCommitsBeforeAnswer checks each reference's answer
// bytes, and that after each answer another connection already sees the
// turn's row: the write was committed before the answer.
func TestUpsertHandlerCommitsBeforeAnswer(t *testing.T) {
	tr := DefaultTraffic()
	answer, fallback := mustMarshal(menuAnswer()), mustMarshal(fallbackAnswer(DefaultAnswers().FallbackText))
	for _, ref := range References() {
		t.Run(string(ref), func(t *testing.T) {
			_, u, path := openReference(t, ref)
			side := openSide(t, path)
			users := []*user{tr.newUser(7, 1), tr.newUser(7, 2)}
			before := time.Now().Unix()
			for i := 1; i <= 3; i++ {
				for j, usr := range users {
					utt := fmt.Sprintf("배송 언제 와요 %d-%d", j, i)
					status, got := post(t, u, tr.appendPayload(nil, usr, turn{kind: KindFAQ, utterance: utt}))
					if status != http.StatusOK || !bytes.Equal(got, answer) {
						t.Fatalf("turn %d of user %d: got %d %s, want 200 and the fixed answer", i, j, status, got)
					}
					row, err := readRow(t, side, usr.key)
					if err != nil {
						t.Fatalf("turn %d of user %d: row after the answer: %v", i, j, err)
					}
					if row.turns != i || row.utterance != utt || row.at < before || row.at > time.Now().Unix() {
						t.Errorf("turn %d of user %d: got row %+v, want %d turns, utterance %q, time since %d", i, j, row, i, utt, before)
					}
				}
			}
			var n int
			if err := side.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != len(users) {
				t.Errorf("got %d rows (%v), want %d", n, err, len(users))
			}

			// Not a turn: the same answers as the bare handler, no row.
			if status, got := post(t, u, []byte(`{"userRequest":{}}`)); status != http.StatusOK || !bytes.Equal(got, fallback) {
				t.Errorf("no user: got %d %s, want 200 and the fallback", status, got)
			}
			if status, _ := post(t, u, []byte(`{"x":"`+strings.Repeat("a", maxBody)+`"}`)); status != http.StatusRequestEntityTooLarge {
				t.Errorf("too large: got status %d, want 413", status)
			}
			if err := side.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != len(users) {
				t.Errorf("after bodies that are not turns: got %d rows (%v), want %d", n, err, len(users))
			}
		})
	}
}

// TestUpsertHandlerWriteFails checks that a turn whose write fails gets
// the fallback, not the answer.
func TestUpsertHandlerWriteFails(t *testing.T) {
	tr := DefaultTraffic()
	fallback := mustMarshal(fallbackAnswer(DefaultAnswers().FallbackText))
	for _, ref := range References() {
		t.Run(string(ref), func(t *testing.T) {
			_, u, path := openReference(t, ref)
			if _, err := openSide(t, path).Exec(`DROP TABLE sessions`); err != nil {
				t.Fatal(err)
			}
			status, got := post(t, u, tr.appendPayload(nil, tr.newUser(3, 1), turn{kind: KindFAQ, utterance: "환불"}))
			if status != http.StatusOK || !bytes.Equal(got, fallback) {
				t.Errorf("got %d %s, want 200 and the fallback", status, got)
			}
		})
	}
}

// TestUpsertHandlerUnderLoad drives each reference with the benchmark's
// own load (8 connections, users that never leave) and checks every
// user's row: its turn counter equals the turns the client saw answered.
func TestUpsertHandlerUnderLoad(t *testing.T) {
	for _, ref := range References() {
		t.Run(string(ref), func(t *testing.T) {
			_, u, path := openReference(t, ref)
			tr := testTraffic()
			tr.SessionMin, tr.SessionMax = math.MaxInt32, math.MaxInt32
			l := NewLoad(Target{Name: string(ref), URL: u}, tr, DefaultAnswers(), nil, 0, 1)
			p, err := l.Saturate(context.Background(), 8, 0, 300*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if p.Problems() != 0 || p.Counts.OK == 0 {
				t.Fatalf("got %+v (outside %+v, first %q), want OK turns and no problems", p.Counts, p.Outside, p.FirstProblem)
			}
			side := openSide(t, path)
			users := l.pool.queue[l.pool.head:]
			var answered int
			for _, usr := range users {
				row, err := readRow(t, side, usr.key)
				if err != nil || row.turns != usr.turns {
					t.Errorf("user %d turns answered: got row %+v (%v), want %d turns", usr.turns, row, err, usr.turns)
				}
				answered += usr.turns
			}
			var rows, turns int
			if err := side.QueryRow(`SELECT count(*), sum(turns) FROM sessions`).Scan(&rows, &turns); err != nil {
				t.Fatal(err)
			}
			if rows != len(users) || turns != answered || uint64(answered) != p.Counts.OK+p.Outside.OK {
				t.Errorf("got %d rows with %d turns, want %d users with %d turns (%d answered)", rows, turns, len(users), answered, p.Counts.OK+p.Outside.OK)
			}
		})
	}
}

// TestStartReferenceRemovesItsDir checks that a started reference serves
// and that stopping it removes its data directory.
func TestStartReferenceRemovesItsDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	target, stop, err := StartReference(RefUpsertGroup)
	if err != nil {
		t.Fatal(err)
	}
	if target.Name != "upsert-group" || !strings.HasPrefix(target.URL, "http://127.0.0.1:") {
		t.Errorf("got target %+v, want upsert-group on 127.0.0.1", target)
	}
	tr := DefaultTraffic()
	if status, got := post(t, target.URL, tr.appendPayload(nil, tr.newUser(1, 1), turn{kind: KindWelcome})); status != http.StatusOK || !bytes.Equal(got, mustMarshal(menuAnswer())) {
		t.Errorf("got %d %s, want 200 and the fixed answer", status, got)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Errorf("got %d entries in TMPDIR while running, want the reference's dir", len(entries))
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("got %v in TMPDIR after stop, want nothing", entries)
	}
}

func TestParseReferences(t *testing.T) {
	tests := []struct {
		in      string
		want    []Reference
		unknown bool
		err     bool
	}{
		{"", nil, false, false},
		{"upsert", []Reference{RefUpsert}, false, false},
		{"upsert, upsert-group,upsert-group-normal", []Reference{RefUpsert, RefUpsertGroup, RefUpsertGroupNormal}, false, false},
		{"bogus", nil, true, true},
		{"upsert,", nil, true, true},
		{"upsert,upsert", nil, false, true},
	}
	for _, tt := range tests {
		got, err := ParseReferences(tt.in)
		if (err != nil) != tt.err || errors.Is(err, ErrUnknownReference) != tt.unknown {
			t.Errorf("%q: got error %v, want error %v (unknown %v)", tt.in, err, tt.err, tt.unknown)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: got %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, err := OpenUpsertHandler(filepath.Join(t.TempDir(), "x.db"), "bogus"); !errors.Is(err, ErrUnknownReference) {
		t.Errorf("open bogus: got %v, want ErrUnknownReference", err)
	}
	for _, ref := range References() {
		if got, want := ref.Durable(), !strings.HasSuffix(string(ref), "-normal"); got != want {
			t.Errorf("%s: got durable %v, want %v", ref, got, want)
		}
	}
}

// TestReportReferenceFigures checks the references' rows, ratios and
// validity on fixed figures.
func TestReportReferenceFigures(t *testing.T) {
	tr := DefaultTraffic()
	rep := &Report{
		Baton: Result{Target: Target{Name: "baton"}, Saturation: saturationPhase(30000, 30000*300*time.Microsecond)},
		Bare:  Result{Target: Target{Name: "bare"}, Saturation: saturationPhase(100000, 100000*100*time.Microsecond)},
		References: []Result{
			{Target: Target{Name: "upsert-group"}, Saturation: saturationPhase(55000, 55000*200*time.Microsecond)},
			{Target: Target{Name: "upsert-group-normal"}, Saturation: saturationPhase(62500, 62500*125*time.Microsecond)},
		},
		Config: Config{Traffic: &tr, Concurrency: 64, Duration: 10 * time.Second, Rate: 1000},
	}
	for i, want := range []struct{ ratio, cpu float64 }{{0.55, 0.5}, {0.625, 0.8}} {
		ref := &rep.References[i]
		if got := rep.ReferenceRatio(ref); math.Abs(got-want.ratio) > 1e-9 {
			t.Errorf("%s: got ratio %g, want %g", ref.Target.Name, got, want.ratio)
		}
		if got := rep.ReferenceCPURatio(ref); math.Abs(got-want.cpu) > 1e-9 {
			t.Errorf("%s: got CPU ratio %g, want %g", ref.Target.Name, got, want.cpu)
		}
	}
	var out strings.Builder
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ratio    0.300", "0.550      0.500      yes", "0.625      0.800       NO", "durable NO: synchronous=NORMAL",
		"upsert-group-normal     6250", "valid run",
		"baton against each reference (turns/s baton/reference, CPU/turn reference/baton): upsert-group 0.545 / 0.667, upsert-group-normal 0.480 / 0.417"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	rep.References[1].Saturation.Outside.BadBody = 2
	if err := rep.Err(); !errors.Is(err, ErrInvalidRun) || !strings.Contains(err.Error(), "upsert-group-normal saturation: 0 fallback, 0 rate-limited, 0 non-200, 2 bad body") {
		t.Errorf("got %v, want ErrInvalidRun naming the reference's bad bodies", err)
	}
	out.Reset()
	rep.References = nil
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "references") {
		t.Errorf("report without references mentions them:\n%s", out.String())
	}
}

// TestSlowRunWithReferences runs the comparison with two references between
// bare and Baton (here the bare handler stands in for Baton).
func TestSlowRunWithReferences(t *testing.T) {
	if testing.Short() {
		t.Skip("runs five load phases")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	tr := testTraffic()
	bare := Target{Name: "bare", URL: startServer(t, BareHandler())}
	var order []string
	cfg := Config{Concurrency: 4, Duration: 300 * time.Millisecond, Warmup: -1, FixedWarmup: -1, Rate: 100, Settle: time.Millisecond, Traffic: &tr,
		References: []Reference{RefUpsert, RefUpsertGroup},
		Progress:   func(target, mode string) { order = append(order, target+" "+mode) }}
	rep, err := Run(context.Background(), cfg, Target{Name: "baton", URL: bare.URL}, bare)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Errorf("got %v, want a valid run", err)
	}
	wantOrder := "bare saturation, bare fixed, upsert saturation, upsert-group saturation, baton saturation, baton fixed"
	if got := strings.Join(order, ", "); got != wantOrder {
		t.Errorf("got phases %s, want %s", got, wantOrder)
	}
	if len(rep.References) != 2 {
		t.Fatalf("got %d reference results, want 2", len(rep.References))
	}
	for i := range rep.References {
		res := &rep.References[i]
		if res.Saturation.Counts.OK == 0 || rep.ReferenceRatio(res) <= 0 || rep.ReferenceCPURatio(res) <= 0 || res.Fixed.Counts.Requests != 0 {
			t.Errorf("%s: got %+v, ratio %g, CPU ratio %g, %d fixed-rate requests; want OK turns, positive ratios, no fixed rate",
				res.Target.Name, res.Saturation.Counts, rep.ReferenceRatio(res), rep.ReferenceCPURatio(res), res.Fixed.Counts.Requests)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("got %v left in TMPDIR, want the references' dirs removed", entries)
	}
}

// BenchmarkUpsertHandler is one turn through each durable reference's
// handler (no network), from parallel requests so group commit can batch.
func BenchmarkUpsertHandler(b *testing.B) {
	tr := DefaultTraffic()
	for _, ref := range []Reference{RefUpsert, RefUpsertGroup} {
		b.Run(string(ref), func(b *testing.B) {
			h, err := OpenUpsertHandler(filepath.Join(b.TempDir(), "reference.db"), ref)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { h.Close() })
			answer := mustMarshal(menuAnswer())
			var users atomic.Uint64
			b.ReportAllocs()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				// A user per goroutine.
				body := tr.appendPayload(nil, tr.newUser(1, users.Add(1)), turn{kind: KindFAQ, utterance: "배송 언제 와요"})
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body)))
					if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), answer) {
						b.Fatalf("got %d %s, want 200 and the fixed answer", w.Code, w.Body.Bytes())
					}
				}
			})
		})
	}
}
