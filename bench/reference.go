package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/baton-chat/baton/skill"
	"github.com/labstack/echo/v5"
	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"
)

// Reference names a reference handler: the bare handler plus one SQLite
// upsert per turn, committed before the answer. It is the issue's own
// calibration point ("an Echo handler plus one SQLite upsert"), measured
// with the same client in the same run as Baton and the bare handler.
type Reference string

// The reference handlers. The "-normal" ones are NOT durable: SQLite at
// synchronous=NORMAL in WAL mode does not fsync at COMMIT, so a power loss
// can lose turns that were acknowledged. They are measured only to show
// what durability costs.
const (
	// RefUpsert runs each turn's upsert as its own autocommit statement
	// on a database/sql pool of one connection (one COMMIT and fsync per
	// turn; concurrent turns queue for the connection).
	RefUpsert Reference = "upsert"
	// RefUpsertGroup sends each turn's upsert to one goroutine that runs
	// whatever is queued in one transaction (one COMMIT and fsync per
	// batch) and answers each turn after its batch's COMMIT.
	RefUpsertGroup Reference = "upsert-group"
	// RefUpsertNormal is RefUpsert at synchronous=NORMAL: not durable.
	RefUpsertNormal Reference = "upsert-normal"
	// RefUpsertGroupNormal is RefUpsertGroup at synchronous=NORMAL: not durable.
	RefUpsertGroupNormal Reference = "upsert-group-normal"
)

// References lists every reference handler, durable ones first.
func References() []Reference {
	return []Reference{RefUpsert, RefUpsertGroup, RefUpsertNormal, RefUpsertGroupNormal}
}

// Durable reports whether an acknowledged turn survives a power loss
// (synchronous=FULL: the WAL is fsynced at every COMMIT).
func (r Reference) Durable() bool { return r == RefUpsert || r == RefUpsertGroup }

// grouped reports whether turns share COMMITs.
func (r Reference) grouped() bool { return r == RefUpsertGroup || r == RefUpsertGroupNormal }

func (r Reference) valid() bool {
	for _, k := range References() {
		if r == k {
			return true
		}
	}
	return false
}

// ErrUnknownReference is wrapped by ParseReferences for a name that is
// not one of References().
var ErrUnknownReference = errors.New("bench: unknown reference")

// ParseReferences parses a comma-separated list of reference names ("" is
// none). It returns an error wrapping ErrUnknownReference for a name not
// in References(), and an error for a name given twice.
func ParseReferences(list string) ([]Reference, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var refs []Reference
	for name := range strings.SplitSeq(list, ",") {
		r := Reference(strings.TrimSpace(name))
		if !r.valid() {
			known := make([]string, 0, len(References()))
			for _, k := range References() {
				known = append(known, string(k))
			}
			return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownReference, r, strings.Join(known, ", "))
		}
		for _, seen := range refs {
			if seen == r {
				return nil, fmt.Errorf("bench: reference %q given twice", r)
			}
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// upsertSQL is the turn's one write: the user's row with the last
// utterance, a turn counter and the time (UTC unix seconds).
const (
	upsertSchema = `CREATE TABLE IF NOT EXISTS sessions (
	user_key   TEXT PRIMARY KEY,
	utterance  TEXT NOT NULL,
	turns      INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
)`
	upsertSQL = `INSERT INTO sessions (user_key, utterance, turns, updated_at) VALUES (?, ?, 1, ?)
ON CONFLICT (user_key) DO UPDATE SET utterance = excluded.utterance, turns = turns + 1, updated_at = excluded.updated_at`
)

// maxUpsertBatch bounds the turns of one group COMMIT.
const maxUpsertBatch = 256

// errHandlerClosed answers turns that arrive while the handler closes.
var errHandlerClosed = errors.New("bench: reference handler closed")

// UpsertHandler is a reference handler (see Reference): the bare handler
// of BareHandler — same body limit, skill.Decode, same fixed answer and
// the same fallback for a body that does not decode — plus one upsert of
// the user's row (userRequest.user.id) in a SQLite file in WAL mode,
// committed before the answer is written. A failed write is answered
// with the fallback, as Baton answers an internal failure.
type UpsertHandler struct {
	ref    Reference
	db     *sql.DB
	upsert *sql.Stmt
	echo   *echo.Echo

	// Group commit (grouped references only).
	queue   chan *upsertTurn
	quit    chan struct{}
	stopped chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// upsertTurn is one turn waiting for its batch's COMMIT.
type upsertTurn struct {
	key, utterance string
	at             int64
	done           chan error // buffered: the commit loop never blocks on it
}

// OpenUpsertHandler opens (creating it if needed) the SQLite file at path
// for ref and returns its handler. The writer is one connection with
// journal_mode=WAL, busy_timeout, _txlock=immediate and synchronous=FULL
// (NORMAL for the not-durable references). Close it when done.
func OpenUpsertHandler(path string, ref Reference) (*UpsertHandler, error) {
	if !ref.valid() {
		return nil, fmt.Errorf("%w %q", ErrUnknownReference, ref)
	}
	synchronous := "FULL"
	if !ref.Durable() {
		synchronous = "NORMAL"
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate&_synchronous=" + synchronous
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: open %s: %w", ref, path, err)
	}
	db.SetMaxOpenConns(1) // SQLite has one writer
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, upsertSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("bench: %s: create table: %w", ref, err)
	}
	stmt, err := db.PrepareContext(ctx, upsertSQL)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bench: %s: prepare upsert: %w", ref, err)
	}
	h := &UpsertHandler{ref: ref, db: db, upsert: stmt, quit: make(chan struct{}), stopped: make(chan struct{})}
	if ref.grouped() {
		h.queue = make(chan *upsertTurn, 4*maxUpsertBatch)
		go h.commitLoop()
	} else {
		close(h.stopped)
	}

	answer := mustMarshal(menuAnswer())
	fallback := mustMarshal(fallbackAnswer(DefaultAnswers().FallbackText))
	h.echo = echo.NewWithConfig(echo.Config{Logger: slog.New(slog.DiscardHandler)})
	h.echo.POST("/skill", func(c *echo.Context) error {
		body, status := readBody(c.Request())
		if status != http.StatusOK {
			return c.String(status, http.StatusText(status)+"\n")
		}
		p, err := skill.Decode(body)
		if err != nil {
			return c.Blob(http.StatusOK, "application/json; charset=utf-8", fallback)
		}
		if err := h.write(c.Request().Context(), p.UserRequest.User.ID, p.UserRequest.Utterance); err != nil {
			return c.Blob(http.StatusOK, "application/json; charset=utf-8", fallback)
		}
		return c.Blob(http.StatusOK, "application/json; charset=utf-8", answer)
	})
	return h, nil
}

// ServeHTTP serves POST /skill.
func (h *UpsertHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.echo.ServeHTTP(w, r) }

// write upserts the user's row and returns once it is committed.
func (h *UpsertHandler) write(ctx context.Context, key, utterance string) error {
	at := time.Now().Unix()
	if !h.ref.grouped() {
		if _, err := h.upsert.ExecContext(ctx, key, utterance, at); err != nil {
			return fmt.Errorf("bench: %s: upsert: %w", h.ref, err)
		}
		return nil
	}
	t := &upsertTurn{key: key, utterance: utterance, at: at, done: make(chan error, 1)}
	select {
	case h.queue <- t:
	case <-h.quit:
		return errHandlerClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-t.done:
		return err
	case <-h.quit:
		return errHandlerClosed // the batch may still commit; the turn is not acknowledged
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitLoop is the group commit: it takes the first queued turn, adds
// whatever else is queued (up to maxUpsertBatch), commits them in one
// transaction and tells each turn the outcome.
func (h *UpsertHandler) commitLoop() {
	defer close(h.stopped)
	batch := make([]*upsertTurn, 0, maxUpsertBatch)
	for {
		select {
		case t := <-h.queue:
			batch = append(batch[:0], t)
		case <-h.quit:
			return
		}
	fill:
		for len(batch) < maxUpsertBatch {
			select {
			case t := <-h.queue:
				batch = append(batch, t)
			default:
				break fill
			}
		}
		err := h.commit(batch)
		for i, t := range batch {
			t.done <- err
			batch[i] = nil
		}
	}
}

// commit runs batch's upserts in one transaction (BEGIN IMMEDIATE). Any
// failure rolls the whole batch back.
func (h *UpsertHandler) commit(batch []*upsertTurn) error {
	// Not a request's context: the batch holds other requests' turns.
	ctx := context.Background()
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bench: %s: begin: %w", h.ref, err)
	}
	stmt := tx.StmtContext(ctx, h.upsert)
	for _, t := range batch {
		if _, err := stmt.ExecContext(ctx, t.key, t.utterance, t.at); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("bench: %s: upsert: %w", h.ref, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bench: %s: commit: %w", h.ref, err)
	}
	return nil
}

// Close stops the commit loop (turns still waiting get the fallback) and
// closes the database. Stop serving before closing.
func (h *UpsertHandler) Close() error {
	h.closeOnce.Do(func() {
		close(h.quit)
		<-h.stopped
		h.closeErr = errors.Join(h.upsert.Close(), h.db.Close())
	})
	return h.closeErr
}

// StartReference serves ref's handler on 127.0.0.1 with a SQLite file in
// a fresh temporary directory, and the same server timeouts as the bare
// handler in `baton bench`. stop closes the server and the handler and
// removes the directory.
func StartReference(ref Reference) (t Target, stop func() error, err error) {
	dir, err := os.MkdirTemp("", "baton-bench-"+string(ref)+"-")
	if err != nil {
		return Target{}, nil, fmt.Errorf("bench: %s: data dir: %w", ref, err)
	}
	h, err := OpenUpsertHandler(filepath.Join(dir, "reference.db"), ref)
	if err != nil {
		_ = os.RemoveAll(dir)
		return Target{}, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = h.Close()
		_ = os.RemoveAll(dir)
		return Target{}, nil, fmt.Errorf("bench: %s: listen: %w", ref, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop = func() error {
		err := errors.Join(srv.Close(), h.Close())
		if rmErr := os.RemoveAll(dir); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("bench: %s: remove data dir: %w", ref, rmErr))
		}
		return err
	}
	return Target{Name: string(ref), URL: "http://" + ln.Addr().String() + "/skill"}, stop, nil
}
