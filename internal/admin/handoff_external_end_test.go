package admin_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// externalLifecycle is the real lifecycle serve gives the admin API: a
// skill.Server over the real store and the example config switched to 상담톡.
func externalLifecycle(t *testing.T, db *store.DB) *skill.Server {
	t.Helper()
	cfg := testutil.ExampleSangdamtalk(t, "../../configs/example.yaml")
	return skill.NewServer(slog.New(slog.DiscardHandler), testutil.EngineFor(t, cfg), db, handoff.Effects{}, nil,
		skill.Options{FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited})
}

// storeBotUser stores a user whose conversation is with the bot.
func storeBotUser(t *testing.T, db *store.DB, key string, at time.Time) {
	t.Helper()
	w := &store.TurnWrite{
		User: store.User{Key: key, BotID: "bot1", PlusfriendKey: "pf-" + key, IsFriend: true, FirstSeen: at, LastSeen: at, WelcomedAt: at},
		Conv: fsm.Conversation{UserKey: key, State: fsm.StateBot, StateSince: at, WelcomedAt: at, LastTurnAt: at},
		Turn: store.Turn{ID: store.NewID(at), UserKey: key, At: at, Block: "text", Utterance: "안녕하세요", Kind: "menu", State: fsm.StateBot},
	}
	if err := db.Commit(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}

// TestAdminEndsExternalHandoff: an external handoff (a 상담톡 session the
// user reached through the channel's own menu: the dealer's session.started
// opened it, docs/design.md §6 "an unknown user creates an `external`
// handoff") is open and accepted, but the user's conversation never held
// it. When the dealer's session.ended is lost it would stay open for good,
// and it keeps its queue from being dropped by a reload: docs/admin-api.md
// "Reload" tells the bot master to "list them with `GET
// /admin/handoffs?queue=` and end them". POST /admin/handoffs/{id}/end used
// to answer 409 "end changes nothing: the handoff is human" (ApplyAction
// only stepped the conversation, which never held it); it closes the
// handoff as the dealer's own session.ended does, with its ended event in
// the outbox, and the conversation keeps its state.
func TestAdminEndsExternalHandoff(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	app := externalLifecycle(t, db)
	f := newFixtureOn(t, db, admin.Options{Lifecycle: app, Users: app})
	at := time.Now().Add(-time.Hour).UTC()
	storeBotUser(t, db, "ext-user-7c1", at)
	h := store.Handoff{ID: store.NewID(at), Code: "EX12", UserKey: "ext-user-7c1", BotID: "bot1", PlusfriendKey: "pf-ext-user-7c1",
		Queue: "vip", Target: "dealer:happytalk", Reason: handoff.ExternalReason, CreatedAt: at, AcceptedAt: at}
	if err := db.OpenExternalHandoff(ctx, h); err != nil {
		t.Fatal(err)
	}

	code, body := f.call(t, http.MethodPost, "/admin/handoffs/"+h.ID+"/end", bootToken, nil)
	got, ok, err := db.Handoff(ctx, h.ID)
	if err != nil || !ok {
		t.Fatalf("read handoff: %v %v", ok, err)
	}
	if code != http.StatusOK || got.EndedAt.IsZero() || got.EndReason != handoff.AdminReason {
		t.Fatalf("POST /end of an open external handoff: got %d %v, handoff ended_at %v (%q); want 200 and the handoff ended by admin",
			code, body, got.EndedAt, got.EndReason)
	}
	msgs, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ended int
	for _, m := range msgs {
		if m.Subject == handoff.SubjectEvent(h.ID, handoff.EventEnded) && string(m.Payload) == h.ID {
			ended++
		}
	}
	if ended != 1 {
		t.Errorf("outbox: %d ended events of %s in %+v, want 1", ended, h.ID, msgs)
	}
	if _, conv, _, err := db.Load(ctx, "ext-user-7c1"); err != nil || conv.State != fsm.StateBot {
		t.Errorf("the user's conversation: %s (err %v), want it left with the bot", conv.State, err)
	}
	// A second end changes nothing.
	if code, body := f.call(t, http.MethodPost, "/admin/handoffs/"+h.ID+"/end", bootToken, nil); code != http.StatusConflict {
		t.Errorf("second POST /end: got %d %v, want 409", code, body)
	}
}

// eraseFirst is the lifecycle with the user erased just before the event
// applies: the erasure that won the user's lock while the action waited.
type eraseFirst struct {
	*skill.Server
	db *store.DB
}

func (a eraseFirst) ApplyFor(ctx context.Context, userKey, handoffID, event, reason string) (fsm.Outcome, error) {
	if _, err := a.db.EraseUser(ctx, userKey); err != nil {
		return fsm.Outcome{}, err
	}
	return a.Server.ApplyFor(ctx, userKey, handoffID, event, reason)
}

// TestAdminActionOnUserErasedMeanwhile: an accept or end that waited on the
// user's lock while the user was erased answers 404 "no such handoff", as
// it would a moment later, not 500: the handoff went with the user.
func TestAdminActionOnUserErasedMeanwhile(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	app := eraseFirst{externalLifecycle(t, db), db}
	f := newFixtureOn(t, db, admin.Options{Lifecycle: app, Users: app.Server})
	at := time.Now().Add(-time.Hour).UTC()
	id := store.NewID(at)
	w := &store.TurnWrite{
		User:        store.User{Key: "gone-user-3f2", BotID: "bot1", PlusfriendKey: "pf-gone-user-3f2", IsFriend: true, FirstSeen: at, LastSeen: at, WelcomedAt: at},
		Conv:        fsm.Conversation{UserKey: "gone-user-3f2", State: fsm.StateWaiting, StateSince: at, WelcomedAt: at, LastTurnAt: at, HandoffID: id, Queue: "general"},
		OpenHandoff: &store.Handoff{ID: id, Code: "GN12", UserKey: "gone-user-3f2", BotID: "bot1", Queue: "general", Target: "notify", Reason: "keyword", CreatedAt: at},
	}
	if err := db.Commit(ctx, w); err != nil {
		t.Fatal(err)
	}
	if code, body := f.call(t, http.MethodPost, "/admin/handoffs/"+id+"/accept", bootToken, nil); code != http.StatusNotFound {
		t.Errorf("POST /accept of a handoff whose user was erased meanwhile: got %d %v, want 404", code, body)
	}
}
