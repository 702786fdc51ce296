package testutil

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// SeededUser names the rows SeedUser stored for one user.
type SeededUser struct {
	Key, PlusfriendKey, AppUserID string
	HandoffID                     string
	TicketIDs                     []string // one of the user, one of the handoff without a user key
	NotificationID                string
	ContactID                     string
	Timers                        []store.TimerRef // wait_timeout.<handoff id>, after_hours.<user key>
}

// SeedUser stores a user with something in every table that can hold them,
// through the real store API where it exists: a turn that opens a handoff
// (with an outbox request), the handoff's agent and delivery, two tickets
// (one by user key, one only by handoff id, with a contact), a pending
// notification, and two timer rows with their outbox schedules (raw SQL:
// the timers API belongs to the timers work).
func SeedUser(t testing.TB, db *store.DB, key string, at time.Time) SeededUser {
	t.Helper()
	ctx := context.Background()
	s := SeededUser{Key: key, PlusfriendKey: "pf-" + key, AppUserID: "app-" + key, HandoffID: store.NewID(at)}
	w := &store.TurnWrite{
		User: store.User{Key: key, BotID: "bot-1!", PlusfriendKey: s.PlusfriendKey, AppUserID: s.AppUserID,
			IsFriend: true, FirstSeen: at, LastSeen: at},
		Conv: fsm.Conversation{UserKey: key, State: fsm.StateWaiting, HandoffID: s.HandoffID, Queue: "general",
			MenuPath: []string{"main"}, StateSince: at, LastTurnAt: at, ConfigVersion: "cfg-1"},
		Turn: store.Turn{ID: store.NewID(at), UserKey: key, At: at, Block: "text", Utterance: "상담원 연결해 주세요",
			Kind: "handoff", Node: "general", State: fsm.StateWaiting},
		OpenHandoff: &store.Handoff{ID: s.HandoffID, Code: "K7Q2", UserKey: key, BotID: "bot-1!",
			PlusfriendKey: s.PlusfriendKey, Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at},
		Outbox: []store.OutboxMsg{{ID: store.NewID(at), Subject: "baton.handoff.req.general",
			Payload: []byte(s.HandoffID), CreatedAt: at}},
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatalf("seed %s: commit turn: %v", key, err)
	}
	if ok, err := db.SetHandoffAgent(ctx, s.HandoffID, store.Agent{ID: "agent-7", Name: "김상담", AssignedAt: at}); err != nil || !ok {
		t.Fatalf("seed %s: agent: recorded %v, %v", key, ok, err)
	}
	if err := db.MarkDelivered(ctx, s.HandoffID, "notify:console", at); err != nil { // the sink with id: console
		t.Fatalf("seed %s: delivery: %v", key, err)
	}
	for _, tk := range []store.Ticket{
		{UserKey: key, Queue: "general", Reason: "after_hours", CreatedAt: at},
		{HandoffID: s.HandoffID, Queue: "general", Reason: "dealer_failed", CreatedAt: at},
	} {
		tk.ID = store.NewID(at)
		if _, err := db.OpenTicket(ctx, tk); err != nil {
			t.Fatalf("seed %s: ticket: %v", key, err)
		}
		s.TicketIDs = append(s.TicketIDs, tk.ID)
	}
	n := &store.Notification{UserKey: key, Kind: store.NotifyTicketReply, Ref: s.TicketIDs[0], CreatedAt: at}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatalf("seed %s: notification: %v", key, err)
	}
	s.NotificationID = n.ID
	s.ContactID = store.NewID(at)
	s.Timers = []store.TimerRef{{Kind: "wait_timeout", ID: s.HandoffID}, {Kind: "after_hours", ID: key}}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO contacts (id, user_key, ciphertext, created_at) VALUES (?, ?, ?, ?)`,
			s.ContactID, key, []byte("sealed:"+key), at.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE tickets SET contact_id = ?, message = ? WHERE id = ?`,
			s.ContactID, "연락 부탁드려요 "+key, s.TicketIDs[0]); err != nil {
			return err
		}
		for _, tm := range s.Timers {
			if _, err := tx.Exec(`INSERT INTO timers (kind, id, user_key, handoff_id, due_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, tm.Kind, tm.ID, key, s.HandoffID, at.Add(time.Hour).UnixMilli(), at.UnixMilli()); err != nil {
				return err
			}
			hdr, _ := json.Marshal(map[string]string{
				"Nats-Schedule":        "@at " + at.Add(time.Hour).UTC().Format(time.RFC3339),
				"Nats-Schedule-Target": "baton.timer.fire." + tm.Kind + "." + tm.ID,
			})
			if _, err := tx.Exec(`INSERT INTO outbox (id, subject, payload, created_at, headers) VALUES (?, ?, ?, ?, ?)`,
				store.NewID(at), "baton.timer.sched."+tm.Kind+"."+tm.ID, []byte(tm.ID), at.UnixMilli(), string(hdr)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed %s: contact, timers: %v", key, err)
	}
	return s
}

// Needles are the strings of s that must not survive an erasure.
func (s SeededUser) Needles() []string {
	out := []string{s.Key, s.PlusfriendKey, s.AppUserID, s.HandoffID, s.NotificationID, s.ContactID}
	return append(out, s.TicketIDs...)
}

// FindInTables searches every text and blob column of every table of db for
// needle (a LIKE '%needle%', BLOBs compared as text) and returns
// "table.column" for each hit. Tables are read from sqlite_master, so a
// table added later is searched too.
func FindInTables(t testing.TB, db *sql.DB, needle string) []string {
	t.Helper()
	tables, err := column0(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	var hits []string
	for _, tb := range tables {
		rows, err := db.Query(`SELECT name, upper(type) FROM pragma_table_info(?)`, tb)
		if err != nil {
			t.Fatalf("columns of %s: %v", tb, err)
		}
		var cols []string
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				t.Fatal(err)
			}
			if typ == "" || strings.Contains(typ, "TEXT") || strings.Contains(typ, "BLOB") || strings.Contains(typ, "CHAR") {
				cols = append(cols, name)
			}
		}
		rows.Close()
		for _, c := range cols {
			q := fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE CAST(%q AS TEXT) LIKE '%%' || ? || '%%'`, tb, c)
			var n int
			if err := db.QueryRow(q, needle).Scan(&n); err != nil {
				t.Fatalf("search %s.%s: %v", tb, c, err)
			}
			if n > 0 {
				hits = append(hits, fmt.Sprintf("%s.%s (%d rows)", tb, c, n))
			}
		}
	}
	return hits
}

// column0 returns the first column of every row of q.
func column0(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
