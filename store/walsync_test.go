package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testlog"
)

// gatedSync is an Options.walSync hook that signals each fsync on entered and
// holds it until gate is closed, then runs the real fsync.
type gatedSync struct {
	entered chan struct{}
	gate    chan struct{}
}

func newGatedSync() *gatedSync {
	return &gatedSync{entered: make(chan struct{}, 64), gate: make(chan struct{})}
}

func (g *gatedSync) hook(real func() error) error {
	g.entered <- struct{}{}
	<-g.gate
	return real()
}

// commitAsync commits a test turn of key in the background.
func commitAsync(db *DB, key string) <-chan error {
	res := make(chan error, 1)
	go func() { res <- db.Commit(context.Background(), testTurn(key, 0, time.Now())) }()
	return res
}

// turnsOf counts key's turns on the read pool.
func turnsOf(t *testing.T, db *DB, key string) int {
	t.Helper()
	var n int
	if err := db.ReadDB().QueryRow(`SELECT count(*) FROM turns WHERE user_key = ?`, key).Scan(&n); err != nil {
		t.Fatalf("count turns of %s: %v", key, err)
	}
	return n
}

// TestReplyWaitsForWALSync: COMMIT no longer fsyncs, so a committed turn is
// answered only by the fsync that follows its COMMIT; turns that arrive
// while that fsync runs are applied meanwhile and committed together once
// it returns.
func TestReplyWaitsForWALSync(t *testing.T) {
	t.Parallel()
	g := newGatedSync()
	db, _ := openTestDB(t, Options{walSync: g.hook})
	released := false
	release := func() {
		if !released {
			released = true
			close(g.gate)
		}
	}
	t.Cleanup(release)

	first := commitAsync(db, "u-first")
	<-g.entered // the batch committed and its fsync began
	if n := turnsOf(t, db, "u-first"); n != 1 {
		t.Fatalf("turns of u-first while its fsync runs: got %d, want 1 (committed before the fsync)", n)
	}
	select {
	case err := <-first:
		t.Fatalf("Commit returned (%v) before the fsync that covers it finished", err)
	default:
	}

	// Two more turns arrive while the first fsync is held: the writer
	// applies them in the batch it builds and COMMITs that batch only when
	// the disk is free again, so they are not visible yet.
	second := commitAsync(db, "u-second")
	third := commitAsync(db, "u-third")
	checkFor(t, 10*time.Second, time.Millisecond, func() error {
		if s := db.Stats(); s.Requests != 3 || s.QueueDepth != 0 {
			return fmt.Errorf("requests applied %d, queued %d; want 3, 0", s.Requests, s.QueueDepth)
		}
		return nil
	})
	for _, k := range []string{"u-second", "u-third"} {
		if n := turnsOf(t, db, k); n != 0 {
			t.Errorf("turns of %s while the previous fsync runs: got %d, want 0 (not committed yet)", k, n)
		}
	}
	select {
	case err := <-second:
		t.Fatalf("second Commit returned (%v) before an fsync covered it", err)
	case err := <-third:
		t.Fatalf("third Commit returned (%v) before an fsync covered it", err)
	default:
	}

	release()
	for i, res := range []<-chan error{first, second, third} {
		if err := <-res; err != nil {
			t.Errorf("Commit %d: %v", i+1, err)
		}
	}
	s := db.Stats()
	if s.Syncs != 2 || s.Batches != 2 || s.LargestBatch != 2 {
		t.Errorf("fsyncs %d, batches %d, largest %d; want 2, 2, 2 (the turns that came during the first fsync share the second)",
			s.Syncs, s.Batches, s.LargestBatch)
	}
}

// TestWALSyncFailureStopsAcks: after a failed fsync nothing more is
// acknowledged — the failed batch's callers get the error, and every later
// request is refused without running.
func TestWALSyncFailureStopsAcks(t *testing.T) {
	t.Parallel()
	injected := errors.New("injected EIO")
	calls := 0
	hook := func(real func() error) error {
		calls++ // only the syncer goroutine calls the hook
		if calls == 2 {
			return injected
		}
		return real()
	}
	var logs testlog.Buffer
	db, _ := openTestDB(t, Options{walSync: hook, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()

	if err := db.Commit(ctx, testTurn("u-ok", 0, time.Now())); err != nil {
		t.Fatalf("Commit before the failure: %v", err)
	}
	if err := db.Err(); err != nil {
		t.Fatalf("Err before the failure: %v", err)
	}
	err := db.Commit(ctx, testTurn("u-lost-ack", 0, time.Now()))
	if !errors.Is(err, injected) || !strings.Contains(err.Error(), "fsync WAL") {
		t.Fatalf("Commit whose fsync failed: got %v, want the fsync error", err)
	}
	// Committed, but never acknowledged: its caller answered the fallback.
	if n := turnsOf(t, db, "u-lost-ack"); n != 1 {
		t.Errorf("turns of the unacknowledged commit: got %d, want 1", n)
	}
	failedBefore := db.Stats().FailedBatch
	err = db.Commit(ctx, testTurn("u-refused", 0, time.Now()))
	if !errors.Is(err, errSyncFailed) || !errors.Is(err, injected) {
		t.Fatalf("Commit after the failure: got %v, want errSyncFailed wrapping the cause", err)
	}
	if n := turnsOf(t, db, "u-refused"); n != 0 {
		t.Errorf("turns of a refused commit: got %d, want 0 (not run)", n)
	}
	if got := db.Stats().FailedBatch; got != failedBefore+1 {
		t.Errorf("failed batches: got %d, want %d", got, failedBefore+1)
	}
	if calls != 2 {
		t.Errorf("fsyncs attempted: got %d, want 2 (none after the failure)", calls)
	}
	if got := logs.String(); strings.Count(got, "level=ERROR msg=\"store: fsync of the WAL failed") != 1 {
		t.Errorf("log: got %q, want the fsync failure logged once at ERROR", got)
	}
	if err := db.Err(); !errors.Is(err, errSyncFailed) || !errors.Is(err, injected) {
		t.Errorf("Err after the failure: got %v, want errSyncFailed wrapping the cause", err)
	}
}

// TestWALSyncRealFile: without a hook the syncer fdatasyncs the real WAL
// file next to the database, once per group of batches.
func TestWALSyncRealFile(t *testing.T) {
	t.Parallel()
	db, path := openTestDB(t, Options{})
	ctx := context.Background()
	for i := range 3 {
		if err := db.Commit(ctx, testTurn(fmt.Sprintf("u-real-%d", i), 0, time.Now())); err != nil {
			t.Fatalf("Commit %d: %v", i, err)
		}
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("WAL file: %v", err)
	}
	s := db.Stats()
	if s.Syncs == 0 || s.Syncs > s.Batches {
		t.Errorf("fsyncs %d for %d batches, want 1..%d", s.Syncs, s.Batches, s.Batches)
	}
	if err := db.writer.sync.fdatasyncWAL(); err != nil {
		t.Errorf("fdatasync of %s-wal: %v", path, err)
	}
}

// TestWALSyncBuckets: each fsync is counted in the bucket of its duration,
// a duration equal to a bound in that bound's bucket, and Stats reports the
// buckets with Syncs as their sum.
func TestWALSyncBuckets(t *testing.T) {
	t.Parallel()
	var s walSyncer
	bounds := WALSyncBounds()
	last := bounds[len(bounds)-1]
	for _, d := range []time.Duration{0, bounds[0], bounds[0] + 1, 3 * time.Millisecond, last, last + 1, time.Hour} {
		s.count(d)
	}
	want := map[int]uint64{0: 2, 1: 1, 5: 1, len(bounds) - 1: 1, len(bounds): 2}
	for i := range s.syncHist {
		if got := s.syncHist[i].Load(); got != want[i] {
			t.Errorf("bucket %d (≤ %v): got %d, want %d", i, bucketBound(i), got, want[i])
		}
	}

	// Through the store: the fsync held 20 ms lands in a bucket over 16 ms.
	const held = 20 * time.Millisecond
	slow := true
	db, _ := openTestDB(t, Options{walSync: func(real func() error) error {
		if slow {
			slow = false // the syncer goroutine is the only caller
			time.Sleep(held)
		}
		return real()
	}})
	if err := db.Commit(context.Background(), testTurn("u-slow-sync", 0, time.Now())); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	st := db.Stats()
	var sum, atLeast uint64
	for i, n := range st.SyncBuckets {
		sum += n
		if i == len(bounds) || bounds[i] >= held {
			atLeast += n // this bucket's fsyncs may have taken held or longer
		}
	}
	if sum != st.Syncs || st.Syncs == 0 {
		t.Errorf("buckets sum to %d, Syncs %d; want equal and > 0", sum, st.Syncs)
	}
	if atLeast == 0 {
		t.Errorf("no fsync in a bucket reaching %v, want the held one (buckets %v)", held, st.SyncBuckets)
	}
	if st.SyncSeconds < held.Seconds() {
		t.Errorf("SyncSeconds %.3f, want ≥ %.3f", st.SyncSeconds, held.Seconds())
	}
}

// bucketBound names bucket i's upper bound for messages.
func bucketBound(i int) string {
	if b := WALSyncBounds(); i < len(b) {
		return b[i].String()
	}
	return "+Inf"
}
