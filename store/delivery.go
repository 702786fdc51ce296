package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
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

// UnmarkDelivered removes the record of target for handoff id, through the
// writer: the router drops its mark of an attempt that the receiver
// refused (it never showed the request). Removing a record that is not
// there is not an error. It returns the Write errors, wrapped.
func (db *DB) UnmarkDelivered(ctx context.Context, handoffID, target string) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM handoff_deliveries WHERE handoff_id = ? AND target = ?`, handoffID, target)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: unmark handoff %s delivered to %s: %w", handoffID, target, err)
	}
	return nil
}

// Suffixes of the delivery records the router writes besides a request's
// 2xx: AttemptSuffix before a request's POST to a sink that sends
// handoff.closed (the sink may hear of the handoff even when its answer is
// lost), ClosedSuffix after the handoff.closed message's 2xx.
const (
	AttemptSuffix = ":attempt"
	ClosedSuffix  = ":closed"
)

// RequestDelivery reports whether delivery record target says that a sink
// or dealer answered 2xx to a handoff's request: neither an attempt mark
// nor a handoff.closed delivery.
func RequestDelivery(target string) bool {
	return !strings.HasSuffix(target, AttemptSuffix) && !strings.HasSuffix(target, ClosedSuffix)
}

// sqlRequestDelivery is RequestDelivery on handoff_deliveries d.
const sqlRequestDelivery = `d.target NOT LIKE '%` + AttemptSuffix + `' AND d.target NOT LIKE '%` + ClosedSuffix + `'`

// AdoptSinkNames renames, once, the notify sinks' delivery records an older
// baton wrote under names by the sink's place in the notify list: each
// target old of names becomes names[old], in handoff_deliveries and
// ticket_deliveries, so a handoff told before the upgrade is not told again
// and still gets its handoff.closed. It runs only while migration 00023 left
// its mark (records of the old shape existed), and clears the mark in the
// same transaction: later starts, whatever their config, rename nothing. A
// record whose new name is already recorded for the same handoff or ticket
// keeps its old name, as do records of old places names lacks (a sink now
// off or gone): they still say some sink was told. It returns how many
// records it renamed, and the Write errors, wrapped.
func (db *DB) AdoptSinkNames(ctx context.Context, names map[string]string) (renamed int64, err error) {
	olds := slices.Sorted(maps.Keys(names))
	err = db.Write(ctx, func(tx *sql.Tx) error {
		renamed = 0
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM legacy_sink_names`).Scan(&pending); err != nil || pending == 0 {
			return err
		}
		for _, old := range olds {
			for _, d := range []deliveryTable{handoffDeliveries, ticketDeliveries} {
				res, err := tx.ExecContext(ctx, `UPDATE OR IGNORE `+d.table+` SET target = ? WHERE target = ?`, names[old], old)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				renamed += n
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM legacy_sink_names`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: adopt notify sink names: %w", err)
	}
	return renamed, nil
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

// chainLinkSQL is the condition on turn t for following its prev link: a
// link goes back, to a smaller rowid. turns has no AUTOINCREMENT, so once
// retention or an erasure deleted the table's newest rows SQLite hands
// their rowids out again, while a user's last_turn, and the prev of their
// next turn, may still name one of them: followed, such a link would lead
// to a newer turn, another user's (the user_key check ends it), or back
// into the chain itself, a loop. A turn's rowid is larger than every rowid
// in the table when it is inserted, so a prev that is not smaller names a
// row deleted meanwhile: the chain ends there, as it does at a pruned turn.
const chainLinkSQL = `t.prev > 0 AND t.prev < t.rowid`

// recentWalk bounds how far back RecentTurns follows a user's chain past the
// n turns it wants (turns after before, taken while a handoff waited).
const recentWalk = 1000

// recentTurnsSQL follows the user's chain of turns back from their latest
// (turns.prev; a row of another user ends it, and so does a link that does
// not go back: see chainLinkSQL), newest first, and keeps the first ?5 at or
// before ?4. The chain's order is the order the turns were taken, also when
// the wall clock stepped back between two of them: the order turnsBeforeSQL
// pages on, so a transcript's first page and the next ones neither skip nor
// repeat a turn. k counts the turns kept so far: the walk stops at the ?5th
// (or after ?3 links), instead of reading the rest of the chain.
const recentTurnsSQL = `WITH RECURSIVE chain(r, n, k) AS (
		SELECT ?1, 0, 0
		UNION ALL
		SELECT t.prev, chain.n + 1, chain.k + (t.at <= ?4) FROM chain CROSS JOIN turns t ON t.rowid = chain.r
		WHERE t.user_key = ?2 AND ` + chainLinkSQL + ` AND chain.n < ?3 AND chain.k + (t.at <= ?4) < ?5
	)
	SELECT t.id, t.at, t.block, t.utterance, t.kind, t.node, t.score, t.state, t.test
	FROM chain CROSS JOIN turns t ON t.rowid = chain.r
	WHERE t.user_key = ?2 AND t.at <= ?4
	ORDER BY chain.n LIMIT ?5`

// RecentTurns returns the last n of userKey's turns at or before before, in
// the order they were taken (the user's chain, as TurnsBefore pages on),
// oldest first, with their masked utterances. It is the transcript a handoff
// carries, and a transcript's first page. It follows the user's chain of
// turns back from the latest, at most n+recentWalk of them, on the writer's
// connection (between two batches' statements): there the pages are in
// cache, while a read-pool connection re-reads every page after each commit,
// which made this read cost ≈ 0.5 ms under load.
func (db *DB) RecentTurns(ctx context.Context, userKey string, before time.Time, n int) ([]Turn, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []Turn
	r := &request{ctx: ctx, done: make(chan error, 1), read: func(ctx context.Context, w *writer) error {
		last, err := w.prevTurn(ctx, userKey)
		if err != nil || last == 0 {
			return err
		}
		rows, err := w.jstmt(ctx, jStmtRecentTurns).QueryContext(ctx, last, userKey, n+recentWalk, before.UnixMilli(), n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTurn(rows, userKey)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	}}
	if err := db.writer.do(r); err != nil {
		return nil, fmt.Errorf("store: recent turns: %w", err)
	}
	slices.Reverse(out)
	return out, nil
}

// TurnKey is t's position in a transcript, the id TurnsBefore pages back
// from (Key.S).
func TurnKey(t Turn) Key { return Key{S: t.ID} }

// turnsBeforeSQL follows the user's chain of turns back from the one before
// turn ?1, newest first.
const turnsBeforeSQL = `WITH RECURSIVE chain(r, n) AS (
		SELECT prev, 1 FROM turns t WHERE id = ?1 AND user_key = ?2 AND ` + chainLinkSQL + `
		UNION ALL
		SELECT t.prev, chain.n + 1 FROM chain CROSS JOIN turns t ON t.rowid = chain.r
		WHERE t.user_key = ?2 AND ` + chainLinkSQL + ` AND chain.n < ?3
	)
	SELECT t.id, t.at, t.block, t.utterance, t.kind, t.node, t.score, t.state, t.test
	FROM chain CROSS JOIN turns t ON t.rowid = chain.r
	WHERE t.user_key = ?2
	ORDER BY chain.n LIMIT ?3`

// TurnsBefore returns up to n of userKey's turns that precede the turn id
// in the user's chain (the turns before it, as RecentTurns lists them),
// oldest first, with their masked utterances: the next page back of a
// transcript whose oldest turn shown is id. An id that is not one of
// userKey's turns returns none. It reads on the read pool (an admin read,
// not a turn's). It returns ErrClosed after Close or the query's error,
// wrapped.
func (db *DB) TurnsBefore(ctx context.Context, userKey, id string, n int) ([]Turn, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: turns before %s: %w", id, ErrClosed)
	}
	if n <= 0 {
		return nil, nil
	}
	rows, err := db.r.QueryContext(ctx, turnsBeforeSQL, id, userKey, n)
	if err != nil {
		return nil, fmt.Errorf("store: turns before %s: %w", id, err)
	}
	defer rows.Close()
	var out []Turn
	for rows.Next() {
		t, err := scanTurn(rows, userKey)
		if err != nil {
			return nil, fmt.Errorf("store: turns before %s: %w", id, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: turns before %s: %w", id, err)
	}
	slices.Reverse(out)
	return out, nil
}

// scanTurn reads a turn of userKey from the columns of recentTurnsSQL and
// turnsBeforeSQL.
func scanTurn(row scanner, userKey string) (Turn, error) {
	t := Turn{UserKey: userKey}
	var at int64
	var state string
	if err := row.Scan(&t.ID, &at, &t.Block, &t.Utterance, &t.Kind, &t.Node, &t.Score, &state, &t.Test); err != nil {
		return Turn{}, err
	}
	t.At, t.State = fromMS(at), fsm.State(state)
	return t, nil
}
