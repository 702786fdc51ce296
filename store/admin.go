package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Admin roles (DESIGN §8): a master manages tokens, erases users and reloads
// the config; a manager works handoffs, tickets and conversations.
const (
	RoleMaster  = "master"
	RoleManager = "manager"
)

// AdminToken is an admin API token as stored: its SHA-256, never the secret.
type AdminToken struct {
	ID         string // ULID
	Name       string
	Role       string // RoleMaster or RoleManager
	Hash       string // hex SHA-256 of the secret
	CreatedBy  string // token id of the creator
	CreatedAt  time.Time
	LastUsedAt time.Time // zero until first used
	RevokedAt  time.Time // zero while valid
}

// AddAdminToken stores t through the writer. It returns an error wrapping
// ErrConflict when a token with the same hash exists, or the Write errors.
func (db *DB) AddAdminToken(ctx context.Context, t AdminToken) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO admin_tokens (id, name, role, hash, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			t.ID, t.Name, t.Role, t.Hash, t.CreatedBy, t.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: add admin token %s: %w", t.ID, err)
	}
	return nil
}

const adminTokenCols = `id, name, role, hash, created_by, created_at, last_used_at, revoked_at`

// scanAdminToken reads one row of adminTokenCols.
func scanAdminToken(scan func(...any) error) (AdminToken, error) {
	var t AdminToken
	var created int64
	var used, revoked sql.NullInt64
	if err := scan(&t.ID, &t.Name, &t.Role, &t.Hash, &t.CreatedBy, &created, &used, &revoked); err != nil {
		return AdminToken{}, err
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromMS(created), fromNullMS(used), fromNullMS(revoked)
	return t, nil
}

// AdminTokenByHash returns the token whose secret hashes to hash, revoked or
// not; ok is false when there is none.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) AdminTokenByHash(ctx context.Context, hash string) (t AdminToken, ok bool, err error) {
	if db.writer.isClosed() {
		return AdminToken{}, false, fmt.Errorf("store: admin token by hash: %w", ErrClosed)
	}
	row := db.r.QueryRowContext(ctx, `SELECT `+adminTokenCols+` FROM admin_tokens WHERE hash = ?`, hash)
	t, err = scanAdminToken(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return AdminToken{}, false, nil
	}
	if err != nil {
		return AdminToken{}, false, fmt.Errorf("store: admin token by hash: %w", err)
	}
	return t, true, nil
}

// AdminTokens returns every stored token, oldest first.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) AdminTokens(ctx context.Context) ([]AdminToken, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: admin tokens: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+adminTokenCols+` FROM admin_tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: admin tokens: %w", err)
	}
	defer rows.Close()
	var out []AdminToken
	for rows.Next() {
		t, err := scanAdminToken(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: admin tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: admin tokens: %w", err)
	}
	return out, nil
}

// RevokeAdminToken marks token id revoked at at. It reports whether a valid
// token was revoked (false for an unknown or already revoked id).
func (db *DB) RevokeAdminToken(ctx context.Context, id string, at time.Time) (bool, error) {
	var changed bool
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
			at.UnixMilli(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: revoke admin token %s: %w", id, err)
	}
	return changed, nil
}

// TouchAdminToken records that token id was used at at.
func (db *DB) TouchAdminToken(ctx context.Context, id string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE admin_tokens SET last_used_at = ? WHERE id = ?`, at.UnixMilli(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: touch admin token %s: %w", id, err)
	}
	return nil
}

// Access log actions.
const (
	AccessReadConversation = "read_conversation"
	AccessReadTicket       = "read_ticket"
	AccessEraseUser        = "erase_user"
	// AccessReadContact is a master's read of the phone number left with a
	// ticket (decrypted from contacts); TicketID names the ticket.
	AccessReadContact = "read_contact"
	// AccessReadIntake is an admin read of a handoff's intake answers
	// (decrypted from handoff_intake); HandoffID names the handoff.
	AccessReadIntake = "read_intake"
)

// AccessEntry is one row of the access log: an admin read of a transcript, a
// ticket, a ticket's contact or a handoff's intake answers, or an erasure. Subject is a keyed hash of the
// user key, never the key.
type AccessEntry struct {
	ID      int64
	At      time.Time
	TokenID string
	Role    string
	Action  string
	Subject string
	// TicketID names the ticket a read_ticket or read_contact was about;
	// empty for other actions.
	TicketID string
	// HandoffID names the handoff a read_intake was about; empty for other
	// actions.
	HandoffID string
}

// LogAccess appends e to the access log through the writer and returns once
// it is durable. It returns the Write errors.
func (db *DB) LogAccess(ctx context.Context, e AccessEntry) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO access_log (at, token_id, role, action, subject, ticket_id, handoff_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, e.At.UnixMilli(), e.TokenID, e.Role, e.Action, e.Subject, e.TicketID, e.HandoffID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: log access %s: %w", e.Action, err)
	}
	return nil
}

// AccessFilter selects access log rows; zero fields select everything.
type AccessFilter struct {
	Subject  string // only rows about this subject hash
	BeforeID int64  // only rows with a smaller id (paging backwards)
	Limit    int    // at most this many rows; 0 means 100
	// Asc lists oldest first instead of newest first.
	Asc bool
	// After starts the list strictly after this position (Key.N: a row id,
	// in the list's order); zero: from the first row. Use AccessKey for the
	// last row of a page.
	After Key
}

// AccessKey is e's position in the access log, the After of the next page.
func AccessKey(e AccessEntry) Key { return Key{N: e.ID} }

// AccessLog returns access log rows matching f, newest first unless f.Asc.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) AccessLog(ctx context.Context, f AccessFilter) ([]AccessEntry, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: access log: %w", ErrClosed)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	before := int64(1<<62 - 1)
	if f.BeforeID > 0 {
		before = f.BeforeID
	}
	page, pageArgs, order := keyset("id", "", !f.Asc, f.After)
	if page == "" {
		page = "1 = 1"
	}
	args := append([]any{before, f.Subject, f.Subject}, pageArgs...)
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, token_id, role, action, subject, ticket_id, handoff_id FROM access_log
		WHERE id < ? AND (? = '' OR subject = ?) AND `+page+` ORDER BY `+order+` LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: access log: %w", err)
	}
	defer rows.Close()
	var out []AccessEntry
	for rows.Next() {
		var e AccessEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.TokenID, &e.Role, &e.Action, &e.Subject, &e.TicketID, &e.HandoffID); err != nil {
			return nil, fmt.Errorf("store: access log: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: access log: %w", err)
	}
	return out, nil
}

// Reload results.
const (
	ReloadOK      = "ok"
	ReloadInvalid = "invalid" // the file did not load or validate
	ReloadRefused = "refused" // it would drop a queue with open handoffs
	ReloadFailed  = "failed"  // building the new engine failed
)

// Reload is one config reload attempt.
type Reload struct {
	ID      int64
	At      time.Time
	By      string // token id, or "SIGHUP"
	Version string // the loaded config's version; empty when invalid
	Result  string // Reload*
	Detail  string
}

// RecordReload appends r to the reload history through the writer and
// returns the id it got (Reload.ID).
func (db *DB) RecordReload(ctx context.Context, r Reload) (int64, error) {
	var id int64
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO reloads (at, by, version, result, detail) VALUES (?, ?, ?, ?, ?)`,
			r.At.UnixMilli(), r.By, r.Version, r.Result, r.Detail)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: record reload: %w", err)
	}
	return id, nil
}

// ReloadFilter selects reloads for Reloads.
type ReloadFilter struct {
	Limit int  // at most this many; 0 means 100
	Asc   bool // oldest first instead of newest first
	// After starts the list strictly after this position (Key.N: a reload
	// id, in the list's order); zero: from the first reload. Use ReloadKey
	// for the last reload of a page.
	After Key
}

// ReloadKey is r's position in the reload history, the After of the next
// page.
func ReloadKey(r Reload) Key { return Key{N: r.ID} }

// Reloads returns the reloads f selects, newest first unless f.Asc.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) Reloads(ctx context.Context, f ReloadFilter) ([]Reload, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: reloads: %w", ErrClosed)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	page, args, order := keyset("id", "", !f.Asc, f.After)
	if page == "" {
		page = "1 = 1"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, by, version, result, detail FROM reloads WHERE `+page+`
		ORDER BY `+order+` LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: reloads: %w", err)
	}
	defer rows.Close()
	var out []Reload
	for rows.Next() {
		var r Reload
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.By, &r.Version, &r.Result, &r.Detail); err != nil {
			return nil, fmt.Errorf("store: reloads: %w", err)
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reloads: %w", err)
	}
	return out, nil
}

// Handoff states, as the admin API shows them (HandoffFilter.State).
const (
	HandoffWaiting = "waiting" // not ended, nobody accepted it
	HandoffHuman   = "human"   // accepted, not ended
	HandoffEnded   = "ended"   // ended, whether or not someone accepted it
)

// handoffStateCond returns the SQL condition of a HandoffFilter.State;
// ok is false for an unknown state.
func handoffStateCond(state string) (cond string, ok bool) {
	switch state {
	case "":
		return "", true
	case HandoffWaiting:
		return ` AND ended_at IS NULL AND accepted_at IS NULL`, true
	case HandoffHuman:
		return ` AND ended_at IS NULL AND accepted_at IS NOT NULL`, true
	case HandoffEnded:
		return ` AND ended_at IS NOT NULL`, true
	}
	return "", false
}

// HandoffFilter selects handoffs for the admin API.
type HandoffFilter struct {
	OpenOnly bool   // only handoffs not ended
	Queue    string // only this queue; empty means every queue
	Before   string // only ids smaller than this (paging backwards)
	Limit    int    // at most this many; 0 means 100
	// Code selects the handoffs shown to users as this code (compared
	// exactly: codes are stored upper case); empty means every code.
	// Codes are not unique, so several may match.
	Code string
	// Waiting keeps only handoffs still waiting in their queue: not ended,
	// not accepted, and not failed over by the router after their dealer's
	// final failure (a "dealer:<name>:failed" delivery).
	Waiting bool
	// State keeps only the handoffs in this state, as the admin API names a
	// handoff's state: HandoffWaiting (not ended, nobody accepted it),
	// HandoffHuman (accepted, not ended) or HandoffEnded; empty means every
	// state.
	State string
	// Asc lists oldest first instead of newest first.
	Asc bool
	// After starts the list strictly after this position (Key.S: a handoff
	// id, in the list's order); zero: from the first handoff. Use
	// HandoffKey for the last handoff of a page.
	After Key
}

// HandoffKey is h's position in a handoff list, the After of the next page.
func HandoffKey(h Handoff) Key { return Key{S: h.ID} }

// ListHandoffs returns the handoffs matching f, newest first unless f.Asc,
// ordered by id (ULIDs: creation time, then creation order).
// After Close it returns an error wrapping ErrClosed.
func (db *DB) ListHandoffs(ctx context.Context, f HandoffFilter) ([]Handoff, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: list handoffs: %w", ErrClosed)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT ` + handoffCols + ` FROM handoffs WHERE 1 = 1`
	var args []any
	if f.OpenOnly {
		q += ` AND ended_at IS NULL`
	}
	if f.Waiting {
		q += ` AND ended_at IS NULL AND accepted_at IS NULL AND ` + sqlNotFailedOver
	}
	cond, ok := handoffStateCond(f.State)
	if !ok {
		return nil, fmt.Errorf("store: list handoffs: unknown state %q", f.State)
	}
	q += cond
	if f.Queue != "" {
		q += ` AND queue = ?`
		args = append(args, f.Queue)
	}
	if f.Before != "" {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.Code != "" {
		q += ` AND code = ?`
		args = append(args, f.Code)
	}
	page, pageArgs, order := keyset("", "id", !f.Asc, f.After)
	if page != "" {
		q += ` AND ` + page
		args = append(args, pageArgs...)
	}
	q += ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, f.Limit)
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list handoffs: %w", err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		h, _, err := scanHandoff(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list handoffs: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list handoffs: %w", err)
	}
	return out, nil
}

// OpenHandoffQueues returns how many handoffs are open per queue. A config
// reload must not drop a queue that has any.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) OpenHandoffQueues(ctx context.Context) (map[string]int, error) {
	if db.writer.isClosed() {
		return nil, fmt.Errorf("store: open handoff queues: %w", ErrClosed)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT queue, COUNT(*) FROM handoffs WHERE ended_at IS NULL GROUP BY queue`)
	if err != nil {
		return nil, fmt.Errorf("store: open handoff queues: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var q string
		var n int
		if err := rows.Scan(&q, &n); err != nil {
			return nil, fmt.Errorf("store: open handoff queues: %w", err)
		}
		out[q] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open handoff queues: %w", err)
	}
	return out, nil
}
