package store

import (
	"errors"
	"fmt"
	"github.com/baton-chat/baton/internal/stagetrace"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The commit pipeline. The writer connection runs with synchronous=NORMAL:
// its COMMIT appends the batch's frames to the WAL and returns without an
// fsync. The writer then hands the batch to the walSyncer and begins the next
// one; the syncer fdatasyncs the WAL file and only then answers the batch's
// requests. A reply therefore still goes out only after its transaction is
// on disk — the guarantee synchronous=FULL gave — but the disk wait of one
// batch overlaps the statements of the next, and one fsync covers every
// batch committed while the previous fsync ran.
//
// Why this is as durable as FULL: fsync applies to the file, not to the
// descriptor, so the syncer's own descriptor covers the writer's writes; a
// batch is queued after its COMMIT returned, so the fsync that answers it
// began after all its frames were written. A crash before that fsync loses
// only unanswered batches, and only a suffix of them: WAL frames carry
// chained checksums, so recovery keeps a prefix of the commits. A checkpoint
// fsyncs the WAL before it copies frames into the database (the checkpointer
// connection keeps synchronous=FULL), so the database file never holds a
// frame the WAL had not made durable.
//
// If an fsync fails, the store stops acknowledging anything: after a failed
// fsync the kernel may have dropped the dirty pages and a later fsync can
// succeed without writing them, so no later success can be trusted. Every
// batch from then on is answered with the error; the process must restart
// (and replays the WAL and journal) to recover.

// syncQueue bounds the committed batches waiting for an fsync; the writer
// blocks when it is full, which bounds what is committed but unanswered.
const syncQueue = 64

// walSyncer answers committed batches after the fsync that covers them.
type walSyncer struct {
	path string // the WAL file
	log  *slog.Logger
	in   chan []*request
	done chan struct{}
	// ready holds a token while the syncer is idle with nothing queued:
	// the writer commits the batch it is building when it takes the token
	// (or when the batch is full).
	ready chan struct{}
	// sync makes the WAL durable (fdatasyncWAL, or the test hook around it).
	sync func() error

	broken    atomic.Pointer[error] // the first fsync failure, sticky
	syncNanos atomic.Uint64
	// syncHist counts fsyncs by duration: bucket i those within
	// walSyncBounds[i], the last the slower ones.
	syncHist [len(walSyncBounds) + 1]atomic.Uint64
	free     sync.Pool // *[]*request, reused batch copies
	// unsynced is set by the writer after a COMMIT that may have appended
	// frames to the WAL (markUnsynced) and cleared by run just before it
	// fsyncs: a round of batches that only read, queued while it is clear,
	// is answered without an fsync (walsync_readonly.go).
	unsynced atomic.Bool
}

// newWALSyncer returns a syncer of the WAL of the database at dbPath; hook,
// if not nil, wraps each fsync (Options.walSync). The caller starts run.
func newWALSyncer(dbPath string, log *slog.Logger, hook func(real func() error) error) *walSyncer {
	s := &walSyncer{
		path:  dbPath + "-wal",
		log:   log,
		in:    make(chan []*request, syncQueue),
		done:  make(chan struct{}),
		ready: make(chan struct{}, 1),
	}
	s.unsynced.Store(true) // the migrations and replay at open wrote
	s.ready <- struct{}{}
	s.sync = s.fdatasyncWAL
	if hook != nil {
		s.sync = func() error { return hook(s.fdatasyncWAL) }
	}
	return s
}

// fdatasyncWAL opens the WAL file and flushes it to disk. Opening it each
// time (a few µs, at most once per fsync) means the descriptor can never
// refer to a WAL file SQLite has since replaced.
func (s *walSyncer) fdatasyncWAL() error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("open WAL: %w", err)
	}
	err = datasync(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close WAL: %w", cerr)
	}
	return err
}

// walSyncBounds are the upper bounds of the fsync duration buckets
// (Stats.SyncBuckets): a reply waits for up to two fsyncs, the one running
// when its batch committed and its own, so the slow buckets are where a
// turn's latency tail comes from when the disk stalls.
var walSyncBounds = [...]time.Duration{
	125 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond,
	16 * time.Millisecond, 32 * time.Millisecond, 64 * time.Millisecond, 128 * time.Millisecond,
	256 * time.Millisecond, 512 * time.Millisecond, time.Second,
}

// WALSyncBounds returns the upper bounds of Stats.SyncBuckets; the bucket
// after the last bound counts the fsyncs slower than it.
func WALSyncBounds() []time.Duration { return walSyncBounds[:] }

// count records one fsync of duration d.
func (s *walSyncer) count(d time.Duration) {
	s.syncNanos.Add(uint64(d))
	i := 0
	for i < len(walSyncBounds) && d > walSyncBounds[i] {
		i++
	}
	s.syncHist[i].Add(1)
}

// failed returns the sticky fsync failure, or nil.
func (s *walSyncer) failed() error {
	if p := s.broken.Load(); p != nil {
		return *p
	}
	return nil
}

// enqueue hands a committed batch to the syncer; batch may be reused by the
// caller afterwards. Skipped requests are left out (nobody waits for them).
func (s *walSyncer) enqueue(batch []*request) {
	p, _ := s.free.Get().(*[]*request)
	if p == nil {
		p = new([]*request)
	}
	rs := (*p)[:0]
	for _, r := range batch {
		if r.err != errSkipped {
			rs = append(rs, r)
		}
	}
	*p = rs
	s.in <- rs
}

// giveBack returns the idle token the writer took but did not use.
func (s *walSyncer) giveBack() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// close stops the syncer after it answered everything queued.
func (s *walSyncer) close() {
	close(s.in)
	<-s.done
}

// run takes every batch queued, fsyncs once (not at all when no COMMIT
// wrote since the last fsync began: walsync_readonly.go), answers them, and
// repeats.
func (s *walSyncer) run() {
	defer close(s.done)
	var pending [][]*request
	for first := range s.in {
		pending = append(pending[:0], first)
	drain:
		for {
			select {
			case b, ok := <-s.in:
				if !ok {
					break drain
				}
				pending = append(pending, b)
			default:
				break drain
			}
		}
		n := 0
		for _, b := range pending {
			n += len(b)
		}
		err := s.failed()
		if err == nil && n > 0 && s.unsynced.Swap(false) {
			began := time.Now()
			if serr := s.sync(); serr != nil {
				err = fmt.Errorf("store: fsync WAL: %w", serr)
				if s.broken.CompareAndSwap(nil, &err) {
					s.log.Error("store: fsync of the WAL failed; no write is acknowledged until Baton restarts",
						"wal", s.path, "err", serr)
				}
				err = s.failed()
			}
			s.count(time.Since(began))
		}
		for i, b := range pending {
			for _, r := range b {
				if stagetrace.Enabled {
					stagetrace.From(r.ctx).Mark(stagetrace.Synced)
				}
				if err != nil {
					r.done <- err
				} else {
					r.done <- r.err
				}
			}
			clear(b)
			b = b[:0]
			s.free.Put(&b)
			pending[i] = nil
		}
		if len(s.in) == 0 {
			s.giveBack() // idle: the writer may commit at once
		}
	}
}

// errSyncFailed is wrapped by the error of requests refused after an fsync
// of the WAL or of the database file failed (the wrapped error says which).
var errSyncFailed = errors.New("store: an earlier fsync failed; restart to recover")

// Err returns nil while the store can acknowledge writes, and the reason
// after an fsync of the WAL or of the database file (dbsync.go) failed
// (errSyncFailed wrapping it): from then on
// every write fails until the process restarts. /readyz reports it.
func (db *DB) Err() error {
	if err := db.writer.sync.failed(); err != nil {
		return fmt.Errorf("%w: %w", errSyncFailed, err)
	}
	return nil
}
