package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/baton-chat/baton/fsm"
)

const loadSQL = `SELECT u.bot_id, u.plusfriend_key, u.app_user_id, u.is_friend, u.test,
	u.first_seen, u.last_seen, u.welcomed_at,
	c.state, c.menu_path, c.faq_misses, c.clarify, c.handoff_id, c.queue,
	c.state_since, c.last_turn_at, c.welcomed_at, c.config_version, c.version, c.intake, c.last_turn,
	c.csat_pending
FROM users u LEFT JOIN conversations c ON c.user_key = u.key
WHERE u.key = ?`

// Load returns the user and conversation for userKey, from the cache or else
// the read pool (filling the cache). found is false for an unknown user; u.Key
// and c.UserKey are set to userKey either way, and c.Version is 0 when no
// conversation is stored. The returned slices belong to the caller. It
// returns ErrClosed after Close, or the query's error.
func (db *DB) Load(ctx context.Context, userKey string) (u User, c fsm.Conversation, found bool, err error) {
	if db.writer.isClosed() {
		return User{Key: userKey}, fsm.Conversation{UserKey: userKey}, false,
			fmt.Errorf("store: load conversation: %w", ErrClosed)
	}
	u, c, ok, epoch := db.cache.get(userKey)
	if ok {
		return u, c, true, nil
	}
	if db.cache.knownAbsent(userKey) {
		return User{Key: userKey}, fsm.Conversation{UserKey: userKey}, false, nil
	}
	var lastTurn int64
	u, c, lastTurn, found, err = db.loadTable(ctx, userKey)
	if err != nil {
		return User{Key: userKey}, fsm.Conversation{UserKey: userKey}, false, fmt.Errorf("store: load conversation: %w", err)
	}
	if found && c.Version > 0 {
		db.cache.fill(userKey, u, c, lastTurn, epoch)
	}
	return u, c, found, nil
}

// loadTable reads userKey's rows through the read pool.
func (db *DB) loadTable(ctx context.Context, key string) (User, fsm.Conversation, int64, bool, error) {
	u := User{Key: key}
	c := fsm.Conversation{UserKey: key}
	var lastTurn int64
	err := scanUserConv(db.loadStmt.QueryRowContext(ctx, key).Scan, nil, &u, &c, &lastTurn)
	if errors.Is(err, sql.ErrNoRows) {
		return u, c, 0, false, nil
	}
	if err != nil {
		return u, c, 0, false, err
	}
	return u, c, lastTurn, true, nil
}

// scanUserConv scans the user and conversation columns of loadSQL (after
// any lead columns) into u, c and lastTurn; c stays at version 0 when the
// user has no conversation row.
func scanUserConv(scan func(dest ...any) error, lead []any, u *User, c *fsm.Conversation, lastTurnRow *int64) error {
	var (
		first, last                         int64
		uWelcomed, since, lastTurn, cWelcom sql.NullInt64
		state, menu, clarify, hid, queue    sql.NullString
		cfgVersion, intake, csat            sql.NullString
		misses, version, turnRow            sql.NullInt64
	)
	dest := append(lead, &u.BotID, &u.PlusfriendKey, &u.AppUserID, &u.IsFriend, &u.Test, &first, &last, &uWelcomed,
		&state, &menu, &misses, &clarify, &hid, &queue, &since, &lastTurn, &cWelcom, &cfgVersion, &version, &intake, &turnRow,
		&csat)
	if err := scan(dest...); err != nil {
		return err
	}
	u.FirstSeen, u.LastSeen, u.WelcomedAt = fromMS(first), fromMS(last), fromNullMS(uWelcomed)
	if !version.Valid {
		return nil
	}
	var err error
	c.State = fsm.State(state.String)
	if c.MenuPath, err = decodeList(menu.String); err != nil {
		return err
	}
	if c.Clarify, err = decodeList(clarify.String); err != nil {
		return err
	}
	c.FAQMisses = int(misses.Int64)
	c.HandoffID, c.Queue, c.ConfigVersion = hid.String, queue.String, cfgVersion.String
	c.StateSince, c.LastTurnAt, c.WelcomedAt = fromNullMS(since), fromNullMS(lastTurn), fromNullMS(cWelcom)
	c.Version = version.Int64
	c.Intake = decodeIntake(intake.String)
	c.CSATPending = csat.String
	*lastTurnRow = turnRow.Int64
	return nil
}

// CountTurns returns how many turns are stored for userKey.
func (db *DB) CountTurns(ctx context.Context, userKey string) (int, error) {
	if db.writer.isClosed() {
		return 0, fmt.Errorf("store: count turns: %w", ErrClosed)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM turns WHERE user_key = ?`, userKey).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count turns: %w", err)
	}
	return n, nil
}

// handoffCols are the columns of a Handoff, in the order scanHandoff reads
// them: every reader of the handoffs table selects these.
const handoffCols = `id, code, user_key, bot_id, plusfriend_key, queue, target, reason, menu_path,
	faq_misses, test, created_at, accepted_at, ended_at, end_reason, contact_pref`

// OpenHandoff returns userKey's open handoff; ok is false when there is none.
func (db *DB) OpenHandoff(ctx context.Context, userKey string) (h Handoff, ok bool, err error) {
	if db.writer.isClosed() {
		return h, false, fmt.Errorf("store: open handoff of a user: %w", ErrClosed)
	}
	row := db.r.QueryRowContext(ctx, `SELECT `+handoffCols+` FROM handoffs
		WHERE user_key = ? AND ended_at IS NULL`, userKey)
	h, ok, err = scanHandoff(row)
	if err != nil {
		return h, false, fmt.Errorf("store: open handoff of a user: %w", err)
	}
	return h, ok, nil
}

// LastHandoff returns userKey's latest handoff, open or ended; ok is false
// when the user has none. It returns the store's error, wrapped.
func (db *DB) LastHandoff(ctx context.Context, userKey string) (h Handoff, ok bool, err error) {
	if db.writer.isClosed() {
		return h, false, fmt.Errorf("store: last handoff of a user: %w", ErrClosed)
	}
	row := db.r.QueryRowContext(ctx, `SELECT `+handoffCols+` FROM handoffs
		WHERE user_key = ? ORDER BY created_at DESC, id DESC LIMIT 1`, userKey)
	h, ok, err = scanHandoff(row)
	if err != nil {
		return h, false, fmt.Errorf("store: last handoff of a user: %w", err)
	}
	return h, ok, nil
}

// Handoff returns the handoff with the given id; ok is false when there is none.
func (db *DB) Handoff(ctx context.Context, id string) (h Handoff, ok bool, err error) {
	if db.writer.isClosed() {
		return h, false, fmt.Errorf("store: handoff %s: %w", id, ErrClosed)
	}
	row := db.r.QueryRowContext(ctx, `SELECT `+handoffCols+` FROM handoffs WHERE id = ?`, id)
	h, ok, err = scanHandoff(row)
	if err != nil {
		return h, false, fmt.Errorf("store: handoff %s: %w", id, err)
	}
	return h, ok, nil
}

// scanHandoff reads one row of handoffCols; ok is false when a *sql.Row
// found none.
func scanHandoff(row scanner) (h Handoff, ok bool, err error) {
	var (
		menu            string
		created         int64
		accepted, ended sql.NullInt64
	)
	err = row.Scan(&h.ID, &h.Code, &h.UserKey, &h.BotID, &h.PlusfriendKey, &h.Queue, &h.Target,
		&h.Reason, &menu, &h.FAQMisses, &h.Test, &created, &accepted, &ended, &h.EndReason, &h.ContactPref)
	if errors.Is(err, sql.ErrNoRows) {
		return Handoff{}, false, nil
	}
	if err != nil {
		return Handoff{}, false, err
	}
	if h.MenuPath, err = decodeList(menu); err != nil {
		return Handoff{}, false, fmt.Errorf("handoff %s: %w", h.ID, err)
	}
	h.CreatedAt, h.AcceptedAt, h.EndedAt = fromMS(created), fromNullMS(accepted), fromNullMS(ended)
	return h, true, nil
}

// PendingOutbox returns up to limit unpublished outbox messages, oldest
// first, and only messages whose transaction is on disk. It reads on the
// writer's connection, as a request of the group commit, and is answered
// with the batch it joined, after the fsync that covers it: a read-pool
// connection would see a batch's rows from its COMMIT on, before the fsync
// that makes them durable (walsync.go), and the relay would publish a
// request that a power loss could still take back. The read costs no fsync
// of its own when turns are flowing (it rides in their batch), nor on an
// idle store (walsync_readonly.go). It returns
// ErrClosed after Close, ctx.Err() if ctx ended before the read ran, and the
// batch's error if its COMMIT or fsync failed.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]OutboxMsg, error) {
	out, _, err := db.PendingOutboxCovering(ctx, limit)
	return out, err
}

// PendingOutboxCovering is PendingOutbox, and says which rows of turns the
// read covered: every row whose OutboxMsg.Seq is at most covers had been
// inserted (and committed, or rolled back with its turn) when the read ran,
// so the read returned it unless it was published already or lay past
// limit; a turn's row with a larger Seq was not seen. The relay skips a
// row handed over after a read that covered it. It returns the errors of
// PendingOutbox.
func (db *DB) PendingOutboxCovering(ctx context.Context, limit int) (out []OutboxMsg, covers uint64, err error) {
	r := &request{ctx: ctx, done: make(chan error, 1), read: func(ctx context.Context, w *writer) error {
		covers = w.outboxSeq
		s, err := w.op(ctx, pendingOutboxSQL)
		if err != nil {
			return err
		}
		rows, err := s.QueryContext(ctx, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m OutboxMsg
			var created int64
			var headers string
			if err := rows.Scan(&m.ID, &m.Subject, &m.Payload, &created, &headers); err != nil {
				return err
			}
			if m.Headers, err = decodeHeaders(headers); err != nil {
				return fmt.Errorf("%s: %w", m.ID, err)
			}
			m.CreatedAt = fromMS(created)
			out = append(out, m)
		}
		return rows.Err()
	}}
	if err := db.writer.do(r); err != nil {
		return nil, 0, fmt.Errorf("store: pending outbox: %w", err)
	}
	return out, covers, nil
}

// pendingOutboxSQL selects PendingOutbox's rows in commit order: by rowid
// (the single writer inserts them as it commits), not by created_at, which
// is its caller's time, taken before the write waited for its turn (an
// accept created first could commit after the end). The unpublished rows
// are a few: the partial index finds them and they are sorted; without
// INDEXED BY, SQLite (with no statistics) walks the whole table in rowid
// order instead.
const pendingOutboxSQL = `SELECT id, subject, payload, created_at, headers FROM outbox INDEXED BY outbox_unpublished
	WHERE published_at IS NULL ORDER BY rowid LIMIT ?`

// MarkPublished records that the outbox messages ids were published at at,
// through the writer; ids already marked keep their first time. It returns
// the Write errors (ErrClosed, ctx.Err(), the COMMIT's error).
func (db *DB) MarkPublished(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	const chunk = 500
	err := db.Write(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(ids); start += chunk {
			part := ids[start:min(start+chunk, len(ids))]
			args := make([]any, 0, len(part)+1)
			args = append(args, at.UnixMilli())
			for _, id := range part {
				args = append(args, id)
			}
			q := `UPDATE outbox SET published_at = ? WHERE published_at IS NULL AND id IN (?` +
				strings.Repeat(`, ?`, len(part)-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark %d outbox messages published: %w", len(ids), err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns an error unless
// SQLite answers "ok".
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.writer.isClosed() {
		return fmt.Errorf("store: integrity check: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("store: integrity check: %w", err)
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(lines) != 1 || lines[0] != "ok" {
		return fmt.Errorf("store: integrity check: %s", strings.Join(lines, "; "))
	}
	return nil
}

// WaitingAhead returns how many handoffs in h's queue are still waiting for
// a human and were created before h: h's place in the queue is the result
// plus one. A handoff whose dealer failed (the router fell back to the
// notify sinks) no longer waits in the queue, and a test handoff takes no
// place in it (the dealer does not route it to real agents): a tester's
// place is the real handoffs before theirs, plus one.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) WaitingAhead(ctx context.Context, h Handoff) (int, error) {
	if db.writer.isClosed() {
		return 0, fmt.Errorf("store: queue position of handoff %s: %w", h.ID, ErrClosed)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM handoffs
		WHERE queue = ? AND ended_at IS NULL AND accepted_at IS NULL
		  AND (created_at < ? OR (created_at = ? AND id < ?)) AND `+sqlNotTest+` AND `+sqlNotFailedOver,
		h.Queue, h.CreatedAt.UnixMilli(), h.CreatedAt.UnixMilli(), h.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: queue position of handoff %s: %w", h.ID, err)
	}
	return n, nil
}

const warmSQL = `SELECT u.key, u.bot_id, u.plusfriend_key, u.app_user_id, u.is_friend, u.test,
	u.first_seen, u.last_seen, u.welcomed_at,
	c.state, c.menu_path, c.faq_misses, c.clarify, c.handoff_id, c.queue,
	c.state_since, c.last_turn_at, c.welcomed_at, c.config_version, c.version, c.intake, c.last_turn,
	c.csat_pending
FROM users u LEFT JOIN conversations c ON c.user_key = u.key`

// warm loads every stored user into the cache when they all fit in half of
// it, and then marks the cache complete: until its first eviction or drop, a
// miss is a new user and costs no read. Larger stores start cold.
func (db *DB) warm(ctx context.Context) error {
	capacity := db.cache.capacity()
	if capacity == 0 {
		return nil
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return fmt.Errorf("store: warm cache: %w", err)
	}
	if n > capacity/2 {
		db.log.Info("store: cache starts cold", "users", n, "cache", capacity)
		return nil
	}
	rows, err := db.r.QueryContext(ctx, warmSQL)
	if err != nil {
		return fmt.Errorf("store: warm cache: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u User
		var c fsm.Conversation
		var lastTurn int64
		if err := scanUserConv(rows.Scan, []any{&u.Key}, &u, &c, &lastTurn); err != nil {
			return fmt.Errorf("store: warm cache: %w", err)
		}
		c.UserKey = u.Key
		db.cache.put(u.Key, u, c, lastTurn)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: warm cache: %w", err)
	}
	db.cache.markComplete()
	return nil
}
