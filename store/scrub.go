package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Deleted rows and the database files. SQLite only unlinks a deleted row:
// its bytes stay in the page (as free space in a b-tree page, or on a page
// moved to the freelist) until something overwrites them, and the WAL keeps
// every earlier version of a page until the file is overwritten or
// truncated. An erased user (EraseUser) or a record past its retention
// (Prune) must not stay readable in baton.db or baton.db-wal, so:
//
//   - Every connection of the writer's driver runs with
//     PRAGMA secure_delete = FAST: a delete zeroes the cell it removes from a
//     b-tree page, which the delete writes anyway — CPU (a memset per cell),
//     no extra I/O. The hot path (conv_journal rows deleted on every flush,
//     turns and outbox rows) keeps its page writes unchanged.
//   - EraseUser and Prune's deletes run with secure_delete = ON
//     (secureDeletes): pages those deletes free, and overflow pages, are
//     zeroed before they join the freelist. That writes one extra WAL frame
//     per freed page, paid only by erasures and retention chunks — never by
//     a turn, which is why ON is not the global setting: conv_journal pages
//     are freed many times a second under load.
//   - After an erasure, or a Prune that deleted something, the checkpointer
//     copies the WAL into the database and truncates the WAL to zero bytes
//     (PRAGMA wal_checkpoint(TRUNCATE), scrubWAL), within about a second,
//     retrying every checkpointInterval while readers or the writer keep it
//     busy: the old frames that still held the deleted rows are gone from
//     the file.
//
// What this does not cover (docs/ops.md "Erasing a user"): copies a b-tree
// rebalance left on pages freed before the erasure under FAST (freed pages
// are only zeroed under ON) stay until SQLite reuses those pages; earlier
// backups (VACUUM INTO) keep what they held; and blocks the file system
// released are outside SQLite's reach.

// secureDeletes wraps fn, a Write callback, so that it runs with PRAGMA
// secure_delete = ON on the writer's connection and sets it back to FAST
// afterwards, also when fn fails. The setting belongs to the connection, not
// the transaction: other requests of the same group-commit batch run before
// or after with FAST. The callback returns fn's error, or the error of
// either PRAGMA, wrapped.
func secureDeletes(ctx context.Context, fn func(tx *sql.Tx) error) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
			return fmt.Errorf("secure_delete on: %w", err)
		}
		err := fn(tx)
		// The context may be done by now; the setting must go back regardless.
		if _, rerr := tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA secure_delete = FAST"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("secure_delete fast: %w", rerr))
		}
		return err
	}
}

// scrubSoon asks the checkpointer to truncate the WAL at its next chance
// (scrubWAL); it never blocks.
func (db *DB) scrubSoon() {
	db.scrubPending.Store(true)
	select {
	case db.scrub <- struct{}{}:
	default:
	}
}

// scrubWAL runs a scrub the store asked for (scrubSoon), if any: a PASSIVE
// checkpoint copies what it can without blocking anybody, then a TRUNCATE
// checkpoint waits (busy timeout) for a gap between the writer's batches
// and for readers to leave the WAL, copies the rest and truncates the WAL
// file. When readers or the writer keep it busy, the request stays pending
// and the checkpointer tries again on its next tick.
func (db *DB) scrubWAL() {
	if !db.scrubPending.Swap(false) {
		return
	}
	var busy, frames, copied int64
	if err := db.ckpt.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		db.scrubPending.Store(true)
		db.log.Warn("store: checkpoint before truncating the WAL", "err", err)
		return
	}
	if err := db.ckpt.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		db.scrubPending.Store(true)
		db.log.Warn("store: truncate the WAL after deletes", "err", err)
		return
	}
	if busy != 0 {
		db.scrubPending.Store(true)
		return
	}
	db.walScrubs.Add(1)
	db.log.Debug("store: WAL truncated after deletes")
}
