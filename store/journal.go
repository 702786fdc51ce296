package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/jsonw"
)

// The conversation journal. A turn of a cached user is written as two
// appends: its turns row and a conv_journal row holding the conversation
// (and the users row, when it changed) as they stand after the turn. The
// cache entry is then dirty: newer than the users and conversations rows,
// and pinned until the writer writes those rows from it, FlushAge later, in
// a later batch, once for however many turns the user took meanwhile. Journal
// rows older than the oldest dirty entry's first are deleted as the flushes
// go. At open, rows a crash left behind are applied before anything reads
// the tables (replayJournal).
//
// Everything here runs on the writer goroutine.
const (
	// DefaultFlushAge is how long an entry stays dirty before it is
	// written: long enough that the other turns of a user's session (a few,
	// seconds apart) cost no row writes of their own.
	DefaultFlushAge = 10 * time.Second
	// flushIdle bounds how long an idle writer sleeps with entries dirty.
	flushIdle = time.Second
	// flushPerBatch bounds the entries written with one batch of turns, so
	// no batch waits long for them. When more than half the cache is dirty,
	// forcedFlush entries go per batch whatever their age.
	flushPerBatch = 256
	forcedFlush   = 1024
	// deleteEvery: journal rows are deleted once this many can go.
	deleteEvery = 256
)

// dirtyUser is a dirty entry's first journal row and when it was made dirty.
type dirtyUser struct {
	key   string
	seq   int64
	since time.Time
}

// journal is the writer's record of dirty entries, oldest first.
type journal struct {
	age       time.Duration       // Options.FlushAge
	on        bool                // off when the cache is disabled: every turn writes its rows
	dirty     map[string]int64    // key → seq of its first unwritten journal row
	queue     []dirtyUser         // by seq; entries whose seq no longer matches dirty are stale
	head      int                 // queue[head:] is live
	batch     map[string]*turnReq // users given a journal row in this batch
	first     int64               // first journal seq of this batch (0: none yet)
	last      int64               // largest journal seq given (the writer numbers the rows; the journal is empty at open)
	wrote     []flushedEntry      // written in this batch, cleaned after COMMIT
	freed     int64               // journal rows below this seq are deleted
	freedNext int64               // freed once this batch commits
	// broken: a batch failed after journal rows or flushes may have
	// changed, so the tables are replayed from the journal before the next
	// batch (and the cache takes no fills until then).
	broken bool
}

// flushedEntry is an entry written to the tables at a version.
type flushedEntry struct {
	key     string
	version int64
}

func newJournal(on bool, age time.Duration) *journal {
	return &journal{on: on, age: age, dirty: map[string]int64{}, batch: map[string]*turnReq{}}
}

// pending reports whether any entry waits to be written.
func (j *journal) pending() bool { return len(j.dirty) > 0 }

// due reports whether the oldest dirty entry has waited j.age.
func (j *journal) due(now time.Time) bool {
	for _, d := range j.queue[j.head:] {
		if seq, ok := j.dirty[d.key]; ok && seq == d.seq {
			return now.Sub(d.since) >= j.age
		}
	}
	return false
}

// beginBatch resets the per-batch state.
func (j *journal) beginBatch() {
	clear(j.batch)
	j.first = 0
	j.freedNext = 0
	j.wrote = j.wrote[:0]
}

// convWire is a conversation and its last turn as a journal row holds them.
type convWire struct {
	State      string          `json:"s"`
	MenuPath   json.RawMessage `json:"m"`
	FAQMisses  int             `json:"f"`
	Clarify    json.RawMessage `json:"c"`
	HandoffID  string          `json:"h"`
	Queue      string          `json:"q"`
	StateSince *int64          `json:"ss"`
	LastTurnAt *int64          `json:"lt"`
	WelcomedAt *int64          `json:"w"`
	ConfigVer  string          `json:"cv"`
	Updated    int64           `json:"u"`
	Intake     string          `json:"i"`
	CSAT       string          `json:"cp"` // CSATPending; migration 00021 moved it here out of "c"
	LastTurn   int64           `json:"t"`
}

// userWire is a users row as a journal row holds it.
type userWire struct {
	BotID         string `json:"b"`
	PlusfriendKey string `json:"p"`
	AppUserID     string `json:"a"`
	IsFriend      bool   `json:"fr"`
	Test          bool   `json:"t"`
	FirstSeen     int64  `json:"fs"`
	LastSeen      int64  `json:"ls"`
	WelcomedAt    *int64 `json:"w"`
}

// appendConvJSON encodes c, updated and lastTurn as a convWire object.
func appendConvJSON(b []byte, c *fsm.Conversation, updated time.Time, lastTurn int64) []byte {
	b = append(b, `{"s":`...)
	b = jsonw.AppendString(b, string(c.State))
	b = append(b, `,"m":`...)
	b = jsonw.AppendStrings(b, c.MenuPath)
	b = append(b, `,"f":`...)
	b = strconv.AppendInt(b, int64(c.FAQMisses), 10)
	b = append(b, `,"c":`...)
	b = jsonw.AppendStrings(b, c.Clarify)
	b = append(b, `,"h":`...)
	b = jsonw.AppendString(b, c.HandoffID)
	b = append(b, `,"q":`...)
	b = jsonw.AppendString(b, c.Queue)
	b = append(b, `,"ss":`...)
	b = appendJSONTime(b, c.StateSince)
	b = append(b, `,"lt":`...)
	b = appendJSONTime(b, c.LastTurnAt)
	b = append(b, `,"w":`...)
	b = appendJSONTime(b, c.WelcomedAt)
	b = append(b, `,"cv":`...)
	b = jsonw.AppendString(b, c.ConfigVersion)
	b = append(b, `,"u":`...)
	b = strconv.AppendInt(b, updated.UnixMilli(), 10)
	b = append(b, `,"i":`...)
	b = jsonw.AppendString(b, encodeIntake(c.Intake))
	b = append(b, `,"cp":`...)
	b = jsonw.AppendString(b, c.CSATPending)
	b = append(b, `,"t":`...)
	b = strconv.AppendInt(b, lastTurn, 10)
	return append(b, '}')
}

// appendUserJSON encodes u as a userWire object.
func appendUserJSON(b []byte, u *User) []byte {
	b = append(b, `{"b":`...)
	b = jsonw.AppendString(b, u.BotID)
	b = append(b, `,"p":`...)
	b = jsonw.AppendString(b, u.PlusfriendKey)
	b = append(b, `,"a":`...)
	b = jsonw.AppendString(b, u.AppUserID)
	b = append(b, `,"fr":`...)
	b = strconv.AppendBool(b, u.IsFriend)
	b = append(b, `,"t":`...)
	b = strconv.AppendBool(b, u.Test)
	b = append(b, `,"fs":`...)
	b = strconv.AppendInt(b, u.FirstSeen.UnixMilli(), 10)
	b = append(b, `,"ls":`...)
	b = strconv.AppendInt(b, u.LastSeen.UnixMilli(), 10)
	b = append(b, `,"w":`...)
	b = appendJSONTime(b, u.WelcomedAt)
	return append(b, '}')
}

// appendJSONTime appends t in unix milliseconds, or null for the zero time.
func appendJSONTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, t.UnixMilli(), 10)
}

// decodeConvWire is the inverse of appendConvJSON.
func decodeConvWire(s string) (fsm.Conversation, time.Time, int64, error) {
	var w convWire
	var c fsm.Conversation
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return c, time.Time{}, 0, fmt.Errorf("decode journal conversation: %w", err)
	}
	var err error
	if c.MenuPath, err = decodeList(string(w.MenuPath)); err != nil {
		return c, time.Time{}, 0, err
	}
	if c.Clarify, err = decodeList(string(w.Clarify)); err != nil {
		return c, time.Time{}, 0, err
	}
	c.State, c.FAQMisses, c.HandoffID, c.Queue = fsm.State(w.State), w.FAQMisses, w.HandoffID, w.Queue
	c.StateSince, c.LastTurnAt, c.WelcomedAt = wireTime(w.StateSince), wireTime(w.LastTurnAt), wireTime(w.WelcomedAt)
	c.ConfigVersion, c.Intake, c.CSATPending = w.ConfigVer, decodeIntake(w.Intake), w.CSAT
	return c, fromMS(w.Updated), w.LastTurn, nil
}

// decodeUserWire is the inverse of appendUserJSON.
func decodeUserWire(key, s string) (User, error) {
	var w userWire
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return User{}, fmt.Errorf("decode journal user: %w", err)
	}
	return User{Key: key, BotID: w.BotID, PlusfriendKey: w.PlusfriendKey, AppUserID: w.AppUserID,
		IsFriend: w.IsFriend, Test: w.Test, FirstSeen: fromMS(w.FirstSeen), LastSeen: fromMS(w.LastSeen),
		WelcomedAt: wireTime(w.WelcomedAt)}, nil
}

func wireTime(ms *int64) time.Time {
	if ms == nil {
		return time.Time{}
	}
	return fromMS(*ms)
}

// Row writes shared by flushes and the replay. A users row is written
// whole (the entry holds it as stored plus the turn's changes); a
// conversation row only moves forward in version.
const (
	flushUserSQL = `INSERT INTO users (key, bot_id, plusfriend_key, app_user_id, is_friend, test,
		first_seen, last_seen, welcomed_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET
		bot_id = excluded.bot_id, plusfriend_key = excluded.plusfriend_key,
		app_user_id = excluded.app_user_id, is_friend = excluded.is_friend, test = excluded.test,
		first_seen = min(users.first_seen, excluded.first_seen),
		last_seen = max(users.last_seen, excluded.last_seen),
		welcomed_at = coalesce(excluded.welcomed_at, users.welcomed_at)`
	flushConvSQL = `INSERT INTO conversations (user_key, state, menu_path, faq_misses, clarify, handoff_id,
		queue, state_since, last_turn_at, welcomed_at, config_version, updated_at, intake, csat_pending, version, last_turn)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (user_key) DO UPDATE SET
		state = excluded.state, menu_path = excluded.menu_path, faq_misses = excluded.faq_misses,
		clarify = excluded.clarify, handoff_id = excluded.handoff_id, queue = excluded.queue,
		state_since = excluded.state_since, last_turn_at = excluded.last_turn_at,
		welcomed_at = excluded.welcomed_at, config_version = excluded.config_version,
		updated_at = excluded.updated_at, intake = excluded.intake, csat_pending = excluded.csat_pending,
		version = excluded.version,
		last_turn = excluded.last_turn
	WHERE excluded.version > conversations.version`
	insertJournalSQL = `INSERT INTO conv_journal (seq, user_key, version, conv, user) VALUES (?, ?, ?, ?, ?)`
)

// execer is what the row writes need: a transaction or a prepared set.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeUserRow upserts u.
func writeUserRow(ctx context.Context, x execer, u *User) error {
	if _, err := x.ExecContext(ctx, flushUserSQL, u.Key, u.BotID, u.PlusfriendKey, u.AppUserID, u.IsFriend, u.Test,
		u.FirstSeen.UnixMilli(), u.LastSeen.UnixMilli(), msOrNull(u.WelcomedAt)); err != nil {
		return fmt.Errorf("write user: %w", err)
	}
	return nil
}

// writeConvRow upserts c unless the stored row is at its version or later.
func writeConvRow(ctx context.Context, x execer, c *fsm.Conversation, updated time.Time, lastTurn int64) error {
	_, err := upsertConvRow(ctx, x, c, updated, lastTurn)
	return err
}

// upsertConvRow is writeConvRow, reporting whether the row was written
// (false: the stored row is at c's version or later).
func upsertConvRow(ctx context.Context, x execer, c *fsm.Conversation, updated time.Time, lastTurn int64) (bool, error) {
	menu, err := encodeList(c.MenuPath)
	if err != nil {
		return false, err
	}
	clarify, err := encodeList(c.Clarify)
	if err != nil {
		return false, err
	}
	res, err := x.ExecContext(ctx, flushConvSQL, c.UserKey, string(c.State), menu, c.FAQMisses, clarify,
		c.HandoffID, c.Queue, msOrNull(c.StateSince), msOrNull(c.LastTurnAt), msOrNull(c.WelcomedAt),
		c.ConfigVersion, updated.UnixMilli(), encodeIntake(c.Intake), c.CSATPending, c.Version, lastTurn)
	if err != nil {
		return false, fmt.Errorf("write conversation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("write conversation: %w", err)
	}
	return n > 0, nil
}

// replayJournal applies every journal row, oldest first, to the users and
// conversations tables and empties the journal, inside tx. It returns how
// many rows it applied.
func replayJournal(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT user_key, version, conv, user FROM conv_journal ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("read journal: %w", err)
	}
	type row struct {
		key     string
		version int64
		conv    string
		user    sql.NullString
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.version, &r.conv, &r.user); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read journal: %w", err)
		}
		all = append(all, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("read journal: %w", err)
	}
	for i := range all {
		r := &all[i]
		c, updated, lastTurn, err := decodeConvWire(r.conv)
		if err != nil {
			return 0, fmt.Errorf("journal row: %w", err)
		}
		c.UserKey, c.Version = r.key, r.version
		applied, err := upsertConvRow(ctx, tx, &c, updated, lastTurn)
		if err != nil {
			return 0, err
		}
		// The users row goes with its conversation: a stored conversation
		// at this version or later was written with a users row as new
		// (a flush, or a later turn that wrote its rows at once), which
		// this older copy must not undo.
		if applied && r.user.Valid {
			u, err := decodeUserWire(r.key, r.user.String)
			if err != nil {
				return 0, fmt.Errorf("journal row: %w", err)
			}
			if err := writeUserRow(ctx, tx, &u); err != nil {
				return 0, err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM conv_journal`); err != nil {
		return 0, fmt.Errorf("empty journal: %w", err)
	}
	return len(all), nil
}

// replayAtOpen applies the journal a crash left behind, before the cache is
// warmed or anything reads the tables.
func (db *DB) replayAtOpen(ctx context.Context) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: replay journal: %w", err)
	}
	n, err := replayJournal(ctx, tx)
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("store: replay journal: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: replay journal: %w", err)
	}
	if n > 0 {
		db.log.Info("store: applied the conversation journal", "rows", n)
	}
	return nil
}
