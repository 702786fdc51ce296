package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/baton-chat/baton/faq"
)

// Unanswered is the bot master's report of what the bot could not answer
// (DESIGN §8): the questions FAQ found nothing for, which FAQ users picked
// when asked to clarify, and the answers users said did not help. Test
// traffic is left out. Every text in it is the masked utterance as stored.
type Unanswered struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Turns counts the user's turns in the window: what the user typed or
	// tapped (TurnsCounted says so), not the welcome block, a dealer's
	// return block or an Event API block (NotUserTurns). TypedTurns and
	// TappedTurns split it (a custom block of blocks.map, and a turn written
	// before migration 00022, is in neither). NoMatchTurns counts those FAQ
	// found nothing for.
	Turns        int    `json:"turns"`
	TurnsCounted string `json:"turns_counted"`
	TypedTurns   int    `json:"typed_turns"`
	TappedTurns  int    `json:"tapped_turns"`
	NotUserTurns int    `json:"not_user_turns"`
	NoMatchTurns int    `json:"no_match_turns"`
	// NoMatch are the most frequent no-match questions, grouped by their
	// normalised text (faq.Normalize), most frequent first.
	NoMatch []QuestionCount `json:"no_match"`
	// Clarify counts clarify questions and how they ended: the FAQ the user
	// picked next, or ignored.
	Clarifies      int        `json:"clarifies"`
	ClarifyIgnored int        `json:"clarify_ignored"`
	ClarifyChoices []FAQCount `json:"clarify_choices"`
	// NotHelpful counts "도움이 안 됐어요" per FAQ answer it followed.
	NotHelpful []FAQCount `json:"not_helpful"`
	// Handoffs are the figures of each queue with a handoff requested, or
	// a human session ended, in the window, by queue name (handoffs.go).
	Handoffs []QueueFigures `json:"handoffs"`
}

// TurnsCounted is Unanswered.TurnsCounted: what its Turns count.
const TurnsCounted = "typed and tapped user turns, excluding welcome, return-block and Event API turns and test traffic"

// userSources are the turns.source values of a user's turns; the others
// (welcome, returned, event) are blocks Open Builder or Baton called.
var userSources = []string{"text", "tap", "knowledge", "mapped"}

// notUserKinds are the kinds of the turns, written before migration 00022
// gave turns a source, that were no user's: the welcome, a dealer's return
// block, an Event API block (a welcome block after the first is recorded as
// the menu it shows and cannot be told apart).
var notUserKinds = []string{"welcome", "returned", "event", "event_stale", "silent"}

// userTurnSQL is true for a user's turn (userSources; by its kind for a turn
// without a source).
var userTurnSQL = `(source IN ('` + strings.Join(userSources, "', '") + `') OR (source = '' AND kind NOT IN ('` +
	strings.Join(notUserKinds, "', '") + `')))`

// reportTurnsSQL reads each turn of the window (at >= ?1) with the kind and
// node of the same user's previous and next turns of the same sort (window
// functions over the user's turns in the window, a user's turns apart from
// the others). turns has no index by time (migration 00025): the window is a
// range of the id index instead (?2 = idFloor of the window's start), as a
// turn's id is a ULID made for the turn's time (store.Commit, the skill
// pipeline: NewID(at)), and at >= ?1 keeps it exact. Unlike the rowid order,
// the id's order is the turns' times even where the wall clock stepped back
// between two turns.
var reportTurnsSQL = `
		SELECT user_key, at, utterance, kind, node, source, u,
			coalesce(lag(kind) OVER w, ''), coalesce(lag(node) OVER w, ''),
			coalesce(lead(kind) OVER w, ''), coalesce(lead(node) OVER w, '')
		FROM (SELECT rowid, user_key, at, utterance, kind, node, source, ` + userTurnSQL + ` AS u
			FROM turns WHERE id >= ?2 AND at >= ?1 AND test = 0)
		WINDOW w AS (PARTITION BY user_key, u ORDER BY at, rowid)`

// QuestionCount is one group of no-match questions.
type QuestionCount struct {
	Text   string    `json:"text"` // the group's most recent wording, masked
	Count  int       `json:"count"`
	Users  int       `json:"users"` // distinct users who asked it
	LastAt time.Time `json:"last_at"`
}

// FAQCount is a count per FAQ id.
type FAQCount struct {
	FAQ   string `json:"faq"`
	Count int    `json:"count"`
}

// UnansweredReport builds the report over user turns taken at or after
// since, with at most limit entries in each list (limit ≤ 0: 20). It reads
// the read-only pool only. A clarify counts as answered when the same user's
// next turn is an FAQ answer (its FAQ is the choice), and a "도움이 안
// 됐어요" turn is charged to the FAQ answered in the user's turn before it.
// It returns the query's error, wrapped.
// After Close it returns an error wrapping ErrClosed.
func (db *DB) UnansweredReport(ctx context.Context, since time.Time, limit int) (Unanswered, error) {
	if db.writer.isClosed() {
		return Unanswered{}, fmt.Errorf("store: unanswered report: %w", ErrClosed)
	}
	return unansweredReport(ctx, db.r, db.now(), since, limit)
}

func unansweredReport(ctx context.Context, r *sql.DB, now, since time.Time, limit int) (Unanswered, error) {
	if limit <= 0 {
		limit = 20
	}
	rep := Unanswered{Since: since.UTC(), Until: now.UTC(), TurnsCounted: TurnsCounted, NoMatch: []QuestionCount{},
		ClarifyChoices: []FAQCount{}, NotHelpful: []FAQCount{}}
	rows, err := r.QueryContext(ctx, reportTurnsSQL, since.UnixMilli(), idFloor(since))
	if err != nil {
		return rep, fmt.Errorf("store: unanswered report: %w", err)
	}
	defer rows.Close()

	type group struct {
		QuestionCount
		users map[string]bool
	}
	groups := map[string]*group{}
	choices, notHelpful := map[string]int{}, map[string]int{}
	for rows.Next() {
		var (
			user, utter, kind, node, source, prevKind, prevNode, nextKind, nextNode string
			at                                                                      int64
			userTurn                                                                bool
		)
		if err := rows.Scan(&user, &at, &utter, &kind, &node, &source, &userTurn, &prevKind, &prevNode, &nextKind, &nextNode); err != nil {
			return rep, fmt.Errorf("store: unanswered report: %w", err)
		}
		if !userTurn {
			rep.NotUserTurns++
			continue
		}
		rep.Turns++
		switch source {
		case "text", "knowledge":
			rep.TypedTurns++
		case "tap":
			rep.TappedTurns++
		}
		switch kind {
		case "no_match":
			rep.NoMatchTurns++
			key := faq.Normalize(utter)
			g := groups[key]
			if g == nil {
				g = &group{users: map[string]bool{}}
				groups[key] = g
			}
			g.Count++
			g.users[user] = true
			if t := fromMS(at); !t.Before(g.LastAt) {
				g.Text, g.LastAt = utter, t
			}
		case "clarify":
			rep.Clarifies++
			if nextKind == "faq" && nextNode != "" {
				choices[nextNode]++
			} else {
				rep.ClarifyIgnored++
			}
		case "not_helpful":
			if prevKind == "faq" && prevNode != "" {
				notHelpful[prevNode]++
			} else {
				notHelpful[""]++ // the answer it followed is outside the window
			}
		}
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: unanswered report: %w", err)
	}
	for _, g := range groups {
		g.Users = len(g.users)
		rep.NoMatch = append(rep.NoMatch, g.QuestionCount)
	}
	slices.SortFunc(rep.NoMatch, func(a, b QuestionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.LastAt.Compare(a.LastAt), cmp.Compare(a.Text, b.Text))
	})
	rep.NoMatch = rep.NoMatch[:min(limit, len(rep.NoMatch))]
	rep.ClarifyChoices = topFAQs(choices, limit)
	rep.NotHelpful = topFAQs(notHelpful, limit)
	if rep.Handoffs, err = handoffFigures(ctx, r, since); err != nil {
		return rep, fmt.Errorf("store: unanswered report: %w", err)
	}
	return rep, nil
}

// topFAQs sorts counts, most first, and keeps limit of them.
func topFAQs(counts map[string]int, limit int) []FAQCount {
	out := make([]FAQCount, 0, len(counts))
	for id, n := range counts {
		out = append(out, FAQCount{FAQ: id, Count: n})
	}
	slices.SortFunc(out, func(a, b FAQCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.FAQ, b.FAQ))
	})
	return out[:min(limit, len(out))]
}

// ReadOnly is a Baton database opened for reading only, by tools that run
// beside (or without) baton serve, such as baton report: no writer, no
// migrations, nothing it does can change the file.
type ReadOnly struct {
	r   *sql.DB
	now func() time.Time
}

// OpenReadOnly opens the database at path read-only. It returns an error if
// the file does not exist, cannot be opened, or holds no Baton schema.
func OpenReadOnly(ctx context.Context, path string) (*ReadOnly, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	uri := (&url.URL{Path: path}).EscapedPath()
	r, err := sql.Open("sqlite3", "file:"+uri+"?mode=ro&_busy_timeout=1000")
	if err != nil {
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	var n int
	if err := r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'turns'`).Scan(&n); err != nil || n == 0 {
		_ = r.Close()
		if err == nil {
			err = errors.New("no turns table: not a Baton database")
		}
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	// The report reads columns migration 00022 added; read-only, it cannot
	// migrate an older file itself.
	if err := r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM pragma_table_info('turns') WHERE name = 'source') +
		(SELECT count(*) FROM pragma_table_info('handoffs') WHERE name = 'csat_asked')`).Scan(&n); err != nil || n != 2 {
		_ = r.Close()
		if err == nil {
			err = ErrSchemaTooOld
		}
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	return &ReadOnly{r: r, now: time.Now}, nil
}

// ErrSchemaTooOld is returned by OpenReadOnly for a database an older baton
// serve migrated, without the columns the report reads: running this
// version's baton serve on it once migrates it.
var ErrSchemaTooOld = errors.New("database schema is older than this baton (before migration 00022): run this version's baton serve on it once to migrate it")

// UnansweredReport is DB.UnansweredReport on a read-only database.
func (ro *ReadOnly) UnansweredReport(ctx context.Context, since time.Time, limit int) (Unanswered, error) {
	return unansweredReport(ctx, ro.r, ro.now(), since, limit)
}

// Close closes the database.
func (ro *ReadOnly) Close() error {
	if err := ro.r.Close(); err != nil {
		return fmt.Errorf("store: close read-only: %w", err)
	}
	return nil
}
