package store

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// The database file's own fsync, before a RESTART.
//
// A PASSIVE checkpoint copies WAL frames into the database file but fsyncs
// that file only when no writer appended to the WAL while it ran: SQLite's
// walCheckpoint syncs the database only when the last frame it copied is
// still the WAL's last. Under steady load a batch commits every millisecond
// or so, so that is never true, and every page the once-a-second passes
// copy stays dirty in the OS page cache until the next RESTART. A RESTART
// holds the write lock, so it does end at the WAL's last frame and fsyncs
// the database file: all the pages of the seconds since the previous
// RESTART, while the writer waited on the WAL gate. As the tables grow,
// those seconds touch more distinct pages (new users and conversations land
// on ever more leaves), so the wait grew over a soak: ≈ 4 ms per RESTART in
// a fresh-users soak's first minute, 21–25 ms in its tenth, at 1,000
// turns/s (docs/benchmarks-history.md, session 23).
//
// So before a RESTART the checkpointer fdatasyncs the database file itself,
// outside the gate, while the writer carries on: the RESTART's own fsync
// then finds only the pages copied since (the catch-up passes' and its
// own). The TRUNCATE of a scrub after deletes (scrub.go), which holds the
// write lock as well, is preceded by one too. fsync applies to the file,
// not the descriptor, so the store's own read-only descriptor covers the
// pages SQLite's connections wrote.
//
// The descriptor stays open until the store has closed every SQLite
// connection (closeConns): closing any descriptor of the database file
// drops every POSIX lock this process holds on it, SQLite's included, and
// another process (baton report) could then take it for the last
// connection and reset the WAL under the server.
//
// A failed fdatasync breaks the store as a failed fsync of the WAL does
// (walsync.go), and so does a failed fsync inside one of SQLite's own
// checkpoints (breakOnFailedSync): the kernel may have dropped the pages it
// could not write and marked them clean, so a later fsync could succeed
// without them, and a WAL started over after it would let the writer
// overwrite their only durable copy. No write is acknowledged after it and
// the WAL is never started over (checkpoint); a restart replays the WAL
// into the database again.

// openDBFile opens the database file for syncing (it exists: the writer
// created it).
func (db *DB) openDBFile() error {
	f, err := os.Open(db.path)
	if err != nil {
		return fmt.Errorf("store: open %s for fsync: %w", db.path, err)
	}
	db.dbFile = f
	return nil
}

// syncDBFile fdatasyncs the database file (through Options.dbSync in
// tests). On failure it breaks the store, as a failed WAL fsync does, and
// returns the error.
func (db *DB) syncDBFile() error {
	real := func() error { return datasync(db.dbFile) }
	began := time.Now()
	var err error
	if db.dbSync != nil {
		err = db.dbSync(real)
	} else {
		err = real()
	}
	db.dbSyncs.Add(1)
	db.dbSyncNanos.Add(int64(time.Since(began)))
	if err == nil {
		return nil
	}
	err = fmt.Errorf("store: fsync database file: %w", err)
	db.breakStore(err)
	return err
}

// breakOnFailedSync breaks the store when err, from one of SQLite's own
// checkpoints, is a failed fsync: SQLite then leaves the WAL as it was, but
// its next attempt may sync without the lost pages and let the WAL start
// over (by a RESTART, or by the writer itself once an idle pass has copied
// everything).
func (db *DB) breakOnFailedSync(err error) {
	if err != nil && isFsyncError(err) {
		db.breakStore(fmt.Errorf("store: fsync in a checkpoint: %w", err))
	}
}

// breakStore makes err the store's sticky failure, if it has none yet
// (walsync.go): no write is acknowledged from then on, and the WAL is not
// started over (checkpoint).
func (db *DB) breakStore(err error) {
	if db.writer.sync.broken.CompareAndSwap(nil, &err) {
		db.log.Error("store: an fsync failed; no write is acknowledged until Baton restarts",
			"db", db.path, "err", err)
	}
}

// closeDBFile closes the descriptor openDBFile opened, once no SQLite
// connection is open.
func (db *DB) closeDBFile() error {
	if db.dbFile == nil {
		return nil
	}
	err := db.dbFile.Close()
	db.dbFile = nil
	if err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("store: close %s: %w", db.path, err)
	}
	return nil
}
