package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RecordDealerSessionEnd remembers, through the writer, that dealer
// reported the end of userKey's session (a session.ended): endedAt is when
// it ended (the event's "at", else when Baton received it), receivedAt when
// Baton received it. The latest end wins: a late report of an older end
// moves neither time back. An unknown user records nothing. Dealer events
// read it back with DealerSessionEnd, so that a late event of the ended
// session opens no external handoff (docs/dealer-contract.md §3.1). The
// row goes with the user (erasure, users retention) and is pruned by
// PruneDealerSessionEnds. It returns the Write errors, wrapped.
func (db *DB) RecordDealerSessionEnd(ctx context.Context, dealer, userKey string, endedAt, receivedAt time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dealer_session_ends (dealer, user_key, ended_at, received_at)
			SELECT ?, key, ?, ? FROM users WHERE key = ?
			ON CONFLICT (user_key, dealer) DO UPDATE SET ended_at = max(ended_at, excluded.ended_at),
			received_at = max(received_at, excluded.received_at)`,
			dealer, endedAt.UnixMilli(), receivedAt.UnixMilli(), userKey)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record dealer %s session end: %w", dealer, err)
	}
	return nil
}

// DealerSessionEnd returns when the latest session of userKey that dealer
// reported ended (RecordDealerSessionEnd), if that report was received at
// or after since; ok is false when there is none. It returns ErrClosed
// after Close or the query's error, wrapped.
func (db *DB) DealerSessionEnd(ctx context.Context, dealer, userKey string, since time.Time) (endedAt time.Time, ok bool, err error) {
	if db.writer.isClosed() {
		return time.Time{}, false, fmt.Errorf("store: dealer %s session end: %w", dealer, ErrClosed)
	}
	var ms int64
	err = db.r.QueryRowContext(ctx, `SELECT ended_at FROM dealer_session_ends
		WHERE user_key = ? AND dealer = ? AND received_at >= ?`, userKey, dealer, since.UnixMilli()).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: dealer %s session end: %w", dealer, err)
	}
	return fromMS(ms), true, nil
}

// PruneDealerSessionEnds forgets the session ends received before before,
// in writes of at most 500 rows, and returns how many it deleted. It stops
// at the first error (ErrClosed, ctx.Err(), the write's error), wrapped.
func (db *DB) PruneDealerSessionEnds(ctx context.Context, before time.Time) (int, error) {
	return db.pruneChunks(ctx, "dealer session ends", `DELETE FROM dealer_session_ends WHERE (user_key, dealer) IN
		(SELECT user_key, dealer FROM dealer_session_ends WHERE received_at < ? LIMIT ?)`, before)
}
