package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// TimerRef names a durable timer (timers.kind, timers.id); its JetStream
// schedule lives on the subject handoff derives from it.
type TimerRef struct {
	Kind string
	ID   string
}

// Erasure is what erasing a user removed (or, from UserRefs, would remove):
// the ids whose JetStream messages the caller must purge, and rows per table.
type Erasure struct {
	Found         bool // a users row existed
	Handoffs      []string
	Tickets       []string
	Notifications []string
	Timers        []TimerRef
	// Rows counts deleted rows per table (EraseUser only).
	Rows map[string]int64
	// Cancels are the dealer cancels recorded with the erasure
	// (EraseUserOwing only).
	Cancels []ErasureCancel
}

// UserRefs reads, without changing anything, the ids of userKey's handoffs,
// tickets, notifications and timers: what EraseUser would remove. Callers
// purge the user's JetStream timer schedules with it before erasing.
func (db *DB) UserRefs(ctx context.Context, userKey string) (Erasure, error) {
	if db.writer.isClosed() {
		return Erasure{}, fmt.Errorf("store: user refs: %w", ErrClosed)
	}
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return Erasure{}, fmt.Errorf("store: user refs: %w", err)
	}
	defer conn.Close()
	e, err := userRefs(ctx, conn, userKey)
	if err != nil {
		return Erasure{}, fmt.Errorf("store: user refs: %w", err)
	}
	return e, nil
}

// querier is what userRefs needs: a read connection or the writer's tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// userRefs collects userKey's ids through q.
func userRefs(ctx context.Context, q querier, userKey string) (Erasure, error) {
	var e Erasure
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE key = ?`, userKey).Scan(&n); err != nil {
		return e, err
	}
	e.Found = n > 0
	var err error
	if e.Handoffs, err = queryStrings(ctx, q, `SELECT id FROM handoffs WHERE user_key = ? ORDER BY id`, userKey); err != nil {
		return e, err
	}
	if e.Tickets, err = queryStrings(ctx, q, `SELECT id FROM tickets WHERE user_key = ?
		OR handoff_id IN (SELECT id FROM handoffs WHERE user_key = ?) ORDER BY id`, userKey, userKey); err != nil {
		return e, err
	}
	if e.Notifications, err = queryStrings(ctx, q, `SELECT id FROM notifications WHERE user_key = ? ORDER BY id`, userKey); err != nil {
		return e, err
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, id FROM timers WHERE user_key = ?
		OR handoff_id IN (SELECT id FROM handoffs WHERE user_key = ?) ORDER BY kind, id`, userKey, userKey)
	if err != nil {
		return e, err
	}
	defer rows.Close()
	for rows.Next() {
		var t TimerRef
		if err := rows.Scan(&t.Kind, &t.ID); err != nil {
			return e, err
		}
		e.Timers = append(e.Timers, t)
	}
	return e, rows.Err()
}

// queryStrings returns the first column of every row of query.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// EraseUser deletes everything stored about userKey in one transaction: every
// row of every table with a user_key column (turns, conversations, handoffs,
// tickets, timers, notifications, contacts, and any table added later), every
// row of a table with a handoff_id column that points at one of the user's
// handoffs (handoff_agents, handoff_deliveries, tickets opened for them)
// except access_log, whose rows record who read the user's data and hold
// nothing of the user (a keyed hash of the key, ids), outbox rows whose subject, payload or headers name one of the user's ids
// or the key, and finally the users row. The user leaves the conversation
// cache. The returned Erasure lists the ids removed, so the caller can purge
// the matching JetStream subjects (timer schedules). Erasing an unknown user
// is not an error (Found is false). It returns the Write errors, wrapped.
// It erases userKey's rows only: a user's team-chat rooms are stored under
// keys of their own (GroupKey), which GroupKeys lists for the caller to
// erase too, each under its own turn lock (DELETE /admin/users/{key}).
//
// The outbox is searched on the read pool first, so the writer (and every
// turn behind it) only waits for the rows added since that search.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EraseUser(ctx context.Context, userKey string) (Erasure, error) {
	return db.eraseUser(ctx, userKey, nil)
}

// EraseUserOwing is EraseUser that also records, in the same transaction,
// the dealer cancels owe asks for (OweErasureCancels says which) and their
// outbox messages, in Erasure.Cancels: both happen or neither does, so a
// failed erasure sends no dealer a cancel for a handoff Baton keeps open.
// The messages are written after the deletes: the erasure's outbox delete
// leaves them even when they name an erased id. It returns the Write
// errors, wrapped.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) EraseUserOwing(ctx context.Context, userKey string, owe CancelOwe) (Erasure, error) {
	if owe.Msg == nil {
		return Erasure{}, errors.New("store: erase user: cancel owe without a message")
	}
	return db.eraseUser(ctx, userKey, &owe)
}

// eraseUser is EraseUser, recording owe's cancels when owe is not nil.
func (db *DB) eraseUser(ctx context.Context, userKey string, owe *CancelOwe) (Erasure, error) {
	if db.writer.isClosed() {
		return Erasure{}, fmt.Errorf("store: erase user: %w", ErrClosed)
	}
	pre, err := db.prescanOutbox(ctx, userKey)
	if err != nil {
		return Erasure{}, fmt.Errorf("store: erase user: %w", err)
	}
	var e Erasure
	err = db.WriteEvict(ctx, []string{userKey}, secureDeletes(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = userRefs(ctx, tx, userKey); err != nil {
			return fmt.Errorf("read refs: %w", err)
		}
		e.Rows = map[string]int64{}
		if owe == nil {
			return eraseRows(ctx, tx, userKey, &e, pre)
		}
		// Read before the deletes (they need the handoff rows), written
		// after them (the outbox delete must not see their messages).
		if e.Cancels, err = owedCancels(ctx, tx, userKey, *owe); err != nil {
			return fmt.Errorf("owe dealer cancels: %w", err)
		}
		if err := eraseRows(ctx, tx, userKey, &e, pre); err != nil {
			return err
		}
		if err := db.recordCancels(ctx, tx, e.Cancels, *owe); err != nil {
			return fmt.Errorf("owe dealer cancels: %w", err)
		}
		return nil
	}))
	if err != nil {
		return Erasure{}, fmt.Errorf("store: erase user: %w", err)
	}
	db.scrubSoon()
	return e, nil
}

// outboxScan is what a read-pool search of the outbox found for a user: the
// matching row ids, and the largest rowid it saw (rows committed later have
// larger rowids).
type outboxScan struct {
	ids    []string
	maxRow int64
	// maxID is the id of the row at maxRow: outbox has no AUTOINCREMENT, so
	// once that row is deleted a later row can take its rowid, or a smaller
	// one, and only a row still holding maxRow with this id shows that none
	// did (eraseOutbox).
	maxID string
	// turns has no index by user: the prescan finds the user's turns up to
	// turnsMax (a scan on the read pool), the writer only the later ones.
	turns    []int64
	turnsMax int64
	// turnsMaxID is the id of the turn at turnsMax: turns has no
	// AUTOINCREMENT either, so the same holds as for maxID (eraseTurns).
	turnsMaxID string
}

// prescanOutbox searches the outbox for userKey's rows in one read snapshot.
func (db *DB) prescanOutbox(ctx context.Context, userKey string) (outboxScan, error) {
	var out outboxScan
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, fmt.Errorf("outbox prescan: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	err = tx.QueryRowContext(ctx, `SELECT rowid, id FROM outbox ORDER BY rowid DESC LIMIT 1`).Scan(&out.maxRow, &out.maxID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("outbox prescan: %w", err)
	}
	refs, err := userRefs(ctx, tx, userKey)
	if err != nil {
		return out, fmt.Errorf("outbox prescan: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT rowid, id FROM turns ORDER BY rowid DESC LIMIT 1`).Scan(&out.turnsMax, &out.turnsMaxID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("turns prescan: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid FROM turns WHERE rowid <= ? AND user_key = ?`, out.turnsMax, userKey)
	if err != nil {
		return out, fmt.Errorf("turns prescan: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return out, fmt.Errorf("turns prescan: %w", err)
		}
		out.turns = append(out.turns, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return out, fmt.Errorf("turns prescan: %w", err)
	}
	if cond, args := outboxMatch(userKey, refs); cond != "" {
		if out.ids, err = queryStrings(ctx, tx, `SELECT id FROM outbox WHERE rowid <= ? AND (`+cond+`)`,
			append([]any{out.maxRow}, args...)...); err != nil {
			return out, fmt.Errorf("outbox prescan: %w", err)
		}
	}
	return out, nil
}

// eraseRows performs EraseUser's deletes inside tx, counting rows in e.Rows.
func eraseRows(ctx context.Context, tx *sql.Tx, userKey string, e *Erasure, pre outboxScan) error {
	exec := func(table, q string, args ...any) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
		e.Rows[table] += n
		return nil
	}
	// The outbox first: its rows name ids that the deletes below remove.
	if err := eraseOutbox(ctx, tx, exec, userKey, e, pre); err != nil {
		return err
	}
	byHandoff, err := tablesWithColumn(ctx, tx, "handoff_id")
	if err != nil {
		return err
	}
	var (
		in   string
		args []any
	)
	if len(e.Handoffs) > 0 {
		in, args = inList(e.Handoffs)
	}
	for _, t := range byHandoff {
		switch t {
		case "conversations":
			continue // goes with the user_key delete
		case "access_log":
			// The record of who read the user's data outlives the data:
			// its rows hold a keyed hash of the user key and ids, nothing
			// of the user (migration 00017).
			continue
		}
		if len(e.Handoffs) == 0 {
			// Listed with 0 all the same: every erasure names the same
			// tables, whatever the user had (or an unknown key).
			e.Rows[t] += 0
			continue
		}
		if err := exec(t, `DELETE FROM `+quoteIdent(t)+` WHERE handoff_id IN `+in, args...); err != nil {
			return err
		}
	}
	byUser, err := tablesWithColumn(ctx, tx, "user_key")
	if err != nil {
		return err
	}
	// Children before handoffs, so nothing depends on the cascade order.
	sort.SliceStable(byUser, func(i, j int) bool { return byUser[j] == "handoffs" && byUser[i] != "handoffs" })
	for _, t := range byUser {
		if t == "turns" {
			if err := eraseTurns(ctx, tx, exec, userKey, pre); err != nil {
				return err
			}
			continue
		}
		if err := exec(t, `DELETE FROM `+quoteIdent(t)+` WHERE user_key = ?`, userKey); err != nil {
			return err
		}
	}
	return exec("users", `DELETE FROM users WHERE key = ?`, userKey)
}

// eraseTurns deletes the turns the prescan found, and those taken since.
// A turn taken since has a rowid above turnsMax as long as the row at
// turnsMax is still there: SQLite gives a new row the largest rowid plus
// one. When that row is gone (another erasure deleted the newest turn, or
// retention emptied the table), a turn taken since may hold a rowid the
// prescan saw, or a smaller one: then every turn of the user is deleted
// with a scan of the table in the writer. That race is rare; otherwise the
// writer only reads the rows added since the prescan.
func eraseTurns(ctx context.Context, tx *sql.Tx, exec func(table, q string, args ...any) error, userKey string, pre outboxScan) error {
	if pre.turnsMax > 0 {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM turns WHERE rowid = ?`, pre.turnsMax).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delete from turns: %w", err)
		}
		if id != pre.turnsMaxID {
			return exec("turns", `DELETE FROM turns WHERE user_key = ?`, userKey)
		}
	}
	const chunk = 500
	for start := 0; start < len(pre.turns); start += chunk {
		part := pre.turns[start:min(start+chunk, len(pre.turns))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		// user_key too: a rowid the prescan read may have been deleted
		// and handed to another user's turn since (chainLinkSQL).
		q := `DELETE FROM turns WHERE user_key = ? AND rowid IN (?` + strings.Repeat(",?", len(part)-1) + `)`
		if err := exec("turns", q, append([]any{userKey}, args...)...); err != nil {
			return err
		}
	}
	return exec("turns", `DELETE FROM turns WHERE rowid > ? AND user_key = ?`, pre.turnsMax, userKey)
}

// eraseOutbox deletes the outbox rows the prescan found, then searches only
// what it could not have seen: rows added since (larger rowids) and rows
// still unpublished (a small partial index). When the prescan's newest row
// is gone (another erasure deleted it), a row added since may hold a rowid
// the prescan saw: then it searches the whole outbox.
func eraseOutbox(ctx context.Context, tx *sql.Tx, exec func(table, q string, args ...any) error, userKey string, e *Erasure, pre outboxScan) error {
	const chunk = 500
	for start := 0; start < len(pre.ids); start += chunk {
		in, args := inList(pre.ids[start:min(start+chunk, len(pre.ids))])
		if err := exec("outbox", `DELETE FROM outbox WHERE id IN `+in, args...); err != nil {
			return err
		}
	}
	cond, args := outboxMatch(userKey, *e)
	if cond == "" {
		return nil
	}
	since := pre.maxRow
	if since > 0 {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM outbox WHERE rowid = ?`, pre.maxRow).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delete from outbox: %w", err)
		}
		if id != pre.maxID {
			since = 0
		}
	}
	if err := exec("outbox", `DELETE FROM outbox WHERE rowid > ? AND (`+cond+`)`, append([]any{since}, args...)...); err != nil {
		return err
	}
	return exec("outbox", `DELETE FROM outbox WHERE published_at IS NULL AND (`+cond+`)`, args...)
}

// outboxMatch returns the condition matching outbox rows that name userKey
// or one of e's ids in their subject, payload or headers. Payloads are ids
// only (DESIGN §6), and ULIDs and user keys do not occur inside other ids.
func outboxMatch(userKey string, e Erasure) (string, []any) {
	refs := []string{userKey}
	refs = append(refs, e.Handoffs...)
	refs = append(refs, e.Tickets...)
	refs = append(refs, e.Notifications...)
	for _, t := range e.Timers {
		refs = append(refs, t.ID)
	}
	var conds []string
	var args []any
	seen := map[string]bool{}
	for _, r := range refs {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		conds = append(conds, `instr(subject, ?) > 0 OR instr(CAST(payload AS TEXT), ?) > 0 OR instr(headers, ?) > 0`)
		args = append(args, r, r, r)
	}
	return strings.Join(conds, " OR "), args
}

// tablesWithColumn lists the tables that have a column named col.
func tablesWithColumn(ctx context.Context, tx *sql.Tx, col string) ([]string, error) {
	names, err := queryStrings(ctx, tx, `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name = ? ORDER BY m.name`, col)
	if err != nil {
		return nil, fmt.Errorf("tables with column %s: %w", col, err)
	}
	return names, nil
}

// inList returns "(?, ?, ...)" for ids and the ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(?" + strings.Repeat(", ?", len(ids)-1) + ")", args
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
