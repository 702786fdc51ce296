package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// lockRecorder is the skill server's WithUser, recording the keys locked.
type lockRecorder struct {
	app  *skill.Server
	mu   sync.Mutex
	keys []string
}

func (l *lockRecorder) WithUser(key string, fn func() error) error {
	l.mu.Lock()
	l.keys = append(l.keys, key)
	l.mu.Unlock()
	return l.app.WithUser(key, fn)
}

// skillTurn posts one turn of user to the skill server h, in the group chat
// room when room is not "".
func skillTurn(t *testing.T, h http.Handler, user, utterance, room string) {
	t.Helper()
	req := map[string]any{"block": map[string]any{"id": "f", "name": "폴백 블록"}, "utterance": utterance,
		"user": map[string]any{"id": user, "type": "botUserKey", "properties": map[string]any{"botUserKey": user, "isFriend": true}}}
	if room != "" {
		req["chat"] = map[string]any{"id": room, "type": "botGroupKey", "properties": map[string]any{"botGroupKey": room}}
	}
	body, _ := json.Marshal(map[string]any{"intent": map[string]any{"id": "f", "name": "폴백 블록"}, "userRequest": req,
		"bot": map[string]any{"id": "bot1", "name": "샘플몰"}, "action": map[string]any{"clientExtra": map[string]any{}}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body)))
	if rec.Code != http.StatusOK {
		t.Fatalf("turn of %s in %q: %d %s", user, room, rec.Code, rec.Body)
	}
}

// TestEraseUserErasesGroupRooms: a team-chat turn is stored under the room
// and user (store.GroupKey, docs/design.md §3 step 2), not the botUserKey.
// DELETE /admin/users/{botUserKey} erases those rows too (user row,
// conversation, turns, journal, whatever the group key wrote), each under
// its own key's turn lock, and leaves other users' rooms alone, those of a
// user whose key merely ends in ":" + the erased one's included.
func TestEraseUserErasesGroupRooms(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	cfg, e := testutil.Engine(t, "../../configs/example.yaml")
	app := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 20, RatePer: 1, RateBurst: 1 << 20,
	})
	locks := &lockRecorder{app: app}
	f := newFixtureOn(t, db, admin.Options{Users: locks})
	h := app.Handler()

	const user = "erase-group-target-3f9a"
	const bystander = "other:" + user // ends in ":" + user
	skillTurn(t, h, user, "안녕하세요", "")
	for _, room := range []string{"room-a", "room-b"} {
		skillTurn(t, h, user, "안녕하세요", room)
		skillTurn(t, h, user, "배송 조회", room)
	}
	skillTurn(t, h, bystander, "안녕하세요", "room-a")
	skillTurn(t, h, "erase-group-neighbour-77c1", "안녕하세요", user) // a room named like the user
	gone := []string{store.GroupKey("room-a", user), store.GroupKey("room-b", user)}
	kept := []string{store.GroupKey("room-a", bystander), store.GroupKey(user, "erase-group-neighbour-77c1")}
	for _, k := range append(slices.Clone(gone), kept...) {
		if _, _, found, err := db.Load(ctx, k); err != nil || !found {
			t.Fatalf("setup: %s not stored (%v)", k, err)
		}
	}

	code, body := f.call(t, http.MethodDelete, "/admin/users/"+url.PathEscape(user), bootToken, nil)
	if code != http.StatusOK || body["erased"] != true {
		t.Fatalf("erase: got %d %v, want 200 erased", code, body)
	}
	if _, _, found, _ := db.Load(ctx, user); found {
		t.Errorf("the 1:1 user is still stored")
	}
	for _, k := range gone {
		if _, _, found, _ := db.Load(ctx, k); found {
			t.Errorf("group room row %s is still stored", k)
		}
		if hits := testutil.FindInTables(t, db.ReadDB(), k); len(hits) > 0 {
			t.Errorf("after erase, %q still in %v", k, hits)
		}
	}
	for _, k := range kept {
		if _, _, found, _ := db.Load(ctx, k); !found {
			t.Errorf("another user's room row %s was erased too", k)
		}
	}
	if rows, _ := body["rows"].(map[string]any); rows["turns"] != float64(5) || rows["users"] != float64(3) {
		t.Errorf("rows erased: %v, want 5 turns and 3 users (the user's and two rooms')", body["rows"])
	}
	locked := slices.Clone(locks.keys)
	slices.Sort(locked)
	want := append([]string{user}, gone...)
	slices.Sort(want)
	if !slices.Equal(locked, want) {
		t.Errorf("erased under the turn locks of %q, want %q", locked, want)
	}
}
