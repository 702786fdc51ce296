package skill_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/kakaospec"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// eventPayload is what Open Builder POSTs when the Event API runs an event
// block: the block, the user, and the params of the call.
func eventPayload(user, block string, params map[string]any) []byte {
	ur := map[string]any{"block": map[string]any{"id": "evt-" + block, "name": block}, "utterance": "",
		"user": map[string]any{"id": user, "type": "botUserKey", "properties": map[string]any{"isFriend": true}}}
	if params != nil {
		ur["params"] = params
	}
	b, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "evt-" + block, "name": block},
		"userRequest": ur,
		"bot":         map[string]any{"id": "bot1", "name": "샘플몰"},
		"action":      map[string]any{"clientExtra": map[string]any{}},
	})
	return b
}

// sentNotification records a notification for user and the Event API call
// that carried it, as the deliverer does; it returns the notification and
// send ids.
func sentNotification(t *testing.T, db *store.DB, user, kind, ref string) (string, string) {
	t.Helper()
	ctx := context.Background()
	n := &store.Notification{UserKey: user, Kind: kind, Ref: ref}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s := &store.EventSend{ID: store.NewID(now), BotID: "bot1", Event: "e", Day: "2026-11-22", ReservedWon: 15, CreatedAt: now}
	if err := db.BeginEventSend(ctx, s, []store.EventItem{{NotificationID: n.ID, UserKey: user}}, 1000); err != nil {
		t.Fatal(err)
	}
	return n.ID, s.ID
}

func TestEventBlockTurnAnswersTheNotificationOrNothing(t *testing.T) {
	cfg, e, db := realParts(t)
	ctx := context.Background()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		Notices: handoff.Notices{DB: db},
	})
	if skill.EventParam != handoff.EventParam {
		t.Fatalf("skill reads params[%q] but the deliverer sends params[%q]", skill.EventParam, handoff.EventParam)
	}
	reopenBlock, ticketBlock, csatBlock := cfg.EventAPI.Events["reopen"], cfg.EventAPI.Events["ticket_reply"], cfg.EventAPI.Events["csat"]

	// The user talked to the bot and stands in a sub-menu.
	if code, _ := post(t, s.Handler(), payload("u-evt", "주문/배송")); code != 200 {
		t.Fatalf("got %d, want 200", code)
	}
	_, before, _, err := db.Load(ctx, "u-evt")
	if err != nil {
		t.Fatal(err)
	}

	// A reopen message: its text.
	_, send := sentNotification(t, db, "u-evt", store.NotifyReopen, "")
	code, out := post(t, s.Handler(), eventPayload("u-evt", reopenBlock, map[string]any{skill.EventParam: send}))
	if code != 200 || !bytes.Contains(out, []byte(strings.Split(cfg.Texts.EventReopen, ".")[0])) {
		t.Fatalf("reopen: got %d %s, want the reopen text", code, out)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatal(err)
	}
	_, after, _, err := db.Load(ctx, "u-evt")
	if err != nil {
		t.Fatal(err)
	}
	if after.State != before.State || strings.Join(after.MenuPath, "/") != strings.Join(before.MenuPath, "/") || !after.LastTurnAt.Equal(before.LastTurnAt) {
		t.Fatalf("the event turn moved the conversation: before %+v, after %+v", before, after)
	}
	turns, err := db.RecentTurns(ctx, "u-evt", time.Now().Add(time.Minute), 1)
	if err != nil || len(turns) != 1 || turns[0].Kind != "event" || turns[0].Node != store.NotifyReopen {
		t.Fatalf("got turns %+v (%v), want an event turn for reopen", turns, err)
	}

	// A ticket reply carries the stored answer.
	ticket := store.Ticket{ID: store.NewID(time.Now()), UserKey: "u-evt", Reason: "user_message"}
	if _, err := db.OpenTicket(ctx, ticket); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE tickets SET status = 'answered', answer = ? WHERE id = ?`, "교환 상품은 내일 출고됩니다.", ticket.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, send = sentNotification(t, db, "u-evt", store.NotifyTicketReply, ticket.ID)
	_, out = post(t, s.Handler(), eventPayload("u-evt", ticketBlock, map[string]any{skill.EventParam: send}))
	if !bytes.Contains(out, []byte("교환 상품은 내일 출고됩니다.")) {
		t.Fatalf("ticket reply: got %s, want the answer", out)
	}

	// A ticket without an answer went stale: nothing is said, and the
	// notification is marked stale in the same commit.
	empty := store.Ticket{ID: store.NewID(time.Now()), UserKey: "u-evt", Reason: "user_message"}
	if _, err := db.OpenTicket(ctx, empty); err != nil {
		t.Fatal(err)
	}
	staleID, send := sentNotification(t, db, "u-evt", store.NotifyTicketReply, empty.ID)
	_, out = post(t, s.Handler(), eventPayload("u-evt", ticketBlock, map[string]any{skill.EventParam: send}))
	if !bytes.Equal(out, skill.Suppress()) {
		t.Fatalf("stale: got %s, want Suppress", out)
	}
	if n, _, _ := db.Notification(ctx, staleID); n.Status != store.NotificationStale {
		t.Fatalf("got status %s, want stale", n.Status)
	}

	// Someone else's id, an unknown id, no id at all: nothing.
	_, othersSend := sentNotification(t, db, "u-evt", store.NotifyReopen, "")
	if err := db.Commit(ctx, &store.TurnWrite{User: store.User{Key: "u-other", FirstSeen: time.Now(), LastSeen: time.Now()},
		Conv: fsm.Conversation{UserKey: "u-other", State: fsm.StateBot}}); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{
		"another user's id": eventPayload("u-other", reopenBlock, map[string]any{skill.EventParam: othersSend}),
		"unknown id":        eventPayload("u-evt", reopenBlock, map[string]any{skill.EventParam: "01JUNKNOWN"}),
		"no id":             eventPayload("u-evt", csatBlock, nil),
	} {
		if _, out := post(t, s.Handler(), body); !bytes.Equal(out, skill.Suppress()) {
			t.Fatalf("%s: got %s, want Suppress", name, out)
		}
	}
	// The same params on an ordinary block are an ordinary turn.
	if _, out := post(t, s.Handler(), eventPayload("u-evt", "폴백 블록", map[string]any{skill.EventParam: othersSend})); bytes.Equal(out, skill.Suppress()) {
		t.Fatal("a fallback-block turn was suppressed")
	}
}

func TestCSATByEventAPIAfterASessionEndedByEvent(t *testing.T) {
	cfg, e, db := realParts(t)
	ctx := context.Background()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		Notices: handoff.Notices{DB: db},
	})
	// Escalate, get accepted, and have the session end by an event.
	post(t, s.Handler(), payload("u-csat", "상담원 연결해 주세요"))
	_, conv, _, _ := db.Load(ctx, "u-csat")
	if conv.State == fsm.StateConfirm {
		post(t, s.Handler(), payload("u-csat", cfg.Texts.ConfirmYes))
		_, conv, _, _ = db.Load(ctx, "u-csat")
	}
	if conv.State != fsm.StateWaiting {
		t.Fatalf("got state %s, want waiting", conv.State)
	}
	handoffID := conv.HandoffID
	if _, err := s.Apply(ctx, "u-csat", fsm.EventAccepted, "accept_link"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "u-csat", fsm.EventEnded, "end_link"); err != nil {
		t.Fatal(err)
	}
	pending, err := db.Notifications(ctx, store.NotificationPending, time.Time{}, 10)
	if err != nil || len(pending) != 1 || pending[0].Kind != store.NotifyCSAT || pending[0].Ref != handoffID {
		t.Fatalf("got pending %+v (%v), want one csat notification for the handoff", pending, err)
	}
	if !pending[0].NotBefore.After(pending[0].CreatedAt) {
		t.Fatal("the CSAT notification is not delayed after the end")
	}

	// Kakao runs the CSAT block; the user taps 4점.
	send := store.NewID(time.Now())
	if err := db.BeginEventSend(ctx, &store.EventSend{ID: send, BotID: "bot1", Event: "e", Day: "2026-11-22", ReservedWon: 15, CreatedAt: time.Now()},
		[]store.EventItem{{NotificationID: pending[0].ID, UserKey: "u-csat"}}, 1000); err != nil {
		t.Fatal(err)
	}
	_, out := post(t, s.Handler(), eventPayload("u-csat", cfg.EventAPI.Events["csat"], map[string]any{skill.EventParam: send}))
	var resp struct {
		Template struct {
			QuickReplies []struct {
				Label, MessageText string
				Extra              json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	var four json.RawMessage
	for _, q := range resp.Template.QuickReplies {
		if q.Label == "4점" {
			four = q.Extra
		}
	}
	if four == nil {
		t.Fatalf("got %s, want a 4점 quick reply", out)
	}
	// Before tapping, the user asks for a human again; that handoff ends
	// before anyone takes it. The tap still answers the question about the
	// first session, not the handoff that ended last.
	post(t, s.Handler(), payload("u-csat", "상담원 연결해 주세요"))
	if _, conv, _, _ = db.Load(ctx, "u-csat"); conv.State == fsm.StateConfirm {
		post(t, s.Handler(), payload("u-csat", cfg.Texts.ConfirmYes))
	}
	_, conv, _, _ = db.Load(ctx, "u-csat")
	later := conv.HandoffID
	if conv.State != fsm.StateWaiting || later == "" || later == handoffID {
		t.Fatalf("got state %s handoff %q, want waiting on a new handoff", conv.State, later)
	}
	if _, err := s.Apply(ctx, "u-csat", fsm.EventEnded, "end_link"); err != nil {
		t.Fatal(err)
	}
	tap, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "f", "name": "폴백 블록"},
		"userRequest": map[string]any{"block": map[string]any{"id": "f", "name": "폴백 블록"}, "utterance": "4점", "user": map[string]any{"id": "u-csat", "type": "botUserKey", "properties": map[string]any{"isFriend": true}}},
		"bot":         map[string]any{"id": "bot1", "name": "샘플몰"},
		"action":      map[string]any{"clientExtra": four},
	})
	if _, out := post(t, s.Handler(), tap); !bytes.Contains(out, []byte(cfg.Texts.CSATThanks)) {
		t.Fatalf("got %s, want the thanks", out)
	}
	scores, err := db.CSATScores(ctx)
	if err != nil || scores[4] != 1 || len(scores) != 1 {
		t.Fatalf("got scores %v (%v), want one 4", scores, err)
	}
	if score, _, ok, _ := db.HandoffCSAT(ctx, handoffID); !ok || score != 4 {
		t.Fatalf("the answer is not tied to the session asked about: got %d (rated %v), want 4", score, ok)
	}
	if done, _ := db.CSATAnswered(ctx, later); done {
		t.Fatal("the answer was charged to the later handoff, which nobody asked about")
	}
	// A second CSAT message for the same session would now be stale.
	n := &store.Notification{UserKey: "u-csat", Kind: store.NotifyCSAT, Ref: handoffID}
	if err := db.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	send2 := store.NewID(time.Now())
	if err := db.BeginEventSend(ctx, &store.EventSend{ID: send2, BotID: "bot1", Event: "e", Day: "2026-11-22", ReservedWon: 15, CreatedAt: time.Now()},
		[]store.EventItem{{NotificationID: n.ID, UserKey: "u-csat"}}, 1000); err != nil {
		t.Fatal(err)
	}
	if _, out := post(t, s.Handler(), eventPayload("u-csat", cfg.EventAPI.Events["csat"], map[string]any{skill.EventParam: send2})); !bytes.Equal(out, skill.Suppress()) {
		t.Fatalf("already rated: got %s, want Suppress", out)
	}
}

func TestCSATRidesOnTheReturnTurnWithoutAnEventAPIMessage(t *testing.T) {
	cfg, e, db := realParts(t)
	ctx := context.Background()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		Notices: handoff.Notices{DB: db},
	})
	post(t, s.Handler(), payload("u-back", "상담원 연결해 주세요"))
	if _, conv, _, _ := db.Load(ctx, "u-back"); conv.State == fsm.StateConfirm {
		post(t, s.Handler(), payload("u-back", cfg.Texts.ConfirmYes))
	}
	if _, err := s.Apply(ctx, "u-back", fsm.EventAccepted, "accept_link"); err != nil {
		t.Fatal(err)
	}
	// The agent let go; the user writes to the bot again.
	_, out := post(t, s.Handler(), payload("u-back", "배송 조회"))
	if !bytes.Contains(out, []byte(cfg.Texts.CSATQuestion)) || !bytes.Contains(out, []byte(`"label":"5점"`)) {
		t.Fatalf("got %s, want the CSAT question with its quick replies", out)
	}
	if err := kakaospec.Validate(out); err != nil {
		t.Fatal(err)
	}
	pending, err := db.Notifications(ctx, store.NotificationPending, time.Time{}, 10)
	if err != nil || len(pending) != 0 {
		t.Fatalf("got pending %+v (%v), want none: the reply asked for free", pending, err)
	}
}

// TestWaitTimeoutApologyQuotesTheQueueWaitedFor: the wait-timeout apology
// comes after the handoff closed and the conversation forgot its queue, yet
// its {hours} are those of the queue the user waited for, which the
// handoff row keeps — vip's, not escalation.queue's — and its 메시지
// 남기기, typed on the next turn (the offer's queue kept with the stored
// conversation) or tapped, leaves the ticket on vip too, with origin
// wait_timeout.
func TestWaitTimeoutApologyQuotesTheQueueWaitedFor(t *testing.T) {
	cfg := testutil.ExampleSangdamtalk(t, "../configs/example.yaml")
	cfg.Handoff.Hours["vipdesk"] = configs.Hours{Timezone: "Asia/Seoul", Weekly: map[string][]string{"mon-sat": {"10:00-20:00"}}}
	vip := cfg.Handoff.Queues["vip"]
	vip.Hours = "vipdesk"
	cfg.Handoff.Queues["vip"] = vip
	cfg.Texts.EventWaitTimeout = "늦어져 죄송해요. 상담 시간은 {hours}예요."
	e, db := testutil.EngineFor(t, cfg), testutil.Store(t)
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		Notices: handoff.Notices{DB: db},
	})
	ctx, now := context.Background(), time.Now()
	apology := func(user string) []byte {
		t.Helper()
		// The handoff to vip timed out: closed, the user back with the bot.
		if err := db.Commit(ctx, &store.TurnWrite{User: store.User{Key: user, FirstSeen: now, LastSeen: now},
			Conv: fsm.Conversation{UserKey: user, State: fsm.StateBot},
			Turn: store.Turn{ID: store.NewID(now), UserKey: user, At: now},
			OpenHandoff: &store.Handoff{ID: "h-" + user, Code: "A7K2", UserKey: user, Queue: "vip", Target: vip.Target,
				Reason: "menu", CreatedAt: now}}); err != nil {
			t.Fatal(err)
		}
		_, send := sentNotification(t, db, user, store.NotifyWaitTimeout, "h-"+user)
		_, out := post(t, s.Handler(), eventPayload(user, cfg.EventAPI.Events["wait_timeout"], map[string]any{skill.EventParam: send}))
		if want := "늦어져 죄송해요. 상담 시간은 월~토요일 10:00~20:00, 일요일 휴무예요."; !strings.Contains(string(out), want) {
			t.Fatalf("got %s, want %q (vip's hours)", out, want)
		}
		if err := kakaospec.Validate(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	apology("u-wt")
	post(t, s.Handler(), payload("u-wt", "메세지 남길게요"))
	post(t, s.Handler(), payload("u-wt", "상담 요청했는데 아무도 안 받았어요"))
	post(t, s.Handler(), payload("u-wt", cfg.Texts.ContactSkip)) // tickets.ask_contact

	out := apology("u-tap")
	var resp struct {
		Template struct {
			QuickReplies []struct {
				Label string
				Extra json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	var leave json.RawMessage
	for _, q := range resp.Template.QuickReplies {
		if q.Label == cfg.Texts.LeaveMessage {
			leave = q.Extra
		}
	}
	tap, _ := json.Marshal(map[string]any{
		"intent":      map[string]any{"id": "f", "name": "폴백 블록"},
		"userRequest": map[string]any{"block": map[string]any{"id": "f", "name": "폴백 블록"}, "utterance": cfg.Texts.LeaveMessage, "user": map[string]any{"id": "u-tap", "type": "botUserKey", "properties": map[string]any{"isFriend": true}}},
		"bot":         map[string]any{"id": "bot1", "name": "샘플몰"},
		"action":      map[string]any{"clientExtra": leave},
	})
	post(t, s.Handler(), tap)
	post(t, s.Handler(), payload("u-tap", "상담 요청했는데 아무도 안 받았어요"))
	post(t, s.Handler(), payload("u-tap", cfg.Texts.ContactSkip))

	tickets, err := db.Tickets(ctx, store.TicketStatusOpen)
	if err != nil {
		t.Fatal(err)
	}
	queues, origins := map[string]string{}, map[string]string{}
	for _, tk := range tickets {
		queues[tk.UserKey], origins[tk.UserKey] = tk.Queue, tk.Origin
	}
	if want := map[string]string{"u-wt": "vip", "u-tap": "vip"}; !cmp.Equal(queues, want) {
		t.Fatalf("got tickets on %v, want %v: the queue waited for", queues, want)
	}
	// The agent reads where the user left it (tickets.origin).
	if want := map[string]string{"u-wt": fsm.TicketOriginWaitTimeout, "u-tap": fsm.TicketOriginWaitTimeout}; !cmp.Equal(origins, want) {
		t.Errorf("got origins %v, want %v", origins, want)
	}
}
