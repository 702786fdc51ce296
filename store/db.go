package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Defaults for Options. The cache holds the conversations of the users who
// talked most recently (≈ 450 B each with their user row); 50,000 covers
// every user of a busy shop's last few minutes — a session's turns come
// seconds apart — while keeping the process near 120 MB after 100,000
// users. A user evicted from it costs one read on their next turn.
const (
	DefaultCacheSize = 50_000
	DefaultMaxBatch  = 256
	DefaultReadConns = 4
)

// Options are the optional settings of Open. The zero value is usable.
type Options struct {
	// Logger receives the store's log lines; nil discards them.
	Logger *slog.Logger
	// CacheSize bounds the write-through conversation cache (entries);
	// 0 means DefaultCacheSize, a negative value disables the cache.
	CacheSize int
	// MaxBatch bounds how many requests one group commit carries;
	// 0 means DefaultMaxBatch.
	MaxBatch int
	// ReadConns is the size of the read-only pool; 0 means DefaultReadConns.
	ReadConns int
	// Now is the clock for updated_at columns; nil means time.Now.
	Now func() time.Time
	// FlushAge is how long a cached conversation's users and conversations
	// rows may trail its turns (which the journal holds meanwhile);
	// 0 means DefaultFlushAge.
	FlushAge time.Duration
	// TicketEvent, when set, returns the outbox message announcing that
	// ticket id moved to status (TicketStatusAssigned, ...Answered,
	// ...Closed) at at, or was opened outside a user's turn
	// (TicketStatusOpen: OpenTicket, the router's own tickets);
	// AssignTicket, AnswerTicket, CloseTicket and OpenTicket queue it in the
	// transaction of the change (the relay publishes it on its next read of
	// the outbox). The handoff package owns the subject.
	TicketEvent func(id, status string, at time.Time) OutboxMsg

	// walSync, when set (tests), is called for each fsync of the WAL with
	// the real one, which it may delay, skip or replace.
	walSync func(real func() error) error
	// checkpointEvery and walLimit, when set (tests), replace
	// checkpointInterval and walRestartFrames.
	checkpointEvery time.Duration
	walLimit        int64
	// checkpointHook, when set (tests), is called for each background
	// PASSIVE checkpoint with the real one, which it may replace (a real
	// full disk fails it; max_page_count does not bind checkpoints).
	checkpointHook func(real func() error) error
	// restartHook, when set (tests), runs inside the WAL gate just before
	// each RESTART checkpoint (walrestart.go), as a slow RESTART would.
	restartHook func()
	// dbSync, when set (tests), is called for each fdatasync of the
	// database file before a RESTART or a scrub (dbsync.go) with the real
	// one, which it may replace.
	dbSync func(real func() error) error
}

// DB is Baton's SQLite store: one writer connection fed by a group-commit
// loop, a read-only pool and a bounded write-through conversation cache.
// All methods are safe for concurrent use.
type DB struct {
	path   string
	log    *slog.Logger
	now    func() time.Time
	w      *sql.DB // writer: exactly one connection
	r      *sql.DB // read-only pool
	cache  *convCache
	writer *writer
	// wconn is the last connection the writer's pool opened (writerOpened).
	wconn atomic.Pointer[openedConn]
	// flushAge is Options.FlushAge.
	flushAge time.Duration
	// walSync is Options.walSync.
	walSync func(real func() error) error
	// ticketEvent is Options.TicketEvent.
	ticketEvent func(id, status string, at time.Time) OutboxMsg

	loadStmt *sql.Stmt // on r

	// ckpt is a second read-write connection that checkpoints the WAL in the
	// background, so the writer's COMMITs never pay for it.
	ckpt      *sql.DB
	ckptEvery time.Duration
	stopCkpt  chan struct{}
	ckptDone  chan struct{}
	// ckptHook is Options.checkpointHook; ckptHealth bounds the
	// checkpointer's failure lines (checkpoint_health.go).
	ckptHook   func(real func() error) error
	ckptHealth failLog
	// walGate is held by the writer from each batch's BEGIN to its COMMIT
	// or ROLLBACK, and by the checkpointer for a RESTART checkpoint
	// (walrestart.go), which takes SQLite's write lock: the writer then
	// waits for the RESTART here, woken the moment it ends, instead of in
	// SQLite's busy handler, whose sleeps grow to 100 ms a step.
	walGate     sync.Mutex
	restartHook func()
	// dbFile is the database file, open for the checkpointer's fdatasync
	// before each RESTART (dbsync.go); dbSync is Options.dbSync; dbSyncs
	// and dbSyncNanos count those fdatasyncs and their time (Stats).
	dbFile               *os.File
	dbSync               func(real func() error) error
	dbSyncs, dbSyncNanos atomic.Int64

	// walLimit is the WAL size in frames above which the checkpointer
	// restarts the WAL (store/memory.go); walRestarts counts the restarts.
	walLimit    int64
	walRestarts atomic.Int64
	// restartCopied counts the frames RESTART checkpoints copied
	// themselves, while the writer waited on the gate (walrestart.go).
	restartCopied atomic.Int64
	// ckpts and ckptNanos count the background checkpoints (PASSIVE, and
	// RESTART when due) and their time; walFrames is the WAL's size in
	// frames at the last one (Stats).
	ckpts, ckptNanos, walFrames atomic.Int64
	// restartSkip is how many more over-limit checkpoints skip RESTART,
	// restartBackoff the skip after the next busy one (walrestart.go);
	// only the checkpointer goroutine touches them.
	restartSkip, restartBackoff int
	// restartedAt is the WAL's size in frames at the last finished
	// RESTART: until a write starts the WAL over, PASSIVE passes report
	// that size, and the checkpointer does not RESTART again.
	restartedAt int64
	// scrub wakes the checkpointer to truncate the WAL after deletes of
	// personal data, scrubPending says one is due, walScrubs counts those
	// done (store/scrub.go).
	scrub        chan struct{}
	scrubPending atomic.Bool
	walScrubs    atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the SQLite database at path, applies the
// embedded migrations and starts the group-commit writer. Close releases it.
// It returns an error if the directory cannot be created, the database cannot
// be opened or a migration fails.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = DefaultReadConns
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FlushAge <= 0 {
		opts.FlushAge = DefaultFlushAge
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create directory %s: %w", dir, err)
		}
	}
	if err := checkWritable(path); err != nil { // open_check.go
		return nil, err
	}
	if err := createPrivate(path, opts.Logger); err != nil {
		return nil, err
	}
	db := &DB{
		path:     path,
		log:      opts.Logger.With("component", "store"),
		now:      opts.Now,
		cache:    newConvCache(opts.CacheSize),
		flushAge: opts.FlushAge,
		walSync:  opts.walSync,
		ckptHook: opts.checkpointHook,

		restartHook: opts.restartHook,
		dbSync:      opts.dbSync,

		ticketEvent: opts.TicketEvent,
	}
	db.walLimit, db.ckptEvery = walRestartFrames, checkpointInterval
	if opts.walLimit > 0 {
		db.walLimit = opts.walLimit
	}
	if opts.checkpointEvery > 0 {
		db.ckptEvery = opts.checkpointEvery
	}
	db.scrub = make(chan struct{}, 1)
	if err := db.open(ctx, opts.ReadConns); err != nil {
		db.closeConns()
		return nil, openError(path, err) // write_cause.go
	}
	if err := db.replayAtOpen(ctx); err != nil {
		db.closeConns()
		return nil, openError(path, err) // write_cause.go
	}
	if err := db.warm(ctx); err != nil {
		db.closeConns()
		return nil, openError(path, err) // write_cause.go
	}
	w, err := newWriter(ctx, db, opts.MaxBatch)
	if err != nil {
		db.closeConns()
		return nil, openError(path, err)
	}
	db.writer = w
	go w.run()
	db.stopCkpt, db.ckptDone = make(chan struct{}), make(chan struct{})
	go db.checkpointLoop()
	db.log.Debug("store opened", "path", path)
	return db, nil
}

// open opens both pools and migrates the schema.
func (db *DB) open(ctx context.Context, readConns int) error {
	uri := (&url.URL{Path: db.path}).EscapedPath()
	var err error
	db.w = sql.OpenDB(writerConnector{dsn: "file:" + uri +
		"?_journal_mode=WAL&_busy_timeout=1000&_txlock=immediate&_foreign_keys=on&_synchronous=NORMAL" + writerCacheParam,
		opened: db.writerOpened})
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	db.w.SetConnMaxIdleTime(0)
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: open writer %s: %w", db.path, err)
	}
	if err := migrate(ctx, db.w); err != nil {
		return err
	}
	if err := db.openDBFile(); err != nil {
		return err
	}
	db.ckpt = sql.OpenDB(writerConnector{dsn: "file:" + uri + "?_busy_timeout=1000&_synchronous=FULL" + readerCacheParam})
	db.ckpt.SetMaxOpenConns(1)
	if err := db.ckpt.PingContext(ctx); err != nil {
		return fmt.Errorf("store: open checkpointer %s: %w", db.path, err)
	}
	db.r, err = sql.Open("sqlite3", "file:"+uri+"?mode=ro&_busy_timeout=1000"+readerCacheParam+readerStmtCacheParam)
	if err != nil {
		return fmt.Errorf("store: open reader %s: %w", db.path, err)
	}
	db.r.SetMaxOpenConns(readConns)
	db.r.SetMaxIdleConns(readConns)
	if err := db.r.PingContext(ctx); err != nil {
		return fmt.Errorf("store: open reader %s: %w", db.path, err)
	}
	db.loadStmt, err = db.r.PrepareContext(ctx, loadSQL)
	if err != nil {
		return fmt.Errorf("store: prepare load: %w", err)
	}

	return nil
}

// migrate applies the embedded goose migrations (migrations_go.go says how
// they are read).
func migrate(ctx context.Context, w *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	ms, err := goMigrations(fsys)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, w, nil,
		goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(ms...))
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return checkSchemaVersion(ctx, p)
}

// ReadDB returns the read-only pool for queries the store does not wrap.
// Writes through it fail; use Write.
func (db *DB) ReadDB() *sql.DB { return db.r }

// Close stops accepting requests, commits those already queued, and closes
// the connections. Calls made after Close return ErrClosed. Close is
// idempotent; later calls return the first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.writer.stop()
		close(db.stopCkpt)
		<-db.ckptDone
		db.closeErr = db.closeConns()
		db.log.Debug("store closed", "path", db.path)
	})
	return db.closeErr
}

// closeConns closes statements and pools, joining their errors.
func (db *DB) closeConns() error {
	var errs []error
	if db.writer != nil {
		errs = append(errs, db.writer.closeStmts())
	}
	if db.loadStmt != nil {
		errs = append(errs, db.loadStmt.Close())
	}
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.Close())
	}
	// Last: closing it releases the process's locks on the file (dbsync.go).
	errs = append(errs, db.closeDBFile())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close %s: %w", db.path, err)
	}
	return nil
}

// writerConnector opens writer connections with the statement journal in
// memory (PRAGMA temp_store=MEMORY): every turn's SAVEPOINT journals the pages
// it touches, and with the default a batch soon spills that journal to a temp
// file and pays a pwrite per page. It has no effect on durability.
type writerConnector struct {
	dsn string
	// opened, if set, is told of every connection Connect opens: the
	// writer's connector tells the store (DB.writerOpened), and its
	// connections run each statement to its end (uninterruptible).
	opened func(driver.Conn)
}

// writerCacheKiB is the writer connection's page cache. SQLite's default
// (2 MB) is smaller than the pages busy turns touch (conversation rows and
// the turn index of every active user), and each page it drops must be
// read again with a pread on the next turn that needs it. It is bounded well
// below the database size, though: the cache is resident memory that fills
// as the tables grow (64 MB made RSS creep over a soak and count against the
// 150 MB budget), and a dropped page is a pread from the OS page cache.
const writerCacheKiB = 16 << 10

// writerDriver is the SQLite driver with the writer's connect hook.
var writerDriver = &sqlite3.SQLiteDriver{
	ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// The checkpointer connection copies the WAL into the database in
		// the background; no connection checkpoints on commit.
		// The page cache size is a DSN parameter: the checkpointer's is
		// smaller (store/memory.go).
		// secure_delete=FAST zeroes deleted cells on the pages a delete
		// writes anyway (store/scrub.go).
		if err := connExec(c, "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0; PRAGMA secure_delete = FAST"); err != nil {
			return fmt.Errorf("store: writer pragmas: %w", err)
		}
		return nil
	},
}

// writerOpened records conn, just opened by the writer's pool: the pool has
// one connection, so the writer's open transaction always holds the last
// one opened (writer_raw.go).
func (db *DB) writerOpened(conn driver.Conn) { db.wconn.Store(&openedConn{c: conn}) }

// Connect implements driver.Connector.
func (c writerConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := writerDriver.Open(c.dsn)
	if err == nil && c.opened != nil {
		conn = uninterruptible(conn)
		c.opened(conn)
	}
	return conn, err
}

// Driver implements driver.Connector.
func (c writerConnector) Driver() driver.Driver { return writerDriver }

// checkpointInterval is how often the background checkpointer runs.
const checkpointInterval = time.Second

// checkpointLoop copies committed WAL frames into the database file every
// checkpointInterval (db.ckptEvery; PASSIVE: it never blocks the writer or readers), and
// once more, truncating the WAL, when the store closes. Checkpoints move
// data, they do not make it durable: the syncer's fsync of the WAL does,
// before any request of a batch is answered (walsync.go).
func (db *DB) checkpointLoop() {
	defer close(db.ckptDone)
	t := time.NewTicker(db.ckptEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stopCkpt:
			if err := db.writer.sync.failed(); err != nil {
				// Leave the WAL whole for the next start to replay (checkpoint).
				db.log.Warn("store: no final checkpoint after a failed fsync", "err", err)
				return
			}
			if _, err := db.ckpt.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				db.log.Warn("store: final checkpoint", "err", err)
			}
			return
		case <-db.scrub:
			if err := db.scrubWAL(); err != nil {
				db.breakOnFailedSync(err)
				db.ckptFailed("truncate the WAL after deletes", err)
			}
		case <-t.C:
			start := time.Now()
			what, err := db.checkpoint()
			db.ckptNanos.Add(int64(time.Since(start)))
			db.ckpts.Add(1)
			if serr := db.scrubWAL(); serr != nil && err == nil { // a scrub the last attempt could not finish
				what, err = "truncate the WAL after deletes", serr
			}
			if err != nil {
				db.breakOnFailedSync(err)
				db.ckptFailed(what, err)
			} else {
				db.ckptSucceeded()
			}
		}
	}
}
