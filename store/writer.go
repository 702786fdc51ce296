package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/baton-chat/baton/internal/stagetrace"
	"sync"
	"sync/atomic"
	"time"
)

// Request states: a request is claimed by exactly one side. The writer moves
// it from queued to started just before applying it; a caller whose context
// ends first moves it to abandoned and returns ctx.Err(), and the writer then
// skips it. So ctx.Err() from Commit or Write always means "not applied".
const (
	reqQueued int32 = iota
	reqStarted
	reqAbandoned
)

// request is one unit of work for the writer: a turn or a generic write.
type request struct {
	ctx   context.Context
	state atomic.Int32
	done  chan error // buffered; receives exactly one result after COMMIT

	turn *turnReq            // set for Commit
	fn   func(*sql.Tx) error // set for Write
	drop []string            // user keys to drop from the cache after COMMIT
	// flush asks the batch to write every dirty entry's rows (Flush).
	flush bool
	// read is a query run on the writer's connection, whose page cache
	// the writes keep warm (a read-pool connection drops its cache after
	// every commit); its error is the request's, never the batch's.
	read func(ctx context.Context, w *writer) error
	// probe marks CheckWrites' probe: its failure keeps the store's
	// writes failing although its batch commits (write_health.go).
	probe bool
	err   error // result of applying, set by the writer
}

// writer owns the single writer connection and runs the group-commit loop.
type writer struct {
	db       *DB
	reqs     chan *request
	maxBatch int
	stmts    [numStmts]*sql.Stmt // prepared once on the writer connection
	txStmts  [numStmts]*sql.Stmt // bound to the current batch's transaction
	jStmts   [len(journalStmtSQL)]*sql.Stmt
	jTx      [len(journalStmtSQL)]*sql.Stmt
	j        *journal
	sync     *walSyncer // answers committed batches after their fsync
	cur      batchTx    // the batch being built (writer goroutine only)
	buf      []byte     // journal row encoding, reused
	gated    bool       // the writer holds db.walGate (begin to endTx)
	boxes    boxes      // the journaled path's repeated texts, boxed once
	raw      rawStmts   // the row writes of a turn, on the driver connection (writer_raw.go)
	dirtyN   atomic.Int64
	// opTx holds the statements of Ops, prepared on the current
	// transaction by SQL text (the writer connection is the transaction's
	// while a batch runs; Ops are rare, so once per batch is cheap). Only the
	// writer goroutine touches it.
	opTx map[string]*sql.Stmt
	tx   *sql.Tx
	// outboxSeq numbers the outbox rows of turns (OutboxMsg.Seq), in the
	// order the writer inserts them. Only the writer goroutine touches it.
	outboxSeq uint64

	mu     sync.RWMutex // guards closed against sends on reqs
	closed bool
	down   atomic.Bool // closed, for lock-free checks
	exited chan struct{}

	batches  atomic.Uint64
	requests atomic.Uint64
	failed   atomic.Uint64
	largest  atomic.Int64
	// lastFail is the error of the last failed batch, nil once a batch
	// commits after it; failSeq counts failed batches and probedSeq is
	// failSeq as a write probe last succeeded (write_health.go); failLog
	// bounds how failures are logged (writer goroutine only).
	lastFail  atomic.Pointer[error]
	failSeq   atomic.Uint64
	probedSeq atomic.Uint64
	failLog   failLog
	// applyNanos and commitNanos total the time spent running statements
	// (not waiting for requests) and in COMMIT (which no longer waits for
	// the disk: walsync.go).
	applyNanos  atomic.Uint64
	commitNanos atomic.Uint64
	// beginNanos totals the time BEGIN took — the wait on the WAL gate
	// and BEGIN IMMEDIATE itself, tens of µs a batch — and beginStalls
	// counts the BEGINs that took beginStallBound or longer; gateNanos
	// totals the wait on the gate alone: the writer held off by RESTART
	// checkpoints.
	beginNanos  atomic.Uint64
	beginStalls atomic.Uint64
	gateNanos   atomic.Uint64
}

// beginStallBound is how long a BEGIN must take to count as a stall: an
// uncontended BEGIN IMMEDIATE takes microseconds.
const beginStallBound = 5 * time.Millisecond

// newWriter prepares the writer statements. The caller starts run.
func newWriter(ctx context.Context, db *DB, maxBatch int) (*writer, error) {
	w := &writer{
		db:       db,
		reqs:     make(chan *request, 4*maxBatch),
		maxBatch: maxBatch,
		exited:   make(chan struct{}),
		opTx:     map[string]*sql.Stmt{},
		j:        newJournal(db.cache.capacity() > 0, db.flushAge),
		sync:     newWALSyncer(db.path, db.log, db.walSync),
	}
	if err := prepareAll(ctx, db.w, stmtSQL[:], w.stmts[:]); err != nil {
		_ = w.closeStmts()
		return nil, err
	}
	if err := prepareAll(ctx, db.w, journalStmtSQL[:], w.jStmts[:]); err != nil {
		_ = w.closeStmts()
		return nil, err
	}
	return w, nil
}

// prepareAll prepares each of queries on db into the same index of into.
func prepareAll(ctx context.Context, db *sql.DB, queries []string, into []*sql.Stmt) error {
	for i, q := range queries {
		s, err := db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %q: %w", q, err)
		}
		into[i] = s
	}
	return nil
}

// closeStmts closes the prepared statements.
func (w *writer) closeStmts() error {
	w.closeRaw()
	var errs []error
	for i, s := range w.stmts {
		if s != nil {
			errs = append(errs, s.Close())
			w.stmts[i] = nil
		}
	}
	for i, s := range w.jStmts {
		if s != nil {
			errs = append(errs, s.Close())
			w.jStmts[i] = nil
		}
	}
	return errors.Join(errs...)
}

// do queues r and waits for its result. It returns ErrClosed after stop, and
// ctx.Err() only when r was not applied.
func (w *writer) do(r *request) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.reqs <- r:
		if stagetrace.Enabled {
			stagetrace.From(r.ctx).Mark(stagetrace.Queued)
		}
	case <-r.ctx.Done():
		w.mu.RUnlock()
		return r.ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case err := <-r.done:
		return err
	case <-r.ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return r.ctx.Err()
		}
		// The writer has started it: its outcome is decided by the COMMIT.
		return <-r.done
	}
}

// stop refuses new requests, lets the loop commit the queued ones and waits
// for it to exit.
func (w *writer) stop() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		w.down.Store(true)
		close(w.reqs)
	}
	w.mu.Unlock()
	<-w.exited
}

// isClosed reports whether stop was called.
func (w *writer) isClosed() bool { return w.down.Load() }

// run is the group-commit loop. It takes one request, opens a transaction and
// applies it (in its own savepoint), then keeps applying whatever arrives
// until the syncer is idle (the fsync of the previous batch returned) or the
// batch is full; then it COMMITs and hands the batch to the syncer, which
// answers it after the fsync. So the statements of one batch run while the
// disk syncs the previous one, and a batch gathers every request that came
// in meanwhile — as many as synchronous=FULL gathered while the writer
// itself waited for the disk.
func (w *writer) run() {
	defer close(w.exited)
	go w.sync.run()
	defer w.sync.close()
	b := &w.cur
	b.reqs = make([]*request, 0, w.maxBatch)
	idle := time.NewTimer(flushIdle)
	idle.Stop()
	defer idle.Stop()
	for {
		var r *request
		ok := true
		if w.j.pending() || w.j.broken {
			// Dirty entries are written within FlushAge, even when idle.
			idle.Reset(min(flushIdle, w.j.age))
			select {
			case r, ok = <-w.reqs:
			case <-idle.C:
				if w.begin(false) {
					w.commit(false)
				}
				continue
			}
			idle.Stop()
		} else {
			r, ok = <-w.reqs
		}
		if !ok {
			w.finalFlush()
			return
		}
		if !w.begin(true) {
			w.failOpen(r)
			continue
		}
		w.add(r)
		token := false
	fill:
		for b.open && len(b.reqs) < w.maxBatch {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break fill
				}
				w.add(r)
				continue
			default:
			}
			// Nothing queued: commit now if the disk is free, else go on
			// gathering until it is.
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break fill
				}
				w.add(r)
			case <-w.sync.ready:
				token = true
				break fill
			}
		}
		if b.open {
			w.commit(token)
		} else if token {
			w.sync.giveBack()
		}
	}
}

// batchTx is the batch the writer is building: its open transaction and
// the requests applied in it.
type batchTx struct {
	open bool
	reqs []*request
	now  time.Time // the batch's clock for FlushAge and dirty entries
	err  error     // why begin failed
}

// begin opens the batch's transaction; forRequests is false for a batch that
// only writes the rows of entries dirty for FlushAge, which begin skips
// (returning false) when none is due. It returns false, with nothing open,
// when the transaction cannot begin; failOpen answers the request then.
func (w *writer) begin(forRequests bool) bool {
	b := &w.cur
	clear(b.reqs) // a failed batch's requests are answered; hold no pointers
	b.reqs = b.reqs[:0]
	b.open = false
	bg := context.Background()
	if w.j.broken {
		b.err = w.repairJournal(bg)
		w.sync.markUnsynced() // the replay wrote, in its own transaction
		if b.err != nil {
			return false
		}
	}
	if err := w.sync.failed(); err != nil {
		b.err = fmt.Errorf("%w: %w", errSyncFailed, err)
		return false
	}
	b.now = time.Now()
	if !forRequests && !w.j.due(b.now) {
		return false
	}
	w.batches.Add(1)
	w.db.walGate.Lock() // a RESTART checkpoint may hold it (walrestart.go)
	w.gated = true
	gate := time.Since(b.now)
	tx, err := w.db.w.BeginTx(bg, nil)
	w.countBegin(time.Since(b.now), gate)
	if err != nil {
		// Should a failed batch have left the connection inside a
		// transaction, end it so the next batch can begin.
		_, _ = w.db.w.ExecContext(bg, "ROLLBACK")
		w.ungate()
		b.err = fmt.Errorf("begin: %w", err)
		return false
	}
	b.err = nil
	b.open = true
	w.tx = tx
	clear(w.txStmts[:])
	clear(w.jTx[:])
	clear(w.opTx)
	w.j.beginBatch()
	return true
}

// failOpen answers r when its batch could not begin: a broken journal that
// would not replay, a failed fsync, or a failed BEGIN.
func (w *writer) failOpen(r *request) {
	b := &w.cur
	if errors.Is(b.err, errSyncFailed) {
		w.refuse(r, b.err)
		return
	}
	w.failAll([]*request{r}, b.err)
}

// add applies r in the open batch. If the transaction itself breaks, the
// whole batch fails (every request so far is answered with the error) and
// the batch is closed.
func (w *writer) add(r *request) {
	b := &w.cur
	b.reqs = append(b.reqs, r)
	w.requests.Add(1)
	if n := int64(len(b.reqs)); n > w.largest.Load() {
		w.largest.Store(n)
	}
	if !r.state.CompareAndSwap(reqQueued, reqStarted) {
		r.err = errSkipped // the caller gave up and already returned
		return
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return
	}
	began := time.Now()
	if stagetrace.Enabled {
		stagetrace.From(r.ctx).MarkAt(stagetrace.Applied, began)
	}
	err := w.applyInSavepoint(context.Background(), r)
	w.applyNanos.Add(uint64(time.Since(began)))
	if err != nil {
		w.abort(err)
	}
}

// abort rolls the open batch back and answers all its requests with err.
func (w *writer) abort(err error) {
	b := &w.cur
	_ = w.tx.Rollback()
	w.endTx()
	w.failAll(b.reqs, err)
}

// endTx forgets the batch's transaction and its statements.
func (w *writer) endTx() {
	w.ungate()
	w.cur.open = false
	w.tx = nil
	clear(w.txStmts[:])
	clear(w.jTx[:])
	clear(w.opTx)
}

// ungate releases the WAL gate the batch's BEGIN took, if it holds it.
func (w *writer) ungate() {
	if w.gated {
		w.gated = false
		w.db.walGate.Unlock()
	}
}

// commit writes the rows of entries dirty for FlushAge, COMMITs the open
// batch and queues its requests for the syncer, which answers them after
// the fsync. token says the syncer's idle token was taken for this batch
// (given back if nothing is queued).
func (w *writer) commit(token bool) {
	b := &w.cur
	bg := context.Background()
	queued := false
	defer func() {
		if token && !queued {
			w.sync.giveBack()
		}
	}()
	if w.j.on {
		all := false
		for _, r := range b.reqs {
			all = all || r.flush
		}
		began := time.Now()
		err := w.flushDue(bg, b.now, all)
		w.applyNanos.Add(uint64(time.Since(began)))
		if err != nil {
			w.abort(err)
			return
		}
	}
	applied := time.Now()
	err := w.tx.Commit()
	w.endTx()
	if err != nil {
		w.failAll(b.reqs, fmt.Errorf("commit: %w", err))
		return
	}
	if !w.readOnly(b.reqs) {
		w.sync.markUnsynced() // after the COMMIT wrote, before the batch is queued
	}
	w.commitNanos.Add(uint64(time.Since(applied)))
	if stagetrace.Enabled {
		for _, r := range b.reqs {
			stagetrace.From(r.ctx).Mark(stagetrace.Committed)
		}
	}
	w.recovered(b.reqs) // write_health.go
	for _, r := range b.reqs {
		if r.err != errSkipped {
			w.afterCommit(r, b.now)
		}
	}
	w.afterJournalCommit() // before the replies: a caller sees its effects
	if len(b.reqs) > 0 {
		w.sync.enqueue(b.reqs)
		queued = true
	}
	clear(b.reqs)
	b.reqs = b.reqs[:0]
}

// refuse answers r with the syncer's failure without running it: nothing
// committed after a failed fsync could be acknowledged.
func (w *writer) refuse(r *request, err error) {
	w.failed.Add(1)
	if r.state.CompareAndSwap(reqQueued, reqStarted) {
		r.done <- err
	}
}

// finalFlush writes every dirty entry's rows and empties the journal as the
// writer stops, so a cleanly closed store has nothing to replay.
func (w *writer) finalFlush() {
	j := w.j
	if !j.on || (!j.pending() && j.last < j.freed) {
		return
	}
	bg := context.Background()
	if j.broken {
		if err := w.repairJournal(bg); err != nil {
			w.db.log.Error("store: replay journal at close", "err", err)
		}
		return
	}
	tx, err := w.db.w.BeginTx(bg, nil)
	if err != nil {
		w.db.log.Error("store: write dirty rows at close", "err", err)
		return
	}
	w.tx = tx
	clear(w.txStmts[:])
	clear(w.jTx[:])
	j.beginBatch()
	defer func() { w.tx = nil; clear(w.txStmts[:]); clear(w.jTx[:]) }()
	if err := w.flushDue(bg, time.Now(), true); err != nil {
		_ = tx.Rollback()
		w.db.log.Error("store: write dirty rows at close (the journal keeps them)", "err", err)
		return
	}
	if err := tx.Commit(); err != nil {
		w.db.log.Error("store: write dirty rows at close (the journal keeps them)", "err", err)
		return
	}
	w.afterJournalCommit()
}

// errSkipped marks a request its caller abandoned; nobody receives it.
var errSkipped = errors.New("store: skipped")

// failAll replies err to every request of a failed batch. A failed COMMIT
// may still have reached the disk, so the batch's users leave the cache and
// their next Load reads the table.
func (w *writer) failAll(batch []*request, err error) {
	w.sync.markUnsynced() // a failed COMMIT may still have written frames
	w.failed.Add(1)
	w.failing(len(batch), err) // write_health.go: logged at most once a minute per cause
	if w.j.on {
		// Journal rows and row writes of this batch are rolled back (or, if
		// the COMMIT failed, perhaps not): the tables are replayed from the
		// journal before the next batch, and nothing is cached from them
		// until then.
		w.j.broken = true
		w.db.cache.noFill.Store(true)
	}
	for _, r := range batch {
		if r.turn != nil {
			w.db.cache.drop(r.turn.user.Key)
		}
		if r.err == errSkipped {
			continue
		}
		r.done <- err
	}
}

// applyInSavepoint runs r inside SAVEPOINT t, rolling back to it on r's own
// error (stored in r.err). It returns an error only when the transaction
// itself is broken and the whole batch must fail.
func (w *writer) applyInSavepoint(ctx context.Context, r *request) error {
	if r.read != nil {
		r.err = r.read(ctx, w)
		return nil
	}
	if t := r.turn; t != nil {
		if handled, err := w.journaled(ctx, t); handled {
			// A conflict is found before anything is written; any other
			// error may leave half a turn, and the whole batch fails.
			r.err = err
			if err != nil && !errors.Is(err, ErrConflict) {
				return err
			}
			return nil
		}
		// The rows path meets current rows: a dirty entry's are written
		// first, outside the savepoint, so that the turn's own failure
		// cannot roll them back.
		if err := w.writeNow(ctx, t.user.Key); err != nil {
			return err
		}
	} else if err := w.prepareEvict(ctx, r.drop); err != nil {
		return err
	}
	if t := r.turn; t != nil && t.conv.Version != 0 && t.w.OpenHandoff == nil && len(t.w.Ops) == 0 {
		// The common turn: its only expected failure, a stale version, is
		// its first statement and writes nothing. Any other error leaves a
		// half-written turn in the transaction, so the whole batch fails
		// (every caller gets the error; nothing is acknowledged).
		r.err = w.apply(ctx, r)
		if r.err != nil && !errors.Is(r.err, ErrConflict) {
			return r.err
		}
		return nil
	}
	if _, err := w.stmt(ctx, stmtSavepoint).ExecContext(ctx); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	r.err = w.apply(ctx, r)
	if r.err != nil {
		// A failed ROLLBACK TO means SQLite already rolled back the whole
		// transaction (disk full, I/O error): nothing of the batch stands.
		// The request's error, when it has a cause (disk full …), is why:
		// it stays in the chain for Cause and CheckWrites. Others (a
		// probe's rolled-back success, a conflict) must not make the
		// batch's failure look like them.
		if _, err := w.stmt(ctx, stmtRollbackTo).ExecContext(ctx); err != nil {
			if Cause(r.err) != "" {
				return fmt.Errorf("rollback to savepoint after %w: %w", r.err, err)
			}
			return fmt.Errorf("rollback to savepoint after %v: %w", r.err, err)
		}
	}
	if _, err := w.stmt(ctx, stmtRelease).ExecContext(ctx); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// prepareEvict readies the users a callback changes (WriteEvict): their rows
// are written first, their journal rows, now redundant, deleted (a replay
// must not bring back what the callback deletes), and a later turn of theirs
// in this batch takes the rows path and meets the callback's changes.
func (w *writer) prepareEvict(ctx context.Context, keys []string) error {
	if !w.j.on {
		return nil
	}
	for _, k := range keys {
		if err := w.writeNow(ctx, k); err != nil {
			return err
		}
		w.j.batch[k] = evicted
		if _, err := w.jx(ctx, jStmtDropJournal).ExecContext(ctx, "", k); err != nil {
			return fmt.Errorf("delete journal rows: %w", err)
		}
		delete(w.j.dirty, k)
	}
	return nil
}

// apply performs r's writes, turning a panic in a Write callback into r's error.
func (w *writer) apply(ctx context.Context, r *request) (err error) {
	if r.turn != nil {
		return w.applyTurn(ctx, r.turn)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write callback panicked: %v", p)
		}
	}()
	if r.fn == nil {
		return nil
	}
	return r.fn(w.tx)
}

// afterCommit updates the cache for a committed (or conflicting) request.
func (w *writer) afterCommit(r *request, now time.Time) {
	c := w.db.cache
	if t := r.turn; t != nil {
		switch {
		case r.err == nil && t.journal != 0:
			c.putEntry(t.user.Key, entry{user: t.user, conv: t.conv, lastTurn: t.lastTurn,
				dirty: !t.flushed, userDirty: t.userDirty && !t.flushed})
			if !t.flushed {
				w.markDirty(t, now)
			}
		case r.err == nil:
			c.put(t.user.Key, t.user, t.conv, t.lastTurn)
		case errors.Is(r.err, ErrConflict):
			// The cached copy may be stale: make the retry read the table.
			// A dirty entry is the newest committed state and stays.
			if e, ok := c.peek(t.user.Key); !ok || !e.dirty {
				c.drop(t.user.Key)
			}
		}
		return
	}
	if r.err == nil {
		for _, k := range r.drop {
			c.drop(k)
		}
	}
}

// jstmt returns journal statement i bound to the current transaction.
func (w *writer) jstmt(ctx context.Context, i int) *sql.Stmt {
	if s := w.jTx[i]; s != nil {
		return s
	}
	s := w.tx.StmtContext(ctx, w.jStmts[i])
	w.jTx[i] = s
	return s
}

// jx is journal statement i as an execer (the query argument is ignored).
func (w *writer) jx(ctx context.Context, i int) execer { return stmtExec{w.jstmt(ctx, i)} }

// stmtExec runs a prepared statement through the execer interface.
type stmtExec struct{ s *sql.Stmt }

func (x stmtExec) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return x.s.ExecContext(ctx, args...)
}

// stmt returns statement i bound to the current transaction.
func (w *writer) stmt(ctx context.Context, i int) *sql.Stmt {
	if s := w.txStmts[i]; s != nil {
		return s
	}
	s := w.tx.StmtContext(ctx, w.stmts[i])
	w.txStmts[i] = s
	return s
}

// op returns the statement of an Op prepared on the current transaction,
// preparing it the first time the batch sees its SQL. (The transaction holds
// the writer's only connection, so the DB cannot prepare while it runs; the
// statement closes with the transaction.)
func (w *writer) op(ctx context.Context, q string) (*sql.Stmt, error) {
	if s := w.opTx[q]; s != nil {
		return s, nil
	}
	s, err := w.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	w.opTx[q] = s
	return s, nil
}

// applyOps runs a turn's Ops in order.
func (w *writer) applyOps(ctx context.Context, ops []Op) error {
	for _, o := range ops {
		s, err := w.op(ctx, o.SQL)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		res, err := s.ExecContext(ctx, o.Args...)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		if o.MustAffect {
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("%s: %w", o.Name, err)
			}
			if n == 0 {
				return fmt.Errorf("%s: no row changed: %w", o.Name, ErrConflict)
			}
		}
	}
	return nil
}

// Write runs fn inside the group-commit loop, in its own savepoint of the
// batch transaction, and returns after the batch's COMMIT: nil means fn's
// writes are durable. If fn returns an error, only its writes are rolled back
// and Write returns that error (wrapped). fn must not call Commit or Rollback
// on tx, nor keep tx after returning; it runs on the writer goroutine, so it
// should be quick. Write returns ErrClosed after Close, ctx.Err() if ctx
// ended before fn started (fn then never runs), or the COMMIT's error.
// fn must not change users or conversations rows: a cached conversation may
// be newer than its row (the journal holds its turns); see WriteEvict.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.WriteEvict(ctx, nil, fn)
}

// WriteEvict is Write for callbacks that change conversations or users:
// after a successful COMMIT it drops userKeys from the conversation cache, so
// the next Load reads the table.
func (db *DB) WriteEvict(ctx context.Context, userKeys []string, fn func(tx *sql.Tx) error) error {
	r := &request{ctx: ctx, done: make(chan error, 1), fn: fn, drop: userKeys}
	if err := db.writer.do(r); err != nil {
		return fmt.Errorf("store: write: %w", err)
	}
	return nil
}

// Flush writes the users and conversations rows of every cached
// conversation that is newer than them (whose turns are only in the
// journal), and returns after the COMMIT. The writer does this by itself
// within seconds; Flush is for readers of those tables that cannot wait.
func (db *DB) Flush(ctx context.Context) error {
	r := &request{ctx: ctx, done: make(chan error, 1), flush: true}
	if err := db.writer.do(r); err != nil {
		return fmt.Errorf("store: flush: %w", err)
	}
	return nil
}

// Stats are counters of the group-commit writer and the cache.
type Stats struct {
	QueueDepth   int     // requests waiting for the writer now
	Batches      uint64  // transactions the writer began
	Requests     uint64  // requests those transactions carried
	MeanBatch    float64 // Requests / Batches
	LargestBatch int     // most requests in one transaction so far
	FailedBatch  uint64  // batches whose BEGIN, savepoint handling or COMMIT failed
	CacheEntries int     // conversations cached now
	CacheHits    uint64  // Load calls answered by the cache
	CacheMisses  uint64  // Load calls that read the table
	// Dirty is how many cached conversations are newer than their rows
	// (their turns are in the journal; the writer writes them within seconds).
	Dirty int
	// ApplySeconds and CommitSeconds are the writer's total time running
	// batches' statements and their COMMITs (WAL writes, no fsync): where
	// its time goes.
	ApplySeconds  float64
	CommitSeconds float64
	// BeginSeconds is the writer's total time in BEGIN: BEGIN IMMEDIATE
	// itself (tens of µs a batch, so most of it under steady load) and the
	// wait on the WAL gate while the checkpointer restarts the WAL, which
	// GateSeconds is alone; BeginStalls the BEGINs that took 5 ms or more:
	// stalls every turn arriving meanwhile waits out.
	BeginSeconds float64
	BeginStalls  uint64
	GateSeconds  float64
	// Syncs counts the fsyncs of the WAL that released committed batches
	// (one covers every batch committed while the previous one ran), and
	// SyncSeconds is their total time. SyncBuckets counts them by
	// duration: SyncBuckets[i] those within WALSyncBounds()[i] (and over
	// the bound before it), the last those slower than every bound.
	Syncs       uint64
	SyncSeconds float64
	SyncBuckets [len(walSyncBounds) + 1]uint64
	// Checkpoints counts the background checkpointer's runs (one a
	// second: PASSIVE, and RESTART when the WAL is over its limit) and
	// CheckpointSeconds their total time; WALRestarts the RESTARTs that
	// finished; WALFrames is the WAL's size in frames (pages) at the last
	// run. The checkpointer writes the WAL's pages into the database file,
	// so its time grows with the distinct pages the turns dirty.
	Checkpoints       uint64
	CheckpointSeconds float64
	WALRestarts       uint64
	WALFrames         int64
	// WALRestartCopied is the frames the RESTART checkpoints copied
	// themselves, while the writer waited for them; the PASSIVE passes
	// before each copy the rest without holding the writer off.
	WALRestartCopied uint64
	// DBFileSyncs counts the checkpointer's own fdatasyncs of the database
	// file, one before each RESTART and each scrub's TRUNCATE (dbsync.go),
	// and DBFileSyncSeconds their total time: the flush of the pages the
	// PASSIVE passes copied, which the RESTART would otherwise make while
	// the writer waits.
	DBFileSyncs       uint64
	DBFileSyncSeconds float64
}

// countBegin records a BEGIN that took d, gate of it on the WAL gate.
func (w *writer) countBegin(d, gate time.Duration) {
	w.beginNanos.Add(uint64(d))
	w.gateNanos.Add(uint64(gate))
	if d >= beginStallBound {
		w.beginStalls.Add(1)
	}
}

// Stats returns a snapshot of the writer and cache counters.
func (db *DB) Stats() Stats {
	w := db.writer
	s := Stats{
		QueueDepth:    len(w.reqs),
		Batches:       w.batches.Load(),
		Requests:      w.requests.Load(),
		LargestBatch:  int(w.largest.Load()),
		FailedBatch:   w.failed.Load(),
		ApplySeconds:  float64(w.applyNanos.Load()) / 1e9,
		CommitSeconds: float64(w.commitNanos.Load()) / 1e9,
		BeginSeconds:  float64(w.beginNanos.Load()) / 1e9,
		BeginStalls:   w.beginStalls.Load(),
		GateSeconds:   float64(w.gateNanos.Load()) / 1e9,
		SyncSeconds:   float64(w.sync.syncNanos.Load()) / 1e9,
		Dirty:         int(w.dirtyN.Load()),

		Checkpoints:       uint64(db.ckpts.Load()),
		CheckpointSeconds: float64(db.ckptNanos.Load()) / 1e9,
		WALRestarts:       uint64(db.walRestarts.Load()),
		WALFrames:         db.walFrames.Load(),
		WALRestartCopied:  uint64(db.restartCopied.Load()),
		DBFileSyncs:       uint64(db.dbSyncs.Load()),
		DBFileSyncSeconds: float64(db.dbSyncNanos.Load()) / 1e9,
	}
	for i := range s.SyncBuckets {
		s.SyncBuckets[i] = w.sync.syncHist[i].Load()
		s.Syncs += s.SyncBuckets[i]
	}
	if s.Batches > 0 {
		s.MeanBatch = float64(s.Requests) / float64(s.Batches)
	}
	s.CacheEntries, s.CacheHits, s.CacheMisses = db.cache.stats()
	return s
}
