package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// The writer's row writes of a turn — its turns row, its conv_journal row,
// and the users and conversations rows the journal writes (a new user's at
// once, the others FlushAge later) — run on the writer's driver connection
// itself, not through database/sql. database/sql would bind each prepared
// statement to the batch's transaction (a new Stmt per batch) and convert
// each call's arguments into a new []driver.NamedValue; under steady load a
// batch holds one or two turns, so that was over a kilobyte of garbage a
// turn. Running them on the connection itself is safe: the writer's pool
// has one connection, which the open transaction holds, so no other
// goroutine can be using it (db.go: DB.writerOpened).
//
// Only the writer goroutine uses rawStmts, and only while its transaction
// is open (w.tx != nil): the statements then run inside that transaction.

// rawStmts are the statements prepared on the writer's current connection.
type rawStmts struct {
	conn  *openedConn // the connection they were prepared on (nil: none yet)
	stmts [len(rawStmtSQL)]execStmt
	args  [maxRawArgs]driver.NamedValue // the call's arguments, reused
}

// rawStmtSQL are the statements run this way, by index (rawInsertTurn, …).
var rawStmtSQL = [...]string{
	rawInsertTurn:    insertTurnSQL,
	rawInsertJournal: insertJournalSQL,
	rawFlushUser:     flushUserSQL,
	rawFlushConv:     flushConvSQL,
}

const (
	rawInsertTurn = iota
	rawInsertJournal
	rawFlushUser
	rawFlushConv
)

// maxRawArgs is the most arguments a raw statement takes.
const maxRawArgs = 16

// execStmt is a driver statement that runs with named values.
type execStmt interface {
	driver.Stmt
	driver.StmtExecContext
}

// openedConn is a connection the writer's connector opened.
type openedConn struct{ c driver.Conn }

// errNoWriterConn: the writer's connector has opened no connection (the
// pool opens one before the writer's first transaction, so this is a bug).
var errNoWriterConn = errors.New("store: no writer connection")

// rawExec runs raw statement i with args in the open transaction. The
// driver's own types (int64, float64, bool, string, []byte, time.Time, nil)
// pass as they are; others are converted as database/sql would.
func (w *writer) rawExec(i int, args ...any) (driver.Result, error) {
	st, err := w.rawStmt(i)
	if err != nil {
		return nil, err
	}
	r := &w.raw
	if len(args) > len(r.args) {
		return nil, fmt.Errorf("store: %d arguments, at most %d", len(args), len(r.args))
	}
	nv := r.args[:len(args)]
	defer clear(nv) // hold no turn's values until the next call
	for k, v := range args {
		if v, err = driverValue(v); err != nil {
			return nil, fmt.Errorf("store: argument %d: %w", k+1, err)
		}
		nv[k] = driver.NamedValue{Ordinal: k + 1, Value: v}
	}
	return st.ExecContext(context.Background(), nv)
}

// driverValue is v as the driver takes it.
func driverValue(v any) (driver.Value, error) {
	switch v := v.(type) {
	case nil, int64, float64, bool, string, []byte, time.Time:
		return v, nil
	case int:
		return int64(v), nil
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}

// rawExecer is raw statement i as an execer (the query argument is
// ignored), for the row writers the journal's replay runs on a *sql.Tx
// (writeUserRow, writeConvRow).
type rawExecer struct {
	w *writer
	i int
}

func (x rawExecer) ExecContext(_ context.Context, _ string, args ...any) (sql.Result, error) {
	return x.w.rawExec(x.i, args...)
}

// rawStmt returns raw statement i prepared on the writer's current
// connection, preparing them all again when the pool has replaced it.
func (w *writer) rawStmt(i int) (execStmt, error) {
	r := &w.raw
	cur := w.db.wconn.Load()
	if cur == nil {
		return nil, errNoWriterConn
	}
	if r.conn != cur {
		w.closeRaw()
		for k, q := range rawStmtSQL {
			st, err := cur.c.Prepare(q)
			if err != nil {
				w.closeRaw()
				return nil, fmt.Errorf("store: prepare %q: %w", q, err)
			}
			rs, ok := st.(execStmt)
			if !ok {
				_ = st.Close()
				w.closeRaw()
				return nil, fmt.Errorf("store: prepare %q: the driver's %T takes no named values", q, st)
			}
			r.stmts[k] = rs
		}
		r.conn = cur
	}
	return r.stmts[i], nil
}

// closeRaw closes the raw statements (a replaced connection's are closed
// with it already; their errors say nothing).
func (w *writer) closeRaw() {
	r := &w.raw
	for k, st := range r.stmts {
		if st != nil {
			_ = st.Close()
			r.stmts[k] = nil
		}
	}
	r.conn = nil
}
