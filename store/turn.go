package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// Writer statements, prepared once on the writer connection.
const (
	stmtSavepoint = iota
	stmtRelease
	stmtRollbackTo
	stmtUpsertUser
	stmtInsertConv
	stmtUpdateConv
	stmtInsertHandoff
	stmtEndHandoff
	stmtAcceptHandoff
	stmtSupersedeExternal
	stmtInsertOutbox
	numStmts
)

var stmtSQL = [numStmts]string{
	stmtSavepoint:  `SAVEPOINT t`,
	stmtRelease:    `RELEASE t`,
	stmtRollbackTo: `ROLLBACK TO t`,
	stmtUpsertUser: `INSERT INTO users (key, bot_id, plusfriend_key, app_user_id, is_friend, test,
		first_seen, last_seen, welcomed_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET
		bot_id = excluded.bot_id, plusfriend_key = excluded.plusfriend_key,
		app_user_id = excluded.app_user_id, is_friend = excluded.is_friend, test = excluded.test,
		last_seen = excluded.last_seen,
		welcomed_at = coalesce(excluded.welcomed_at, users.welcomed_at)
	RETURNING first_seen, welcomed_at`,
	stmtInsertConv: `INSERT INTO conversations (state, menu_path, faq_misses, clarify, handoff_id, queue,
		state_since, last_turn_at, welcomed_at, config_version, updated_at, intake, csat_pending, user_key, version)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
	ON CONFLICT (user_key) DO NOTHING`,
	stmtUpdateConv: `UPDATE conversations SET state = ?, menu_path = ?, faq_misses = ?, clarify = ?,
		handoff_id = ?, queue = ?, state_since = ?, last_turn_at = ?, welcomed_at = ?,
		config_version = ?, updated_at = ?, intake = ?, csat_pending = ?, version = version + 1
	WHERE user_key = ? AND version = ?`,
	stmtInsertHandoff: `INSERT INTO handoffs (id, code, user_key, bot_id, plusfriend_key, queue, target,
		reason, menu_path, faq_misses, test, created_at, accepted_at, ended_at, end_reason, contact_pref)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`,
	stmtEndHandoff: `UPDATE handoffs SET ended_at = ?, end_reason = ?
	WHERE id = ? AND ended_at IS NULL`,
	stmtAcceptHandoff: `UPDATE handoffs SET accepted_at = ?
	WHERE id = ? AND accepted_at IS NULL AND ended_at IS NULL`,
	stmtSupersedeExternal: `UPDATE handoffs SET ended_at = ?, end_reason = 'superseded'
	WHERE user_key = ? AND ended_at IS NULL AND reason = 'external' RETURNING id`,
	stmtInsertOutbox: `INSERT INTO outbox (id, subject, payload, created_at, headers) VALUES (?, ?, ?, ?, ?)`,
}

// turnReq is a TurnWrite as the writer applies it: the caller's write plus
// copies owned by the store (for the cache) and the results.
type turnReq struct {
	w       *TurnWrite
	user    User             // normalised; first_seen/welcomed_at as stored after apply
	conv    fsm.Conversation // normalised private copy; Version = new version after apply
	updated time.Time

	lastTurn   int64       // rowid of the user's latest turn after apply
	superseded []OutboxMsg // the Superseded messages apply inserted
	journal    int64       // seq of its journal row (0: written as rows)
	userDirty  bool        // journaled with a changed users row
	flushed    bool        // journaled, and its rows written later in the batch
}

// Commit writes one turn atomically through the group-commit loop: it upserts
// the user (first_seen is kept; a zero WelcomedAt keeps the stored one), saves
// the conversation if its stored version is still w.Conv.Version (0 = new
// user), inserts the turn (skipped when Turn.ID is empty and Turn.At zero),
// ends w.EndHandoff if still open, opens w.OpenHandoff (ending the user's open
// external handoff, whose w.Superseded message it queues) and inserts the
// outbox rows. It returns only after the batch's COMMIT: nil means durable,
// and then w.Conv.Version holds the new version, w.SupersededOutbox the
// queued Superseded messages (w.CommittedOutbox lists every outbox row the
// turn inserted) and the cache holds the conversation.
//
// Empty keys and ids are filled in before queueing: Conv.UserKey,
// Turn.UserKey and OpenHandoff.UserKey from User.Key; Turn.ID and outbox ids
// with NewID; User.LastSeen from Turn.At (or the clock), User.FirstSeen from
// LastSeen. Times are stored with millisecond precision. w must not be
// modified until Commit returns.
//
// Errors (wrapped): ErrConflict if the version is stale or the user already
// has an open handoff (only this turn is rolled back); ErrClosed after Close;
// ctx.Err() if ctx ended before the turn was applied (it then never is); an
// error for an invalid write; or the batch's COMMIT error.
func (db *DB) Commit(ctx context.Context, w *TurnWrite) error {
	c := committingPool.Get().(*committing)
	t := &c.turn
	if err := db.newTurnReq(w, t); err != nil {
		c.release()
		return fmt.Errorf("store: commit turn: %w", err)
	}
	w.SupersededOutbox = nil
	r := &c.req
	r.ctx, r.turn = ctx, t
	err := db.writer.do(r)
	if err == nil {
		w.Conv.Version = t.conv.Version
		w.SupersededOutbox = t.superseded
	}
	c.release()
	if err != nil {
		return fmt.Errorf("store: commit turn: %w", err)
	}
	return nil
}

// committing is a Commit's request and its turn, allocated together and
// reused: a Commit takes one from committingPool and gives it back
// (release) once the writer is done with it.
type committing struct {
	req  request
	turn turnReq
}

// committingPool holds committings whose done channel is empty and which
// nothing else refers to.
var committingPool = sync.Pool{New: func() any {
	c := new(committing)
	c.req.done = make(chan error, 1)
	return c
}}

// release gives c back to committingPool, unless its caller abandoned it
// (do returned at ctx's end while it was queued): the writer then still
// receives it from its channel and looks at it, so it is left to the
// collector. Any other way out of do leaves the writer and the syncer done
// with c: it was never queued (closed store, ctx ended first), or its one
// result was received from done, which the syncer (or failAll, refuse)
// sends as the last thing it does with the request. The writer's journal
// keeps &c.turn in journal.batch until its next batch begins, but reads
// that map only inside a batch, after beginBatch has cleared it.
func (c *committing) release() {
	if c.req.state.Load() == reqAbandoned {
		return
	}
	done := c.req.done
	c.req = request{done: done}
	c.turn = turnReq{}
	committingPool.Put(c)
}

// newTurnReq validates w, fills its defaults and copies what the cache
// keeps into t.
func (db *DB) newTurnReq(w *TurnWrite, t *turnReq) error {
	key := w.User.Key
	if key == "" {
		return errors.New("empty user key")
	}
	if w.Conv.UserKey == "" {
		w.Conv.UserKey = key
	}
	if w.Conv.UserKey != key {
		return errors.New("conversation is for another user")
	}
	if w.Conv.Version < 0 {
		return fmt.Errorf("negative conversation version %d", w.Conv.Version)
	}
	now := db.now()
	hasTurn := w.Turn.ID != "" || !w.Turn.At.IsZero()
	if hasTurn {
		if w.Turn.UserKey == "" {
			w.Turn.UserKey = key
		}
		if w.Turn.UserKey != key {
			return errors.New("turn is for another user")
		}
		if w.Turn.At.IsZero() {
			w.Turn.At = now
		}
		if w.Turn.ID == "" {
			w.Turn.ID = NewID(w.Turn.At)
		}
	}
	if w.User.LastSeen.IsZero() {
		w.User.LastSeen = w.Turn.At
		if !hasTurn {
			w.User.LastSeen = now
		}
	}
	if w.User.FirstSeen.IsZero() {
		w.User.FirstSeen = w.User.LastSeen
	}
	if h := w.OpenHandoff; h != nil {
		if h.UserKey == "" {
			h.UserKey = key
		}
		if h.UserKey != key {
			return fmt.Errorf("handoff %s is for another user", h.ID)
		}
		if h.ID == "" {
			return errors.New("handoff without id")
		}
		if h.CreatedAt.IsZero() {
			h.CreatedAt = now
		}
	}
	if e := w.EndHandoff; e != nil {
		if e.ID == "" {
			return errors.New("handoff end without id")
		}
		if e.At.IsZero() {
			e.At = now
		}
	}
	for i := range w.Outbox {
		o := &w.Outbox[i]
		if o.Subject == "" {
			return errors.New("outbox message without subject")
		}
		if o.CreatedAt.IsZero() {
			o.CreatedAt = now
		}
		if o.ID == "" {
			o.ID = NewID(o.CreatedAt)
		}
	}
	*t = turnReq{w: w, user: w.User, conv: cloneConv(w.Conv), updated: now}
	normUser(&t.user)
	normConv(&t.conv)
	return nil
}

// applyTurn performs the writes of one turn inside the current savepoint
// (the rows path: a turn the journal does not take).
func (w *writer) applyTurn(ctx context.Context, t *turnReq) error {
	tw := t.w
	prev, err := w.prevTurn(ctx, t.user.Key)
	if err != nil {
		return err
	}
	t.lastTurn = prev
	// Before any write, as the version check: a refusal writes nothing.
	if a := tw.AcceptHandoff; a != nil && a.ByDealer {
		if err := w.refuseFailedOver(ctx, "accept", a.ID); err != nil {
			return err
		}
	}
	if e := tw.EndHandoff; e != nil && e.ByDealer {
		if err := w.refuseFailedOver(ctx, "end", e.ID); err != nil {
			return err
		}
	}
	// An existing conversation's version check runs first, so a conflict
	// there has written nothing (no savepoint needed); a new user's row must
	// precede the conversation (foreign key), so that case runs in one.
	if t.conv.Version == 0 {
		if err := w.upsertUser(ctx, t); err != nil {
			return err
		}
		if err := w.saveConv(ctx, t); err != nil {
			return err
		}
	} else {
		if err := w.saveConv(ctx, t); err != nil {
			return err
		}
		if err := w.upsertUserIfChanged(ctx, t); err != nil {
			return err
		}
	}
	if tw.Turn.ID != "" {
		tr := &tw.Turn
		res, err := w.rawExec(rawInsertTurn, tr.ID, tr.UserKey, tr.At.UnixMilli(),
			tr.Block, tr.Utterance, tr.Kind, tr.Node, tr.Score, string(tr.State), tr.Test, prev, tr.Source)
		if err != nil {
			return fmt.Errorf("insert turn %s: %w", tr.ID, err)
		}
		if t.lastTurn, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("insert turn %s: %w", tr.ID, err)
		}
		if _, err := w.jstmt(ctx, jStmtSetLastTurn).ExecContext(ctx, t.lastTurn, t.user.Key); err != nil {
			return fmt.Errorf("insert turn %s: %w", tr.ID, err)
		}
	}
	if e := tw.EndHandoff; e != nil {
		if _, err := w.stmt(ctx, stmtEndHandoff).ExecContext(ctx, e.At.UnixMilli(), e.Reason, e.ID); err != nil {
			return fmt.Errorf("end handoff %s: %w", e.ID, err)
		}
	}
	if a := tw.AcceptHandoff; a != nil {
		if _, err := w.stmt(ctx, stmtAcceptHandoff).ExecContext(ctx, a.At.UnixMilli(), a.ID); err != nil {
			return fmt.Errorf("accept handoff %s: %w", a.ID, err)
		}
	}
	if h := tw.OpenHandoff; h != nil {
		if t.superseded, err = w.insertHandoff(ctx, h, tw.Superseded); err != nil {
			return err
		}
	}
	if err := w.insertOutbox(ctx, tw.Outbox); err != nil {
		return err
	}
	return w.applyOps(ctx, tw.Ops)
}

// encodeHeaders stores outbox headers as a JSON object (” when none).
func encodeHeaders(h map[string]string) (string, error) {
	if len(h) == 0 {
		return "", nil
	}
	b, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("encode headers: %w", err)
	}
	return string(b), nil
}

// decodeHeaders is the inverse of encodeHeaders.
func decodeHeaders(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var h map[string]string
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, fmt.Errorf("decode headers: %w", err)
	}
	return h, nil
}

// upsertUser writes the user row and reads back the stored first_seen and
// welcomed_at into t.user.
func (w *writer) upsertUser(ctx context.Context, t *turnReq) error {
	u := &t.user
	var first int64
	var welcomed sql.NullInt64
	err := w.stmt(ctx, stmtUpsertUser).QueryRowContext(ctx, u.Key, u.BotID, u.PlusfriendKey, u.AppUserID,
		u.IsFriend, u.Test, u.FirstSeen.UnixMilli(), u.LastSeen.UnixMilli(), msOrNull(u.WelcomedAt)).
		Scan(&first, &welcomed)
	if err != nil {
		return fmt.Errorf("upsert user: %w", err)
	}
	u.FirstSeen = fromMS(first)
	u.WelcomedAt = fromNullMS(welcomed)
	return nil
}

// lastSeenResolution is how stale users.last_seen may get before a turn
// rewrites the row for it alone: a minute is plenty for retention and reports
// and saves a write on most turns.
const lastSeenResolution = time.Minute

// upsertUserIfChanged writes the user row only when the cached copy of the
// stored row differs in anything but a recent last_seen.
func (w *writer) upsertUserIfChanged(ctx context.Context, t *turnReq) error {
	stored, ok := w.db.cache.user(t.user.Key)
	u := &t.user
	if ok && stored.BotID == u.BotID && stored.PlusfriendKey == u.PlusfriendKey && stored.AppUserID == u.AppUserID &&
		stored.IsFriend == u.IsFriend && stored.Test == u.Test &&
		(u.WelcomedAt.IsZero() || u.WelcomedAt.Equal(stored.WelcomedAt)) &&
		u.LastSeen.Sub(stored.LastSeen) < lastSeenResolution {
		u.FirstSeen, u.LastSeen, u.WelcomedAt = stored.FirstSeen, stored.LastSeen, stored.WelcomedAt
		return nil
	}
	return w.upsertUser(ctx, t)
}

// saveConv inserts (version 0) or updates the conversation under the
// optimistic version check, setting t.conv.Version to the new version.
func (w *writer) saveConv(ctx context.Context, t *turnReq) error {
	c := &t.conv
	menu, err := encodeList(c.MenuPath)
	if err != nil {
		return err
	}
	clarify, err := encodeList(c.Clarify)
	if err != nil {
		return err
	}
	i := stmtUpdateConv
	if c.Version == 0 {
		i = stmtInsertConv
	}
	args := []any{string(c.State), menu, c.FAQMisses, clarify, c.HandoffID, c.Queue,
		msOrNull(c.StateSince), msOrNull(c.LastTurnAt), msOrNull(c.WelcomedAt), c.ConfigVersion,
		t.updated.UnixMilli(), encodeIntake(c.Intake), c.CSATPending, c.UserKey}
	if c.Version != 0 {
		args = append(args, c.Version)
	}
	res, err := w.stmt(ctx, i).ExecContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("conversation version %d is stale: %w", c.Version, ErrConflict)
	}
	c.Version++
	return nil
}

// insertHandoff opens h; a user's second open handoff is ErrConflict.
//
// An open external handoff (a dealer session the user reached outside Baton,
// whose end Baton may never hear about) does not block it: it is ended as
// superseded, since the user is asking the bot for a human now, and the
// message superseded returns (when set) is queued for it; queued returns
// those messages as inserted.
func (w *writer) insertHandoff(ctx context.Context, h *Handoff, superseded func(string, time.Time) OutboxMsg) (queued []OutboxMsg, err error) {
	menu, err := encodeList(h.MenuPath)
	if err != nil {
		return nil, err
	}
	if queued, err = w.supersedeExternal(ctx, h, superseded); err != nil {
		return nil, fmt.Errorf("open handoff %s: supersede external handoff: %w", h.ID, err)
	}
	res, err := w.stmt(ctx, stmtInsertHandoff).ExecContext(ctx, h.ID, h.Code, h.UserKey, h.BotID,
		h.PlusfriendKey, h.Queue, h.Target, h.Reason, menu, h.FAQMisses, h.Test, h.CreatedAt.UnixMilli(),
		msOrNull(h.AcceptedAt), msOrNull(h.EndedAt), h.EndReason, h.ContactPref)
	if err != nil {
		return nil, fmt.Errorf("open handoff %s: %w", h.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, fmt.Errorf("open handoff %s: %w", h.ID, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("open handoff %s: user has an open handoff or id is taken: %w", h.ID, ErrConflict)
	}
	return queued, nil
}

// supersedeExternal ends the user's open external handoff (at most one is
// open) as superseded by h, queues the message superseded returns for it and
// returns that message as inserted (OutboxMsg.Seq set), for the turn to hand
// to the relay with its other rows.
func (w *writer) supersedeExternal(ctx context.Context, h *Handoff, superseded func(string, time.Time) OutboxMsg) ([]OutboxMsg, error) {
	rows, err := w.stmt(ctx, stmtSupersedeExternal).QueryContext(ctx, h.CreatedAt.UnixMilli(), h.UserKey)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if superseded == nil || len(ids) == 0 {
		return nil, nil
	}
	msgs := make([]OutboxMsg, len(ids))
	for i, id := range ids {
		msgs[i] = superseded(id, h.CreatedAt)
	}
	if err := w.insertOutbox(ctx, msgs); err != nil {
		return nil, err
	}
	return msgs, nil
}

// insertOutbox queues msgs in the outbox on the writer's prepared
// statement, inside the current savepoint.
func (w *writer) insertOutbox(ctx context.Context, msgs []OutboxMsg) error {
	for i := range msgs {
		o := &msgs[i]
		if o.ID == "" {
			o.ID = NewID(o.CreatedAt)
		}
		payload := o.Payload
		if payload == nil {
			payload = []byte{}
		}
		headers, err := encodeHeaders(o.Headers)
		if err != nil {
			return fmt.Errorf("insert outbox %s: %w", o.ID, err)
		}
		if _, err := w.stmt(ctx, stmtInsertOutbox).ExecContext(ctx, o.ID, o.Subject, payload,
			o.CreatedAt.UnixMilli(), headers); err != nil {
			return fmt.Errorf("insert outbox %s: %w", o.ID, err)
		}
		w.outboxSeq++
		o.Seq = w.outboxSeq
	}
	return nil
}

// msOrNull stores a zero time as NULL, others as unix milliseconds.
func msOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS is the inverse of UnixMilli, in UTC.
func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// fromNullMS maps NULL to the zero time.
func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

// normTime is t as it reads back from the table: millisecond precision, UTC.
func normTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return fromMS(t.UnixMilli())
}

// normUser normalises the user's times.
func normUser(u *User) {
	u.FirstSeen = normTime(u.FirstSeen)
	u.LastSeen = normTime(u.LastSeen)
	u.WelcomedAt = normTime(u.WelcomedAt)
}

// normConv normalises the conversation's times.
func normConv(c *fsm.Conversation) {
	c.StateSince = normTime(c.StateSince)
	c.LastTurnAt = normTime(c.LastTurnAt)
	c.WelcomedAt = normTime(c.WelcomedAt)
}

// encodeList stores a string list as a JSON array ("[]" when empty).
func encodeList(s []string) (string, error) {
	if len(s) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("encode list: %w", err)
	}
	return string(b), nil
}

// decodeList is the inverse of encodeList; an empty array decodes to nil.
func decodeList(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode list %q: %w", s, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// cloneConv copies c with its slices in one private allocation whose parts
// have clipped capacity, so appends by the receiver never share memory.
func cloneConv(c fsm.Conversation) fsm.Conversation {
	n, m := len(c.MenuPath), len(c.Clarify)
	if n+m == 0 {
		c.MenuPath, c.Clarify = nil, nil
		return c
	}
	buf := make([]string, n+m)
	copy(buf, c.MenuPath)
	copy(buf[n:], c.Clarify)
	c.MenuPath, c.Clarify = nil, nil
	if n > 0 {
		c.MenuPath = buf[:n:n]
	}
	if m > 0 {
		c.Clarify = buf[n:]
	}
	return c
}

// refuseFailedOver returns ErrFailedOver when the router has failed handoff
// id over from its dealer: the dealer's own accept or end of it then
// changes nothing (docs/dealer-contract.md §2.3).
func (w *writer) refuseFailedOver(ctx context.Context, what, id string) error {
	var failed bool
	if err := w.tx.QueryRowContext(ctx, dealerFailedSQL, id).Scan(&failed); err != nil {
		return fmt.Errorf("%s handoff %s: %w", what, id, err)
	}
	if failed {
		return fmt.Errorf("%s handoff %s: %w", what, id, ErrFailedOver)
	}
	return nil
}
