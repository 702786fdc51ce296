package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// The journaled path's two statements of every turn — its turns row and its
// conv_journal row — run on the writer's driver connection itself, not
// through database/sql. database/sql would bind each prepared statement to
// the batch's transaction (a new Stmt per batch) and convert each call's
// arguments into a new []driver.NamedValue; under steady load a batch holds
// one or two turns, so that was about a kilobyte of garbage a turn for
// nothing: the writer's pool has one connection, which the open transaction
// holds, so no other goroutine can be using it (db.go: DB.writerOpened).
//
// Only the writer goroutine uses rawStmts, and only while its transaction
// is open (w.tx != nil): the statements then run inside that transaction.

// rawStmts are the statements prepared on the writer's current connection.
type rawStmts struct {
	conn  *openedConn // the connection they were prepared on (nil: none yet)
	stmts [len(rawStmtSQL)]driver.Stmt
	args  [maxRawArgs]driver.NamedValue // the call's arguments, reused
}

// rawStmtSQL are the statements run this way, by index (rawInsertTurn, …).
var rawStmtSQL = [...]string{
	rawInsertTurn:    journalStmtSQL[jStmtInsertTurn],
	rawInsertJournal: journalStmtSQL[jStmtInsertJournal],
}

const (
	rawInsertTurn = iota
	rawInsertJournal
)

// maxRawArgs is the most arguments a raw statement takes.
const maxRawArgs = 12

// openedConn is a connection the writer's connector opened.
type openedConn struct{ c driver.Conn }

// errNoWriterConn: the writer's connector has opened no connection (the
// pool opens one before the writer's first transaction, so this is a bug).
var errNoWriterConn = errors.New("store: no writer connection")

// rawExec runs raw statement i with args (each an int64, float64, bool,
// string, []byte or nil: the driver's own types, as no conversion runs) in
// the open transaction.
func (w *writer) rawExec(i int, args ...driver.Value) (driver.Result, error) {
	st, err := w.rawStmt(i)
	if err != nil {
		return nil, err
	}
	r := &w.raw
	nv := r.args[:len(args)]
	for k, v := range args {
		nv[k] = driver.NamedValue{Ordinal: k + 1, Value: v}
	}
	res, err := st.(driver.StmtExecContext).ExecContext(context.Background(), nv)
	clear(nv) // hold no turn's values until the next call
	return res, err
}

// rawStmt returns raw statement i prepared on the writer's current
// connection, preparing them all again when the pool has replaced it.
func (w *writer) rawStmt(i int) (driver.Stmt, error) {
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
			r.stmts[k] = st
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
