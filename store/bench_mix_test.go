package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/proc"
)

// BenchmarkCommitMix commits turns the way `baton bench` traffic does:
// 64 concurrent callers, each turn from a random user of a growing
// population (about one turn in six is a new user's first), so every turn
// dirties pages of its own. It reports the process CPU time per turn, the
// writer's real cost (the callers only wait), and turns per batch.
func BenchmarkCommitMix(b *testing.B) {
	ctx := context.Background()
	db, _ := openTestDB(b, Options{})
	const callers, seedUsers = 64, 20_000
	var (
		mu       sync.Mutex
		versions = make([]int64, 0, seedUsers*2)
		busy     = make([]bool, 0, seedUsers*2)
	)
	key := func(i int) string { return fmt.Sprintf("bench-%07d-kakao-bot-user-key", i) }
	versions, busy = versions[:seedUsers], busy[:seedUsers]
	var seed sync.WaitGroup
	for c := range callers {
		seed.Go(func() {
			for i := c; i < seedUsers; i += callers {
				w := testTurn(key(i), 0, time.Now())
				if err := db.Commit(ctx, w); err != nil {
					b.Errorf("seed: %v", err)
					return
				}
				versions[i] = w.Conv.Version
			}
		})
	}
	seed.Wait()
	// pick chooses a user no other caller holds (turns of one user are
	// serialised, as the skill pipeline does).
	pick := func(r *rand.Rand) (int, int64) {
		mu.Lock()
		defer mu.Unlock()
		if r.IntN(6) == 0 {
			versions, busy = append(versions, 0), append(busy, true)
			return len(versions) - 1, 0
		}
		for {
			i := r.IntN(len(versions))
			if !busy[i] {
				busy[i] = true
				return i, versions[i]
			}
		}
	}
	done := func(i int, v int64) {
		mu.Lock()
		versions[i], busy[i] = v, false
		mu.Unlock()
	}
	before, cpu := db.Stats(), processCPU(b)
	b.ResetTimer()
	var wg sync.WaitGroup
	work := make(chan struct{}, b.N)
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	for c := range callers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 7))
			for range work {
				i, v := pick(r)
				w := testTurn(key(i), v, time.Now())
				if err := db.Commit(ctx, w); err != nil {
					b.Errorf("Commit: %v", err)
					done(i, v)
					return
				}
				done(i, w.Conv.Version)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	after := db.Stats()
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
	if n := after.Batches - before.Batches; n > 0 {
		b.ReportMetric(float64(after.Requests-before.Requests)/float64(n), "turns/batch")
	}
}

// BenchmarkCommitSessions commits turns shaped like `baton bench` traffic:
// 64 callers serve sessions of 2–8 turns (5 on average), each session a new
// user, each user's turns serialised, about 4,000 sessions open at once (a
// user's next turn comes after the other open sessions had theirs, as
// sessions whose users pause between turns interleave). It reports the
// process CPU per turn and turns per batch.
func BenchmarkCommitSessions(b *testing.B) {
	db, _ := openTestDB(b, Options{})
	commitSessions(b, db, func(_ *rand.Rand, n int) string { return fmt.Sprintf("sess-%08d-kakao-bot-user-key", n) })
}

// commitSessions is BenchmarkCommitSessions's load on db, the n-th new
// user's key from key. Besides the CPU per turn and turns per batch it
// reports the writer's time per write's statements and per COMMIT, and its
// time waiting in BEGIN over the run (stalls of 5 ms or more, and the WAL
// restarts that cause them).
func commitSessions(b *testing.B, db *DB, key func(r *rand.Rand, n int) string) {
	ctx := context.Background()
	const callers, open = 64, 4000
	type session struct {
		key     string
		version int64
		left    int
	}
	var (
		mu    sync.Mutex
		ready []*session // sessions whose next turn may go
		made  int
	)
	next := func(r *rand.Rand) *session {
		mu.Lock()
		defer mu.Unlock()
		if len(ready) < open {
			made++
			return &session{key: key(r, made), left: 2 + r.IntN(7)}
		}
		i := r.IntN(len(ready))
		s := ready[i]
		ready[i] = ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		return s
	}
	done := func(s *session) {
		mu.Lock()
		if s.left > 0 {
			ready = append(ready, s)
		}
		mu.Unlock()
	}
	before, cpu := db.Stats(), processCPU(b)
	b.ResetTimer()
	work := make(chan struct{}, b.N)
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 11))
			for range work {
				s := next(r)
				w := testTurn(s.key, s.version, time.Now())
				if err := db.Commit(ctx, w); err != nil {
					b.Errorf("Commit: %v", err)
					return
				}
				s.version, s.left = w.Conv.Version, s.left-1
				done(s)
			}
		})
	}
	wg.Wait()
	// Rows the store writes later (the journal's) are part of the cost.
	if err := db.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	after := db.Stats()
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
	if n := after.Batches - before.Batches; n > 0 {
		b.ReportMetric(float64(after.Requests-before.Requests)/float64(n), "turns/batch")
		b.ReportMetric((after.CommitSeconds-before.CommitSeconds)*1e6/float64(n), "commit-µs/batch")
	}
	if n := after.Requests - before.Requests; n > 0 {
		b.ReportMetric((after.ApplySeconds-before.ApplySeconds)*1e6/float64(n), "apply-µs/write")
	}
	b.ReportMetric((after.BeginSeconds-before.BeginSeconds)*1e3, "begin-ms")
	b.ReportMetric(float64(after.BeginStalls-before.BeginStalls), "begin-stalls")
	b.ReportMetric(float64(after.WALRestarts-before.WALRestarts), "wal-restarts")
}

// processCPU returns the CPU time (user + system) this process has used.
func processCPU(tb testing.TB) time.Duration {
	tb.Helper()
	d, err := proc.CPU()
	if err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return d
}
