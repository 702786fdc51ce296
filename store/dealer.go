package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Agent is the dealer's agent holding a handoff.
type Agent struct {
	ID, Name   string
	AssignedAt time.Time
}

// UserByPlusfriendKey returns the user whose plusfriend user key is key (the
// most recently seen one if several bots share the channel); ok is false when
// there is none or key is empty. It returns ErrClosed after Close or the
// query's error, wrapped.
func (db *DB) UserByPlusfriendKey(ctx context.Context, key string) (u User, ok bool, err error) {
	if db.writer.isClosed() {
		return u, false, fmt.Errorf("store: user by plusfriend key: %w", ErrClosed)
	}
	if key == "" {
		return u, false, nil
	}
	var (
		first, last int64
		welcomed    sql.NullInt64
	)
	err = db.r.QueryRowContext(ctx, `SELECT key, bot_id, plusfriend_key, app_user_id, is_friend, test,
		first_seen, last_seen, welcomed_at FROM users
		WHERE plusfriend_key = ? ORDER BY last_seen DESC LIMIT 1`, key).
		Scan(&u.Key, &u.BotID, &u.PlusfriendKey, &u.AppUserID, &u.IsFriend, &u.Test, &first, &last, &welcomed)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, false, nil
	}
	if err != nil {
		return User{}, false, fmt.Errorf("store: user by plusfriend key: %w", err)
	}
	u.FirstSeen, u.LastSeen, u.WelcomedAt = fromMS(first), fromMS(last), fromNullMS(welcomed)
	return u, true, nil
}

// DealerEventSeen reports whether dealer's event id was recorded at or after
// since. It returns ErrClosed after Close or the query's error, wrapped.
func (db *DB) DealerEventSeen(ctx context.Context, dealer, id string, since time.Time) (bool, error) {
	if db.writer.isClosed() {
		return false, fmt.Errorf("store: dealer %s event %s: %w", dealer, id, ErrClosed)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM dealer_events
		WHERE dealer = ? AND id = ? AND received_at >= ?`, dealer, id, since.UnixMilli()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: dealer %s event %s: %w", dealer, id, err)
	}
	return n > 0, nil
}

// RecordDealerEvent records, through the writer, that dealer's event id was
// applied at at (a repeated id moves its time forward). It returns the Write
// errors (ErrClosed, ctx.Err(), the COMMIT's error), wrapped.
func (db *DB) RecordDealerEvent(ctx context.Context, dealer, id string, at time.Time) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dealer_events (dealer, id, received_at) VALUES (?, ?, ?)
			ON CONFLICT (dealer, id) DO UPDATE SET received_at = excluded.received_at`, dealer, id, at.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record dealer %s event %s: %w", dealer, id, err)
	}
	return nil
}

// pruneChunk bounds the rows one retention write deletes (DESIGN §7).
const pruneChunk = 500

// PruneDealerEvents deletes dealer event records received before before, in
// writes of at most 500 rows, and returns how many it deleted. It stops at
// the first error (ErrClosed, ctx.Err(), the write's error), wrapped.
func (db *DB) PruneDealerEvents(ctx context.Context, before time.Time) (int, error) {
	return db.pruneChunks(ctx, "dealer events", `DELETE FROM dealer_events WHERE (dealer, id) IN
		(SELECT dealer, id FROM dealer_events WHERE received_at < ? LIMIT ?)`, before)
}

// pruneChunks runs del, a DELETE whose parameters are the cut-off (before,
// in unix ms) and the most rows it may delete (pruneChunk), in one write
// after another until a write deletes fewer than pruneChunk rows, and
// returns how many it deleted. It stops at the first error, wrapped with
// what.
func (db *DB) pruneChunks(ctx context.Context, what, del string, before time.Time) (int, error) {
	total := 0
	for {
		var n int64
		err := db.Write(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, del, before.UnixMilli(), pruneChunk)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("store: prune %s: %w", what, err)
		}
		total += int(n)
		if n < pruneChunk {
			return total, nil
		}
	}
}

// OpenExternalHandoff inserts h, a handoff Baton did not open itself (a
// dealer session the user reached through the channel's own 상담 menu),
// without touching the conversation, and queues out (the messages
// announcing it) in the outbox in the same transaction. h.AcceptedAt may be
// set. It returns ErrConflict (wrapped) when the user already has an open
// handoff or the id is taken (nothing is queued then), and the Write
// errors, wrapped. The caller wakes the outbox relay.
func (db *DB) OpenExternalHandoff(ctx context.Context, h Handoff, out ...OutboxMsg) error {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		menu, err := encodeList(h.MenuPath)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO handoffs (id, code, user_key, bot_id, plusfriend_key,
			queue, target, reason, menu_path, faq_misses, test, created_at, accepted_at, ended_at, end_reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '') ON CONFLICT DO NOTHING`,
			h.ID, h.Code, h.UserKey, h.BotID, h.PlusfriendKey, h.Queue, h.Target, h.Reason, menu,
			h.FAQMisses, h.Test, h.CreatedAt.UnixMilli(), msOrNull(h.AcceptedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, fmt.Errorf("user has an open handoff or id is taken: %w", ErrConflict))
		}
		return db.insertOutbox(ctx, tx, out)
	})
	if err != nil {
		return fmt.Errorf("store: open external handoff %s: %w", h.ID, err)
	}
	return nil
}

// MarkHandoffAccepted sets accepted_at of handoff id if it is open and not yet
// accepted; changed says whether it did. When it did, out (the messages
// announcing it) is queued in the outbox in the same transaction; the
// caller wakes the outbox relay. Use it for handoffs the conversation does
// not hold (external ones); a held handoff is accepted through Commit. It
// returns the Write errors, wrapped.
func (db *DB) MarkHandoffAccepted(ctx context.Context, id string, at time.Time, out ...OutboxMsg) (changed bool, err error) {
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE handoffs SET accepted_at = ?
			WHERE id = ? AND accepted_at IS NULL AND ended_at IS NULL`, at.UnixMilli(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if changed = n > 0; err != nil || !changed {
			return err
		}
		return db.insertOutbox(ctx, tx, out)
	})
	if err != nil {
		return false, fmt.Errorf("store: accept handoff %s: %w", id, err)
	}
	return changed, nil
}

// CloseHandoff ends handoff id with reason if it is still open; changed says
// whether it did. When it did, out (the messages announcing it) is queued in
// the outbox in the same transaction; the caller wakes the outbox relay.
// Use it for handoffs the conversation does not hold (external ones); a held
// handoff is ended through Commit. It returns the Write errors, wrapped.
func (db *DB) CloseHandoff(ctx context.Context, id, reason string, at time.Time, out ...OutboxMsg) (changed bool, err error) {
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE handoffs SET ended_at = ?, end_reason = ?
			WHERE id = ? AND ended_at IS NULL`, at.UnixMilli(), reason, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if changed = n > 0; err != nil || !changed {
			return err
		}
		return db.insertOutbox(ctx, tx, out)
	})
	if err != nil {
		return false, fmt.Errorf("store: close handoff %s: %w", id, err)
	}
	return changed, nil
}

// sqlSetAgent records the dealer's agent (?1 handoff, ?2 id, ?3 name, ?4
// assigned at) while the handoff is open and not failed over from its
// dealer; the latest assignment wins.
const sqlSetAgent = `INSERT INTO handoff_agents (handoff_id, agent_id, agent_name, assigned_at)
	SELECT id, ?2, ?3, ?4 FROM handoffs WHERE id = ?1 AND ended_at IS NULL AND ` + sqlNotFailedOver + `
	ON CONFLICT (handoff_id) DO UPDATE SET agent_id = excluded.agent_id,
	agent_name = excluded.agent_name, assigned_at = excluded.assigned_at`

// SetHandoffAgent records the dealer's agent on handoff id (the latest
// assignment wins) while the handoff is open and the router has not failed
// it over from its dealer (docs/dealer-contract.md §2.3, §3.2); recorded is
// false, and nothing written, otherwise or for an unknown handoff. It
// returns the Write errors, wrapped.
func (db *DB) SetHandoffAgent(ctx context.Context, id string, a Agent) (recorded bool, err error) {
	err = db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sqlSetAgent, id, a.ID, a.Name, a.AssignedAt.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		recorded = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: set agent of handoff %s: %w", id, err)
	}
	return recorded, nil
}

// SetHandoffAgentOp is SetHandoffAgent as an Op of a turn: the dealer's
// session.started records its agent in the same transaction as the accept,
// so an accept refused for a failover (HandoffAccept.ByDealer) records no
// agent either. It writes nothing when the handoff is ended or failed over.
func SetHandoffAgentOp(id string, a Agent) Op {
	return Op{Name: "set handoff agent", SQL: sqlSetAgent, Args: []any{id, a.ID, a.Name, a.AssignedAt.UnixMilli()}}
}

// HandoffAgent returns the dealer's agent recorded on handoff id; ok is false
// when none is. It returns ErrClosed after Close or the query's error, wrapped.
func (db *DB) HandoffAgent(ctx context.Context, id string) (a Agent, ok bool, err error) {
	if db.writer.isClosed() {
		return a, false, fmt.Errorf("store: agent of handoff %s: %w", id, ErrClosed)
	}
	var at int64
	err = db.r.QueryRowContext(ctx, `SELECT agent_id, agent_name, assigned_at FROM handoff_agents
		WHERE handoff_id = ?`, id).Scan(&a.ID, &a.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, false, nil
	}
	if err != nil {
		return Agent{}, false, fmt.Errorf("store: agent of handoff %s: %w", id, err)
	}
	a.AssignedAt = fromMS(at)
	return a, true, nil
}
