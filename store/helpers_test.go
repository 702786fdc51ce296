package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// openTestDB opens a store on a fresh file in t.TempDir and closes it on cleanup.
func openTestDB(t testing.TB, opts Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "baton.db")
	db, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db, path
}

// checkFor polls fn every sleep until it returns nil or total elapses.
func checkFor(t testing.TB, total, sleep time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(total)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", total, err)
		}
		time.Sleep(sleep)
	}
}

// holdWriter parks the writer inside a Write callback until the returned
// release is called (also on cleanup), so requests queue up behind it.
func holdWriter(t testing.TB, db *DB) (release func()) {
	t.Helper()
	started := make(chan struct{})
	gate := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Write(context.Background(), func(*sql.Tx) error {
			close(started)
			<-gate
			return nil
		})
	}()
	<-started
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(gate)
			if err := <-done; err != nil {
				t.Errorf("holding Write: %v", err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// waitQueued waits until n requests wait for the writer.
func waitQueued(t testing.TB, db *DB, n int) {
	t.Helper()
	checkFor(t, 10*time.Second, time.Millisecond, func() error {
		if got := db.Stats().QueueDepth; got != n {
			return fmt.Errorf("queue depth %d, want %d", got, n)
		}
		return nil
	})
}

// testTurn builds a realistic TurnWrite for user key at version v.
func testTurn(key string, v int64, at time.Time) *TurnWrite {
	return &TurnWrite{
		User: User{
			Key:           key,
			BotID:         "5f0c3d2a1b!",
			PlusfriendKey: "pf-" + key,
			AppUserID:     "app-" + key,
			IsFriend:      true,
			LastSeen:      at,
		},
		Conv: fsm.Conversation{
			UserKey:       key,
			State:         fsm.StateBot,
			MenuPath:      []string{"main", "billing"},
			FAQMisses:     1,
			StateSince:    at,
			LastTurnAt:    at,
			ConfigVersion: "cfg-1",
			Version:       v,
		},
		Turn: Turn{
			At:        at,
			Block:     "text",
			Utterance: "요금제 변경은 어떻게 하나요? 010-****-****",
			Kind:      "faq",
			Node:      "faq-plan-change",
			Score:     0.82,
			State:     fsm.StateBot,
		},
	}
}

// readTurn reads one turn row back.
func readTurn(t testing.TB, db *DB, id string) Turn {
	t.Helper()
	var tr Turn
	var at int64
	var state string
	err := db.ReadDB().QueryRow(`SELECT id, user_key, at, block, utterance, kind, node, score, state, test
		FROM turns WHERE id = ?`, id).Scan(&tr.ID, &tr.UserKey, &at, &tr.Block, &tr.Utterance, &tr.Kind,
		&tr.Node, &tr.Score, &state, &tr.Test)
	if err != nil {
		t.Fatalf("read turn %s: %v", id, err)
	}
	tr.At = fromMS(at)
	tr.State = fsm.State(state)
	return tr
}

// journaledUser commits the user's row and two journaled turns of user key
// (testTurn at at), checks that the user is dirty (its turns in the
// journal), and returns a function that commits the user's next turn and
// returns its version, failing t on an error.
func journaledUser(t testing.TB, db *DB, key string, at time.Time) (commit func() int64) {
	t.Helper()
	ctx := context.Background()
	var version int64
	commit = func() int64 {
		w := testTurn(key, version, at)
		w.Turn.Source = "tap"
		if err := db.Commit(ctx, w); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		version = w.Conv.Version
		return version
	}
	for range 3 { // the user's row, then cached and journaled turns
		commit()
	}
	if d := db.Stats().Dirty; d != 1 {
		t.Fatalf("got %d dirty conversations, want 1: the turns journaled", d)
	}
	return commit
}
