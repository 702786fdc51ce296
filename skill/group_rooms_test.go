package skill_test

// Group (team-chat) turns are keyed by room and user (Payload.ConversationKey,
// store.GroupKey), not by the botUserKey alone: a group bot's botUserKey is
// the same in every room of the bot (spec §2.4), and in the bot's 1:1 chat
// when the same bot serves both.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
	"github.com/baton-chat/baton/store"
)

// groupPayload is payload(user, utterance) sent from the group (team) chat
// room.
func groupPayload(t *testing.T, user, utterance, room string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(payload(user, utterance), &p); err != nil {
		t.Fatal(err)
	}
	p["userRequest"].(map[string]any)["chat"] = map[string]any{"id": room, "type": "botGroupKey", "properties": map[string]any{"botGroupKey": room}}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// groupServer is a skill server over the example config and a real store,
// with rate limits too high to matter unless opts say otherwise.
func groupServer(t *testing.T, opts skill.Options) (*skill.Server, *store.DB) {
	t.Helper()
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	db := testutil.Store(t)
	opts.FallbackText, opts.FallbackButton, opts.RateLimitedText = cfg.Texts.Fallback, cfg.Texts.FallbackButton, cfg.Texts.RateLimited
	if opts.RateTurns == 0 {
		opts.RateTurns, opts.RatePer, opts.RateBurst = 1<<20, 1, 1<<20
	}
	return skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, db, handoff.Effects{}, nil, opts), db
}

var handoffCode = regexp.MustCompile(`상담번호 ([A-Z0-9]+)`)

// TestGroupTurnLeavesOneToOneHandoffAlone: a user who has a 1:1 handoff
// open writes in a team chat of the same bot. docs/design.md §3 step 2: a
// group chat never escalates, so its answer never shows the operator (상담
// 연결) button nor the user's handoff code (the whole room reads it), and a
// team-chat message is not the user coming back from the 1:1 chat with an
// agent: it must not end the accepted session. The group turn runs in the
// room's own conversation, so the 1:1 one keeps its waiting, then human,
// state and its handoff.
func TestGroupTurnLeavesOneToOneHandoffAlone(t *testing.T) {
	s, db := groupServer(t, skill.Options{})
	h := s.Handler()
	const user = "u-group-handoff"

	// 1:1: ask for a human and confirm; the handoff is open (waiting).
	post(t, h, payload(user, "상담원 연결해 주세요"))
	_, out := post(t, h, payload(user, "네, 연결해 주세요"))
	m := handoffCode.FindSubmatch(out)
	if m == nil {
		t.Fatalf("setup: the 1:1 confirm did not open a handoff: %s", out)
	}
	code := string(m[1])
	if _, conv, _, _ := db.Load(context.Background(), user); conv.State != fsm.StateWaiting {
		t.Fatalf("setup: state %q, want waiting", conv.State)
	}

	// The same user writes in a team chat.
	_, gout := post(t, h, groupPayload(t, user, "배송 조회", "room-1"))
	if bytes.Contains(gout, []byte(`"action":"operator"`)) {
		t.Errorf("group answer carries an operator button (group chats never escalate):\n%s", gout)
	}
	if bytes.Contains(gout, []byte(code)) {
		t.Errorf("group answer shows the user's handoff code %s to the whole room:\n%s", code, gout)
	}

	// The agent accepts the 1:1 handoff; then the user writes in the team chat.
	if _, err := s.Apply(context.Background(), user, fsm.EventAccepted, ""); err != nil {
		t.Fatalf("setup: accept: %v", err)
	}
	post(t, h, groupPayload(t, user, "오늘 점심 뭐 먹지", "room-1"))
	_, conv, _, err := db.Load(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if conv.State != fsm.StateHuman || conv.HandoffID == "" {
		t.Errorf("a group-chat message ended the user's 1:1 human session: state %q handoff %q, want human with its handoff", conv.State, conv.HandoffID)
	}
	// The room's turns went to the room's own conversation.
	_, gconv, found, err := db.Load(context.Background(), store.GroupKey("room-1", user))
	if err != nil || !found || gconv.State != fsm.StateBot {
		t.Errorf("the room's conversation: found %v state %q (%v), want a bot conversation", found, gconv.State, err)
	}
}

// TestGroupTurnKeepsOneToOneUserRow: every turn writes its user row from
// the payload (bot id, isFriend, ...), and a group payload carries no
// isFriend nor plusfriendUserKey (spec §2.4 / S4; the fixture
// testdata/payloads/group_chat.json has only botUserKey and appUserId). A
// team-chat turn writes the room's row, so the 1:1 user stays a friend
// (docs/design.md §6: Event API messages go only to friends) rather than
// losing the reopen, ticket-reply and CSAT notices after one group message.
func TestGroupTurnKeepsOneToOneUserRow(t *testing.T) {
	s, db := groupServer(t, skill.Options{})
	h := s.Handler()
	const user = "u-group-identity"
	post(t, h, payload(user, "배송 조회")) // 1:1, isFriend true, bot.id "bot1"
	before, _, _, err := db.Load(context.Background(), user)
	if err != nil || !before.IsFriend {
		t.Fatalf("setup: 1:1 user %+v (%v), want a friend", before, err)
	}

	raw, err := os.ReadFile("testdata/payloads/group_chat.json")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	u := p["userRequest"].(map[string]any)["user"].(map[string]any)
	u["id"] = user
	u["properties"].(map[string]any)["botUserKey"] = user
	p["bot"] = map[string]any{"id": "bot1", "name": "샘플몰"} // the same bot, in a team chat
	body, _ := json.Marshal(p)
	if code, _ := post(t, h, body); code != 200 {
		t.Fatalf("group turn: %d", code)
	}
	after, _, _, err := db.Load(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if !after.IsFriend {
		t.Errorf("a group-chat turn cleared the 1:1 user's friend flag (is_friend true→false): Event API notices stop")
	}
}

// TestGroupRowHasNoPlusfriendKey: should a group payload carry the channel's
// plusfriendUserKey (group bots lost it in S4 1.11.1; older ones sent it),
// the room's row does not record it: a dealer's event names the user by it
// (store.UserByPlusfriendKey), and must find the 1:1 user even when the
// user wrote in a team chat since.
func TestGroupRowHasNoPlusfriendKey(t *testing.T) {
	s, db := groupServer(t, skill.Options{})
	h := s.Handler()
	const user, pf = "u-group-pf", "pf-group-7d2"
	withPF := func(b []byte) []byte {
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		p["userRequest"].(map[string]any)["user"].(map[string]any)["properties"].(map[string]any)["plusfriendUserKey"] = pf
		out, _ := json.Marshal(p)
		return out
	}
	post(t, h, withPF(payload(user, "안녕하세요")))
	time.Sleep(2 * time.Millisecond) // the room's row is seen last
	post(t, h, withPF(groupPayload(t, user, "안녕하세요", "room-1")))
	u, ok, err := db.UserByPlusfriendKey(context.Background(), pf)
	if err != nil || !ok || u.Key != user {
		t.Errorf("user by plusfriend key: %q %v (%v), want the 1:1 user %q", u.Key, ok, err, user)
	}
}

// TestGroupRoomsHaveTheirOwnConversation: a user in two team chats of the
// bot has one botUserKey. docs/design.md §3 step 2: in a group "menus are
// numbered in the text ... typed numbers follow that list" — the list that
// room showed. In room B, where nothing was shown, "2" is answered as in a
// fresh conversation, not as option 2 of the menu room A showed.
func TestGroupRoomsHaveTheirOwnConversation(t *testing.T) {
	s, _ := groupServer(t, skill.Options{})
	h := s.Handler()
	// Reference: what "2" gets in a room where nothing was shown yet (a
	// fresh user, after the same first-contact turn as below).
	post(t, h, groupPayload(t, "u-group-ref", "안녕하세요", "room-ref"))
	_, want := post(t, h, groupPayload(t, "u-group-ref", "2", "room-ref"))

	const user = "u-group-two-rooms"
	post(t, h, groupPayload(t, user, "안녕하세요", "room-b")) // first contact in room B
	_, menuA := post(t, h, groupPayload(t, user, "배송 조회", "room-a"))
	_, got := post(t, h, groupPayload(t, user, "2", "room-b"))
	if !bytes.Equal(got, want) {
		t.Errorf("\"2\" typed in room B selected from the menu room A showed:\nroom A showed: %s\nroom B got:    %s\nwant (fresh):  %s", menuA, got, want)
	}
}

// TestGroupRateLimitIsPerUser: the rate limit counts a person's turns
// (their botUserKey) wherever they write, so a user writing in many rooms
// (or in rooms and the 1:1 chat) does not get an allowance per room.
func TestGroupRateLimitIsPerUser(t *testing.T) {
	s, _ := groupServer(t, skill.Options{RateTurns: 1, RatePer: time.Hour, RateBurst: 2})
	h := s.Handler()
	const user = "u-group-limit"
	post(t, h, payload("u-group-limit-probe", "1"))
	post(t, h, payload("u-group-limit-probe", "1"))
	_, limited := post(t, h, payload("u-group-limit-probe", "1")) // over the burst: the limited answer
	post(t, h, groupPayload(t, user, "안녕하세요", "room-a"))
	post(t, h, groupPayload(t, user, "안녕하세요", "room-b"))
	if _, got := post(t, h, groupPayload(t, user, "안녕하세요", "room-c")); !bytes.Equal(got, limited) {
		t.Errorf("a third turn within the burst of 2, in a third room, was not limited: %s", got)
	}
	if _, got := post(t, h, payload(user, "안녕하세요")); !bytes.Equal(got, limited) {
		t.Errorf("the 1:1 turn of a user who used the burst in rooms was not limited: %s", got)
	}
}

// TestConversationKey: the botUserKey in a 1:1 chat (existing data keeps
// working), store.GroupKey(room, botUserKey) in a group, with the room from
// chat.id or else its botGroupKey property; a user id in the group-key
// namespace is refused, so no 1:1 payload can address a group conversation.
func TestConversationKey(t *testing.T) {
	decode := func(b []byte) *skill.Payload {
		t.Helper()
		p, err := skill.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got := decode(payload("u1", "x")).ConversationKey(); got != "u1" {
		t.Errorf("1:1: %q, want the botUserKey", got)
	}
	if got, want := decode(groupPayload(t, "u1", "x", "room9")).ConversationKey(), store.GroupKey("room9", "u1"); got != want {
		t.Errorf("group: %q, want %q", got, want)
	}
	var p map[string]any
	_ = json.Unmarshal(payload("u1", "x"), &p)
	p["userRequest"].(map[string]any)["chat"] = map[string]any{"type": "botGroupKey", "properties": map[string]any{"botGroupKey": "room7"}}
	b, _ := json.Marshal(p)
	if got, want := decode(b).ConversationKey(), store.GroupKey("room7", "u1"); got != want {
		t.Errorf("group without chat.id: %q, want %q", got, want)
	}
	if _, err := skill.Decode(payload(store.GroupKey("room9", "u1"), "x")); !errors.Is(err, skill.ErrBadPayload) {
		t.Errorf("a 1:1 user id that is a group key: %v, want ErrBadPayload", err)
	}
}
