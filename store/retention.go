package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Retention is how long each kind of record is kept (DESIGN §7, configs
// retention). A zero or negative duration keeps that kind forever.
type Retention struct {
	Turns         time.Duration // turns, by when they were taken
	Handoffs      time.Duration // ended handoffs (their deliveries and agents cascade), by ended_at
	Tickets       time.Duration // tickets, by their last change
	Contacts      time.Duration // encrypted contacts left with tickets and handoff intake answers, by created_at
	AccessLog     time.Duration // admin transcript reads (table access_log, when it exists), by at
	Notifications time.Duration // Event API notifications no longer pending, by created_at
	Timers        time.Duration // fired or cancelled timers, by done_at
	Outbox        time.Duration // published outbox rows, by published_at
	// Users: users not seen for this long, with nothing open (handoff,
	// pending timer or notification, unclosed ticket), are deleted with
	// everything that is theirs; a returning user starts as new (welcome and
	// privacy notice again).
	Users time.Duration
}

// RetentionTables returns the tables Prune deletes from, in the order it
// visits them. dealer_events are pruned by PruneDealerEvents (24 h dedupe
// window).
func RetentionTables() []string {
	rules := Retention{}.rules()
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.table
	}
	return out
}

// retentionRule is how one table's expired rows are found: key columns, the
// condition with one ? for the cutoff (unix ms), and the policy's duration.
type retentionRule struct {
	table string
	key   []string // "rowid", or the primary key of a WITHOUT ROWID table
	cond  string
	keep  time.Duration
	// evict: key is a user key to drop from the conversation cache.
	evict bool
	// appended: the table has no index on cond's column and its rows are
	// appended in the order of that time (turns: the single writer inserts
	// them as they are taken), so the expired rows are the oldest rowids.
	// They are read in rowid order up to the first row that has not expired
	// (findSQL) instead of by a scan of the table.
	appended bool
}

func (r Retention) rules() []retentionRule {
	return []retentionRule{
		{"turns", []string{"rowid"}, "at < ?1", r.Turns, false, true},
		{"handoffs", []string{"rowid"}, "ended_at IS NOT NULL AND ended_at < ?1", r.Handoffs, false, false},
		{"tickets", []string{"rowid"}, "coalesce(closed_at, updated_at, created_at) < ?1", r.Tickets, false, false},
		{"contacts", []string{"rowid"}, "created_at < ?1", r.Contacts, false, false},
		{"handoff_intake", []string{"rowid"}, "created_at < ?1", r.Contacts, false, false},
		{"access_log", []string{"rowid"}, "at < ?1", r.AccessLog, false, false},
		{"notifications", []string{"rowid"}, "created_at < ?1 AND (status <> 'pending' OR not_before < ?1)", r.Notifications, false, false},
		{"timers", []string{"kind", "id"}, "status <> 'pending' AND done_at IS NOT NULL AND done_at < ?1", r.Timers, false, false},
		{"outbox", []string{"rowid"}, "published_at IS NOT NULL AND published_at < ?1", r.Outbox, false, false},
		{"erasure_cancels", []string{"rowid"}, "created_at < ?1", r.Handoffs, false, false}, // never sent (router gave up)
		{table: "users", key: []string{"key"}, keep: r.Users, evict: true, cond: `last_seen < ?1
			AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.user_key = users.key AND h.ended_at IS NULL)
			AND NOT EXISTS (SELECT 1 FROM timers m WHERE m.user_key = users.key AND m.status = 'pending')
			AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_key = users.key AND n.status = 'pending')
			AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.user_key = users.key AND k.status <> 'closed')`},
	}
}

// Prune deletes every record older than its retention at now, table by
// table, in writes of at most 500 rows through the group-commit writer, so
// turns keep committing in between. Expired rows are found on the read pool
// (a table scan never holds the writer) and deleted by key with the
// condition checked again. A table that does not exist (access_log before the
// admin migration) is skipped. It returns the rows deleted per table (tables with none left out), also
// when it stops at the first error (ErrClosed, ctx.Err(), a statement's
// error), which it returns wrapped with the table's name.
func (db *DB) Prune(ctx context.Context, now time.Time, r Retention) (map[string]int, error) {
	if db.writer.isClosed() {
		return map[string]int{}, fmt.Errorf("store: prune: %w", ErrClosed)
	}
	deleted := make(map[string]int)
	defer func() {
		if len(deleted) > 0 {
			db.scrubSoon() // store/scrub.go
		}
	}()
	for _, rule := range r.rules() {
		if rule.keep <= 0 {
			continue
		}
		ok, err := db.tableExists(ctx, rule.table)
		if err != nil {
			return deleted, err
		}
		if !ok {
			continue
		}
		n, err := db.pruneTable(ctx, rule, now.Add(-rule.keep).UnixMilli())
		if n > 0 {
			deleted[rule.table] += n
		}
		if err != nil {
			return deleted, fmt.Errorf("store: prune %s: %w", rule.table, err)
		}
	}
	return deleted, nil
}

// tableExists reports whether the schema has table name.
func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: look up table %s: %w", name, err)
	}
	return n > 0, nil
}

// findSQL returns the statements that find rule's expired rows: find, run
// once per chunk with the cutoff as ?1, and for an appended rule bound, run
// once before, which walks the table from its oldest rowid to the first row
// that has not expired (?1 the cutoff) and stops there: it reads the expired
// rows and one more, nothing when nothing has expired. An appended rule's
// find then reads the rowids after ?2 (the last one found) and below ?3
// (bound's row): a range of the rowid b-tree, never the whole table.
func (rule retentionRule) findSQL() (bound, find string) {
	cols := strings.Join(rule.key, ", ")
	if !rule.appended {
		return "", fmt.Sprintf("SELECT %s FROM %s WHERE %s LIMIT %d", cols, rule.table, rule.cond, pruneChunk)
	}
	return fmt.Sprintf("SELECT rowid FROM %s WHERE NOT (%s) ORDER BY rowid LIMIT 1", rule.table, rule.cond),
		fmt.Sprintf("SELECT rowid FROM %s WHERE rowid > ?2 AND rowid < ?3 AND %s ORDER BY rowid LIMIT %d",
			rule.table, rule.cond, pruneChunk)
}

// pruneTable deletes rule's expired rows in chunks of pruneChunk and returns
// how many it deleted.
//
// For an appended rule (turns) only the rows below the oldest unexpired one
// are candidates, so the reads cost what is deleted, not the table. A row
// that expired but was stored after a younger one (the wall clock stepped
// back between them) stays until a run finds it below the bound: at most
// the size of the step later. A row that has not expired is never deleted:
// the delete checks the condition again.
func (db *DB) pruneTable(ctx context.Context, rule retentionRule, cutoff int64) (int, error) {
	cols := strings.Join(rule.key, ", ")
	boundQ, find := rule.findSQL()
	args := []any{cutoff}
	if boundQ != "" {
		// Rows appended after this read are younger than the bound: it
		// holds for the whole run.
		var bound int64
		err := db.r.QueryRowContext(ctx, boundQ, cutoff).Scan(&bound)
		if errors.Is(err, sql.ErrNoRows) {
			bound = math.MaxInt64 // every row has expired
		} else if err != nil {
			return 0, fmt.Errorf("find the oldest unexpired row: %w", err)
		}
		args = []any{cutoff, int64(0), bound}
	}
	total := 0
	for {
		keys, err := db.expiredKeys(ctx, find, len(rule.key), args...)
		if err != nil {
			return total, err
		}
		if len(keys) == 0 {
			return total, nil
		}
		n, err := db.deleteKeys(ctx, rule, cols, keys, cutoff)
		total += n
		if err != nil {
			return total, err
		}
		// Fewer than a chunk found: this was the last. None deleted: the
		// rows changed under us; the next run looks again.
		if len(keys) < pruneChunk || n == 0 {
			return total, nil
		}
		if boundQ != "" {
			args[1] = keys[len(keys)-1][0] // the next chunk starts after this one
		}
	}
}

// expiredKeys runs find with args on the read pool and returns each row's
// key values.
func (db *DB) expiredKeys(ctx context.Context, find string, width int, args ...any) ([][]any, error) {
	rows, err := db.r.QueryContext(ctx, find, args...)
	if err != nil {
		return nil, fmt.Errorf("find expired rows: %w", err)
	}
	defer rows.Close()
	var keys [][]any
	for rows.Next() {
		k := make([]any, width)
		ptrs := make([]any, width)
		for i := range k {
			ptrs[i] = &k[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("scan expired row: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find expired rows: %w", err)
	}
	return keys, nil
}

// deleteKeys deletes the rows with keys that still match rule's condition, in
// one write, and returns how many went.
func (db *DB) deleteKeys(ctx context.Context, rule retentionRule, cols string, keys [][]any, cutoff int64) (int, error) {
	// ?1 is the cutoff; the key values follow as ?2, ?3, ...
	args := make([]any, 0, 1+len(keys)*len(rule.key))
	args = append(args, cutoff)
	var values strings.Builder
	for i, k := range keys {
		if i > 0 {
			values.WriteByte(',')
		}
		values.WriteByte('(')
		for j, v := range k {
			if j > 0 {
				values.WriteByte(',')
			}
			args = append(args, v)
			fmt.Fprintf(&values, "?%d", len(args))
		}
		values.WriteByte(')')
	}
	q := fmt.Sprintf("DELETE FROM %s WHERE (%s) IN (VALUES %s) AND %s", rule.table, cols, values.String(), rule.cond)
	var evict []string
	if rule.evict {
		for _, k := range keys {
			if s, ok := k[0].(string); ok {
				evict = append(evict, s)
			}
		}
	}
	var n int64
	err := db.WriteEvict(ctx, evict, secureDeletes(ctx, func(tx *sql.Tx) error {
		if rule.table == "users" {
			// turns has no foreign key to users: the users that go take
			// their turns along, found by following each one's chain. A
			// link may name a rowid handed to another user's turn since
			// (chainLinkSQL), so only the user's own rows are deleted.
			turnsQ := fmt.Sprintf(`WITH RECURSIVE chain(r, k) AS (
				SELECT c.last_turn, c.user_key FROM conversations c JOIN users ON users.key = c.user_key
				WHERE (%s) IN (VALUES %s) AND %s AND c.last_turn > 0
				UNION ALL
				SELECT t.prev, chain.k FROM chain CROSS JOIN turns t ON t.rowid = chain.r
				WHERE t.user_key = chain.k AND `+chainLinkSQL+`)
			DELETE FROM turns WHERE (rowid, user_key) IN (SELECT r, k FROM chain)`, "users."+cols, values.String(), rule.cond)
			if _, err := tx.ExecContext(ctx, turnsQ, args...); err != nil {
				return fmt.Errorf("delete turns of expired users: %w", err)
			}
			// Nor has handoff_intake (migration 00016): the users' intake
			// answers go with them, whatever retention.contacts says.
			intakeQ := fmt.Sprintf(`DELETE FROM handoff_intake WHERE user_key IN
				(SELECT key FROM users WHERE (%s) IN (VALUES %s) AND %s)`, "users."+cols, values.String(), rule.cond)
			if _, err := tx.ExecContext(ctx, intakeQ, args...); err != nil {
				return fmt.Errorf("delete intake answers of expired users: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}))
	if err != nil {
		return 0, fmt.Errorf("delete expired rows: %w", err)
	}
	return int(n), nil
}
