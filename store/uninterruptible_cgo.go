//go:build cgo

package store

import (
	"context"
	"database/sql/driver"

	"github.com/mattn/go-sqlite3"
)

// The writer's connection runs every statement to its end, whatever its
// caller's context does meanwhile. The driver answers a context that ends
// during a statement with sqlite3_interrupt, and SQLite rolls back the whole
// transaction when the interrupted statement writes: on the writer's
// connection that transaction is the batch, so one Write callback whose
// context ended (an admin request whose client hung up, a job stopped by
// shutdown) failed every turn and write committed with it. A callback's
// statements are short; its context is still checked before the writer
// runs it (writer.add), and before each statement by database/sql.

// uninterruptibleConn is a writer connection whose statements ignore the
// end of their context.
type uninterruptibleConn struct{ *sqlite3.SQLiteConn }

// uninterruptibleStmt is a statement prepared on an uninterruptibleConn.
type uninterruptibleStmt struct{ *sqlite3.SQLiteStmt }

// uninterruptible wraps the writer connection conn (a *sqlite3.SQLiteConn,
// else it is returned as it is).
func uninterruptible(conn driver.Conn) driver.Conn {
	if c, ok := conn.(*sqlite3.SQLiteConn); ok {
		return uninterruptibleConn{c}
	}
	return conn
}

// keepGoing is ctx without its end (ctx itself when it has none, as the
// writer's own statements' context.Background(): no allocation).
func keepGoing(ctx context.Context) context.Context {
	if ctx.Done() == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

func (c uninterruptibleConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.SQLiteConn.ExecContext(keepGoing(ctx), query, args)
}

func (c uninterruptibleConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.SQLiteConn.QueryContext(keepGoing(ctx), query, args)
}

func (c uninterruptibleConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c uninterruptibleConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.SQLiteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s, ok := st.(*sqlite3.SQLiteStmt); ok {
		return uninterruptibleStmt{s}, nil
	}
	return st, nil
}

func (s uninterruptibleStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.SQLiteStmt.ExecContext(keepGoing(ctx), args)
}

func (s uninterruptibleStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.SQLiteStmt.QueryContext(keepGoing(ctx), args)
}
