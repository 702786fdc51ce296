package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Writer statements of the journaled path, prepared once with the others
// (its row writes are raw statements: writer_raw.go).
var journalStmtSQL = [...]string{
	jStmtUserExists:  `SELECT EXISTS (SELECT 1 FROM users WHERE key = ?)`,
	jStmtLastTurn:    `SELECT last_turn FROM conversations WHERE user_key = ?`,
	jStmtSetLastTurn: `UPDATE conversations SET last_turn = ? WHERE user_key = ?`,
	jStmtFreeJournal: `DELETE FROM conv_journal WHERE seq < ?`,
	jStmtDropJournal: `DELETE FROM conv_journal WHERE user_key = ?`,
	jStmtRecentTurns: recentTurnsSQL,
}

const (
	jStmtUserExists = iota
	jStmtLastTurn
	jStmtSetLastTurn
	jStmtFreeJournal
	jStmtDropJournal
	jStmtRecentTurns
)

// insertTurnSQL appends a turns row.
const insertTurnSQL = `INSERT INTO turns (id, user_key, at, block, utterance, kind, node, score, state, test, prev, source)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// evicted marks, in journal.batch, a user a callback of this batch changed:
// their later turns in the batch take the rows path.
var evicted = &turnReq{flushed: true}

// hasEffects reports whether the turn writes more than its user, conversation
// and turn rows: such turns write every row at once (the rows path, applyTurn).
func (t *turnReq) hasEffects() bool {
	w := t.w
	return w.OpenHandoff != nil || w.EndHandoff != nil || w.AcceptHandoff != nil || len(w.Outbox) > 0 || len(w.Ops) > 0
}

// journaled applies t as appends (its turn and a journal row) when it can:
// the journal is on, t has no further effects, and the cache holds the
// user's stored version (or the user is new). handled is false when t must
// take the rows path instead; then nothing was written.
func (w *writer) journaled(ctx context.Context, t *turnReq) (handled bool, err error) {
	j := w.j
	if !j.on || j.broken || t.hasEffects() {
		return false, nil
	}
	key := t.user.Key
	if _, ok := j.batch[key]; ok {
		// A second turn of one user in one batch: turns of a user are
		// serialised, so this caller read a version being replaced.
		return true, fmt.Errorf("conversation version %d is stale: %w", t.conv.Version, ErrConflict)
	}
	e, cached := w.db.cache.peekHead(key)
	var prev int64
	userChanged := true
	switch {
	case t.conv.Version > 0:
		if !cached || e.version == 0 {
			return false, nil
		}
		if e.version != t.conv.Version {
			return true, fmt.Errorf("conversation version %d is stale: %w", t.conv.Version, ErrConflict)
		}
		prev = e.lastTurn
		userChanged = mergeUser(&t.user, e.user)
	default: // a new conversation
		if cached {
			if e.version > 0 {
				return true, fmt.Errorf("conversation version 0 is stale: %w", ErrConflict)
			}
			return false, nil // a stored user without a conversation
		}
		if !w.db.cache.knownAbsent(key) {
			var exists bool
			if err := w.jstmt(ctx, jStmtUserExists).QueryRowContext(ctx, key).Scan(&exists); err != nil {
				return true, fmt.Errorf("look up user: %w", err)
			}
			if exists {
				return false, nil
			}
		}
		// A new user's row is written now: other writes (notifications,
		// dealer sessions, handoffs) refer to it by foreign key.
		if err := writeUserRow(ctx, rawExecer{w, rawFlushUser}, &t.user); err != nil {
			return true, err
		}
		userChanged = false
	}

	lastTurn := prev
	keyArg := any(key) // boxed once for both rows
	if tr := &t.w.Turn; tr.ID != "" {
		userKey := keyArg
		if tr.UserKey != key {
			userKey = tr.UserKey
		}
		b := &w.boxes
		res, err := w.rawExec(rawInsertTurn, tr.ID, userKey, tr.At.UnixMilli(),
			b.of(tr.Block), tr.Utterance, b.of(tr.Kind), b.of(tr.Node), tr.Score, b.of(string(tr.State)), tr.Test, prev, b.of(tr.Source))
		if err != nil {
			return true, fmt.Errorf("insert turn %s: %w", tr.ID, err)
		}
		if lastTurn, err = res.LastInsertId(); err != nil {
			return true, fmt.Errorf("insert turn %s: %w", tr.ID, err)
		}
	}
	t.conv.Version++
	conv := appendConvJSON(w.buf[:0], &t.conv, t.updated, lastTurn)
	n := len(conv)
	var user any
	if userChanged {
		conv = appendUserJSON(conv, &t.user)
		user = string(conv[n:])
	}
	w.buf = conv
	// The writer numbers the rows itself: SQLite's rowid would start again
	// at 1 once a flush emptied the table, below the seqs freed already,
	// and those rows would then outlive their flush.
	seq := j.last + 1
	if _, err := w.rawExec(rawInsertJournal, seq, keyArg, t.conv.Version, string(conv[:n]), user); err != nil {
		return true, fmt.Errorf("insert journal row: %w", err)
	}
	if j.first == 0 {
		j.first = seq
	}
	j.last = seq
	j.batch[key] = t
	t.journal = seq
	t.lastTurn = lastTurn
	t.userDirty = userChanged || e.userDirty
	return true, nil
}

// boxes holds, boxed once as SQL arguments, the short texts a turn row
// repeats from a small set — block name, kind, node, state, source — so
// that the journaled path does not allocate an interface value for each of
// them on every turn. Only the writer goroutine uses it.
type boxes struct{ m map[string]any }

// maxBoxes bounds boxes: block names come from requests, and a config
// reload brings new node ids. Past it a text is boxed per use, as before.
const maxBoxes = 1024

// of returns s as an argument, boxed once per distinct text.
func (b *boxes) of(s string) any {
	if s == "" {
		return s // boxing the empty string does not allocate
	}
	if v, ok := b.m[s]; ok {
		return v
	}
	if len(b.m) >= maxBoxes {
		return s
	}
	if b.m == nil {
		b.m = make(map[string]any)
	}
	s = strings.Clone(s) // keep no request's buffer alive
	v := any(s)
	b.m[s] = v
	return v
}

// mergeUser makes u the users row as it will stand after the turn, given
// the stored row: first_seen kept, a zero welcomed_at keeping the stored
// one. It reports whether the row changes (last_seen moving less than
// lastSeenResolution does not count).
func mergeUser(u *User, stored User) bool {
	if stored.BotID == u.BotID && stored.PlusfriendKey == u.PlusfriendKey && stored.AppUserID == u.AppUserID &&
		stored.IsFriend == u.IsFriend && stored.Test == u.Test &&
		(u.WelcomedAt.IsZero() || u.WelcomedAt.Equal(stored.WelcomedAt)) &&
		u.LastSeen.Sub(stored.LastSeen) < lastSeenResolution {
		u.FirstSeen, u.LastSeen, u.WelcomedAt = stored.FirstSeen, stored.LastSeen, stored.WelcomedAt
		return false
	}
	u.FirstSeen = stored.FirstSeen
	if u.WelcomedAt.IsZero() {
		u.WelcomedAt = stored.WelcomedAt
	}
	return true
}

// prevTurn returns the rowid of key's latest stored turn.
func (w *writer) prevTurn(ctx context.Context, key string) (int64, error) {
	if e, ok := w.db.cache.peek(key); ok {
		return e.lastTurn, nil
	}
	var last int64
	err := w.jstmt(ctx, jStmtLastTurn).QueryRowContext(ctx, key).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("read last turn: %w", err)
	}
	return last, nil
}

// writeNow writes key's users and conversations rows now if they are behind
// (its entry is dirty, or it has a journal row in this batch), so that what
// follows in the batch reads and changes current rows.
func (w *writer) writeNow(ctx context.Context, key string) error {
	j := w.j
	if !j.on {
		return nil
	}
	if t := j.batch[key]; t != nil {
		if t.flushed {
			return nil
		}
		if t.userDirty {
			if err := writeUserRow(ctx, rawExecer{w, rawFlushUser}, &t.user); err != nil {
				return err
			}
		}
		if err := writeConvRow(ctx, rawExecer{w, rawFlushConv}, &t.conv, t.updated, t.lastTurn); err != nil {
			return err
		}
		t.flushed = true
		delete(j.dirty, key)
		return nil
	}
	e, ok := w.db.cache.peek(key)
	if !ok || !e.dirty {
		return nil
	}
	if err := w.writeEntry(ctx, key, e); err != nil {
		return err
	}
	delete(j.dirty, key)
	return nil
}

// writeEntry writes a dirty cache entry's rows and records it for cleaning
// after COMMIT.
func (w *writer) writeEntry(ctx context.Context, key string, e entry) error {
	if e.userDirty {
		u := e.user
		u.Key = key
		if err := writeUserRow(ctx, rawExecer{w, rawFlushUser}, &u); err != nil {
			return err
		}
	}
	c := e.conv
	c.UserKey = key
	if err := writeConvRow(ctx, rawExecer{w, rawFlushConv}, &c, w.db.now(), e.lastTurn); err != nil {
		return err
	}
	w.j.wrote = append(w.j.wrote, flushedEntry{key: key, version: e.conv.Version})
	return nil
}

// flushDue writes the entries dirty for FlushAge or longer (all of them when
// all is set), oldest first, at most a batch's share, and deletes the
// journal rows no dirty entry needs any more.
func (w *writer) flushDue(ctx context.Context, now time.Time, all bool) error {
	j := w.j
	budget := flushPerBatch
	forced := len(j.dirty) > w.db.cache.capacity()/2
	if forced {
		budget = forcedFlush
	}
	for n := 0; j.head < len(j.queue) && (all || n < budget); {
		d := j.queue[j.head]
		if seq, ok := j.dirty[d.key]; !ok || seq != d.seq {
			j.head++
			continue
		}
		if !all && !forced && now.Sub(d.since) < j.age {
			break
		}
		e, ok := w.db.cache.peek(d.key)
		if ok && e.dirty {
			if err := w.writeEntry(ctx, d.key, e); err != nil {
				return err
			}
			n++
		}
		delete(j.dirty, d.key)
		j.head++
	}
	if j.head > 1024 && j.head > len(j.queue)/2 {
		j.queue = append(j.queue[:0], j.queue[j.head:]...)
		j.head = 0
	}
	return w.freeJournal(ctx, all)
}

// freeJournal deletes the journal rows below the first one a dirty entry or
// this batch still needs, when enough can go (or any, when all is set).
func (w *writer) freeJournal(ctx context.Context, all bool) error {
	j := w.j
	low := j.last + 1
	for _, d := range j.queue[j.head:] {
		if seq, ok := j.dirty[d.key]; ok && seq == d.seq {
			low = d.seq
			break
		}
	}
	if j.first != 0 {
		low = min(low, j.first)
	}
	if low <= j.freed || (!all && low-j.freed < deleteEvery && len(j.dirty) > 0) {
		return nil
	}
	if _, err := w.jstmt(ctx, jStmtFreeJournal).ExecContext(ctx, low); err != nil {
		return fmt.Errorf("delete journal rows: %w", err)
	}
	j.freedNext = low
	return nil
}

// afterJournalCommit registers the batch's dirty entries and cleans the
// written ones, once the batch's COMMIT returned.
func (w *writer) afterJournalCommit() {
	j := w.j
	for _, f := range j.wrote {
		w.db.cache.clean(f.key, f.version)
	}
	if j.freedNext > j.freed {
		j.freed = j.freedNext
	}
	w.dirtyN.Store(int64(len(j.dirty)))
}

// markDirty records a committed journaled turn's entry as dirty.
func (w *writer) markDirty(t *turnReq, now time.Time) {
	j := w.j
	key := t.user.Key
	if _, ok := j.dirty[key]; !ok {
		j.dirty[key] = t.journal
		j.queue = append(j.queue, dirtyUser{key: key, seq: t.journal, since: now})
	}
}

// repairJournal replays the journal after a failed batch, in its own
// transaction, and starts the dirty bookkeeping afresh: every committed
// state is in the tables then.
func (w *writer) repairJournal(ctx context.Context) error {
	tx, err := w.db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replay journal: %w", err)
	}
	if _, err := replayJournal(ctx, tx); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("replay journal: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replay journal: %w", err)
	}
	j := w.j
	clear(j.dirty)
	j.queue, j.head = j.queue[:0], 0
	j.freed, j.freedNext = j.last+1, 0
	w.db.cache.cleanAll()
	w.db.cache.noFill.Store(false)
	j.broken = false
	w.dirtyN.Store(0)
	return nil
}
