package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// Deliveries returns the targets already told about handoff id (notify sinks,
// dealers), with the time each was recorded. The router uses it to avoid
// repeating a side effect when JetStream redelivers a request.
func (db *DB) Deliveries(ctx context.Context, handoffID string) (map[string]time.Time, error) {
	return db.deliveries(ctx, handoffDeliveries, handoffID)
}

// MarkDelivered records, through the writer, that target was told about
// handoff id at at. A pair already recorded keeps its first time. It returns
// the Write errors (ErrClosed, ctx.Err(), the COMMIT's error) and a foreign
// key error for an unknown handoff.
func (db *DB) MarkDelivered(ctx context.Context, handoffID, target string, at time.Time) error {
	return db.markDelivered(ctx, handoffDeliveries, handoffID, target, at)
}

// deliveryTable is a table of (thing, target) pairs already told, with the
// time: handoff_deliveries or ticket_deliveries.
type deliveryTable struct {
	table, idColumn, what string
}

var (
	handoffDeliveries = deliveryTable{"handoff_deliveries", "handoff_id", "handoff"}
	ticketDeliveries  = deliveryTable{"ticket_deliveries", "ticket_id", "ticket"}
)

// deliveries reads the targets recorded in d for id.
func (db *DB) deliveries(ctx context.Context, d deliveryTable, id string) (map[string]time.Time, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: deliveries of %s %s: %w", d.what, id, ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT target, delivered_at FROM `+d.table+` WHERE `+d.idColumn+` = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of %s %s: %w", d.what, id, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var target string
		var at int64
		if err := rows.Scan(&target, &at); err != nil {
			return nil, fmt.Errorf("store: deliveries of %s %s: %w", d.what, id, err)
		}
		out[target] = fromMS(at)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: deliveries of %s %s: %w", d.what, id, err)
	}
	return out, nil
}

// markDelivered records in d that target was told about id at at, keeping
// the first time of a pair already recorded.
func (db *DB) markDelivered(ctx context.Context, d deliveryTable, id, target string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO `+d.table+` (`+d.idColumn+`, target, delivered_at)
			VALUES (?, ?, ?) ON CONFLICT (`+d.idColumn+`, target) DO NOTHING`, id, target, at.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: mark %s %s delivered to %s: %w", d.what, id, target, err)
	}
	return nil
}

// recentWalk bounds how far back RecentTurns follows a user's chain past the
// n turns it wants (turns after before, taken while a handoff waited).
const recentWalk = 1000

// recentTurnsSQL follows the user's chain of turns back from their latest
// (turns.prev; a row of another user ends it).
const recentTurnsSQL = `WITH RECURSIVE chain(r, n) AS (
		SELECT ?1, 0
		UNION ALL
		SELECT t.prev, chain.n + 1 FROM chain CROSS JOIN turns t ON t.rowid = chain.r
		WHERE t.user_key = ?2 AND t.prev > 0 AND chain.n < ?3
	)
	SELECT t.id, t.at, t.block, t.utterance, t.kind, t.node, t.score, t.state, t.test
	FROM chain CROSS JOIN turns t ON t.rowid = chain.r
	WHERE t.user_key = ?2 AND t.at <= ?4
	ORDER BY t.at DESC, t.id DESC LIMIT ?5`

// lastTurn returns the rowid of userKey's latest turn (0: none): the cached
// entry's (which may be newer than the conversation row), else the row's.
func (db *DB) lastTurn(ctx context.Context, userKey string) (int64, error) {
	if e, ok := db.cache.peek(userKey); ok {
		return e.lastTurn, nil
	}
	var last int64
	err := db.r.QueryRowContext(ctx, `SELECT last_turn FROM conversations WHERE user_key = ?`, userKey).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return last, nil
}

// RecentTurns returns up to n of userKey's turns at or before before, oldest
// first, with their masked utterances. It is the transcript a handoff carries.
// It follows the user's chain of turns back from the latest, at most
// n+recentWalk of them.
func (db *DB) RecentTurns(ctx context.Context, userKey string, before time.Time, n int) ([]Turn, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: recent turns of %s: %w", userKey, ErrClosed)
	}
	last, err := db.lastTurn(ctx, userKey)
	if err != nil {
		return nil, fmt.Errorf("store: recent turns of %s: %w", userKey, err)
	}
	if last == 0 || n <= 0 {
		return nil, nil
	}
	rows, err := db.recentStmt.QueryContext(ctx, last, userKey, n+recentWalk, before.UnixMilli(), n)
	if err != nil {
		return nil, fmt.Errorf("store: recent turns of %s: %w", userKey, err)
	}
	defer rows.Close()
	var out []Turn
	for rows.Next() {
		t := Turn{UserKey: userKey}
		var at int64
		var state string
		if err := rows.Scan(&t.ID, &at, &t.Block, &t.Utterance, &t.Kind, &t.Node, &t.Score, &state, &t.Test); err != nil {
			return nil, fmt.Errorf("store: recent turns of %s: %w", userKey, err)
		}
		t.At, t.State = fromMS(at), fsm.State(state)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: recent turns of %s: %w", userKey, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
