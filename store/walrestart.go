package store

import (
	"context"
	"fmt"
)

// restartBusyTimeoutMs is the checkpointer's busy timeout during a RESTART
// checkpoint. RESTART holds the WAL write lock while it waits for readers to
// leave the WAL, and the writer's BEGIN IMMEDIATE waits only its own busy
// timeout (1 s): with the checkpointer's usual 1 s a long reader (a backup's
// VACUUM INTO, `baton report`) made whole batches fail with "database is
// locked". A short wait stalls the writer at most this long.
const restartBusyTimeoutMs = 100

// maxRestartBackoff bounds how many checkpoint intervals RESTART is skipped
// after readers kept it busy: the skip doubles per busy attempt up to this,
// so a long reader costs the writer one short stall per ~30 s, not per
// interval, and the WAL starts over soon after the reader leaves.
const maxRestartBackoff = 32

// restartCheckpoint runs wal_checkpoint(RESTART) with the short busy timeout.
// When readers kept it from finishing it backs off (db.restartSkip); a
// finished one resets the back-off and counts in walRestarts, and the
// frames it copied itself — those past backfilled, the frames the PASSIVE
// passes before it had copied — in restartCopied: the copy the writer
// waited for. It returns the checkpoint's error, which the caller logs
// (checkpoint_health.go).
func (db *DB) restartCheckpoint(backfilled int64) error {
	busy, frames, err := db.restartOnce(context.Background())
	if err != nil {
		return err
	}
	if busy {
		db.restartBackoff = min(max(2*db.restartBackoff, 1), maxRestartBackoff)
		db.restartSkip = db.restartBackoff
		return nil
	}
	db.restartBackoff, db.restartSkip = 0, 0
	db.restartedAt = frames
	db.walRestarts.Add(1)
	if frames > backfilled { // fewer: the writer restarted the WAL itself meanwhile
		db.restartCopied.Add(frames - backfilled)
	}
	return nil
}

// restartOnce runs one RESTART checkpoint on the checkpointer's connection
// with restartBusyTimeoutMs, restoring its usual busy timeout after. It
// reports whether the checkpoint was busy (did not finish) and the WAL's
// size in frames when it began.
func (db *DB) restartOnce(ctx context.Context) (busy bool, frames int64, err error) {
	conn, err := db.ckpt.Conn(ctx)
	if err != nil {
		return false, 0, fmt.Errorf("store: checkpointer connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", restartBusyTimeoutMs)); err != nil {
		return false, 0, fmt.Errorf("store: set checkpoint busy timeout: %w", err)
	}
	defer func() {
		if _, rerr := conn.ExecContext(ctx, "PRAGMA busy_timeout = 1000"); rerr != nil && err == nil {
			err = fmt.Errorf("store: restore checkpoint busy timeout: %w", rerr)
		}
	}()
	var b, copied int64
	// The gate: the RESTART begins between two of the writer's batches
	// (it waits for no writer in SQLite's busy handler), and the writer's
	// next BEGIN waits for it on the gate (db.go).
	db.walGate.Lock()
	if db.restartHook != nil {
		db.restartHook()
	}
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&b, &frames, &copied)
	db.walGate.Unlock()
	if err != nil {
		return false, 0, fmt.Errorf("store: wal_checkpoint(RESTART): %w", err)
	}
	return b != 0, frames, nil
}
