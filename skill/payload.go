package skill

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/store"
)

// ErrBadPayload is wrapped by every error Decode returns: the body is not a
// SkillPayload Baton can answer (not JSON, not an object, no user id, ...).
// The server answers such a request with the fallback bubble.
var ErrBadPayload = errors.New("skill: bad payload")

// MaxUserIDBytes is the longest userRequest.user.id Decode accepts. Kakao
// documents 70 characters; Decode is lenient up to this many bytes.
const MaxUserIDBytes = 256

// Payload is a SkillPayload as Open Builder POSTs it (spec §2). Decode fills
// it leniently: fields Baton does not rely on keep their zero value when
// they arrive with an unexpected type. Use the accessor methods rather than
// reading Properties or ClientExtra directly.
type Payload struct {
	Intent      Intent            `json:"intent"`
	UserRequest UserRequest       `json:"userRequest"`
	Bot         IDName            `json:"bot"`
	Action      Action            `json:"action"`
	Contexts    []json.RawMessage `json:"contexts"`
	Flow        *Flow             `json:"flow,omitempty"`
}

// IDName is an {id, name} pair (block, bot, referrer block).
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Intent is the matched block plus its optional extra (spec §2.2).
type Intent struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Extra *IntentExtra `json:"extra,omitempty"`
}

// IntentExtra carries the match reason and 지식+ answers. The spec spells
// the knowledge object both "knowledge" and "knowledges" (CONFLICT), so
// both are decoded; Payload.Knowledge merges them.
type IntentExtra struct {
	Reason     json.RawMessage `json:"reason,omitempty"`
	Knowledge  *KnowledgeExtra `json:"knowledge,omitempty"`
	Knowledges *KnowledgeExtra `json:"knowledges,omitempty"`
}

// KnowledgeExtra is intent.extra.knowledge(s).
type KnowledgeExtra struct {
	ResponseType      string             `json:"responseType"`
	MatchedKnowledges []MatchedKnowledge `json:"matchedKnowledges"`
}

// MatchedKnowledge is one 지식+ entry that matched the utterance.
type MatchedKnowledge struct {
	Answer     string   `json:"answer"`
	Question   string   `json:"question"`
	Categories []string `json:"categories"`
	LandingURL string   `json:"landingUrl"`
	ImageURL   string   `json:"imageUrl"`
}

// UserRequest is the user's turn (spec §2.3).
type UserRequest struct {
	Timezone  string  `json:"timezone"`
	Block     IDName  `json:"block"`
	Utterance string  `json:"utterance"`
	Lang      *string `json:"lang"`
	// Params holds surface, ignoreMe (the string "true") and Event API
	// params; values are usually JSON strings. Read them with Payload.Param.
	Params      map[string]json.RawMessage `json:"params"`
	User        User                       `json:"user"`
	CallbackURL string                     `json:"callbackUrl,omitempty"`
	// Chat is present only for group (team-chat) bots. Decode leaves it
	// nil when chat is absent, null or not a JSON object.
	Chat            *Chat           `json:"chat,omitempty"`
	IsInSlotFilling bool            `json:"isInSlotFilling,omitempty"`
	Value           json.RawMessage `json:"value,omitempty"`
}

// User identifies the sender (spec §2.4).
type User struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// Properties holds plusfriendUserKey, appUserId, isFriend, botUserKey
	// and undocumented snake_case duplicates, parsed only when read.
	Properties Properties `json:"properties"`
}

// Chat is a group bot's chat room.
type Chat struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Properties Properties `json:"properties"`

	object bool // decoded from a JSON object (UnmarshalJSON)
}

// UnmarshalJSON decodes a chat object, leniently: members of the wrong type
// keep their zero value. Anything but an object (a string, a number, an
// array, a boolean) leaves c empty and not marked as an object, so Decode
// reads it as absent (a 1:1 chat) rather than as a group.
func (c *Chat) UnmarshalJSON(b []byte) error {
	b = bytes.TrimLeft(b, " \t\r\n")
	*c = Chat{}
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	type plain Chat // without this method
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			return err
		}
	}
	*c = Chat(v)
	c.object = true
	return nil
}

// Action is the skill call with its extracted parameters (spec §2.6).
type Action struct {
	ID           string                     `json:"id"`
	Name         string                     `json:"name"`
	Params       map[string]json.RawMessage `json:"params"`
	DetailParams map[string]DetailParam     `json:"detailParams"`
	// ClientExtra is the extra of the tapped button or quick reply. It is
	// nil when absent, null, or not an object (v1 sent the string "null").
	ClientExtra map[string]any `json:"clientExtra"`
}

// DetailParam is one entry of action.detailParams.
type DetailParam struct {
	Origin    string          `json:"origin"`
	Value     json.RawMessage `json:"value"`
	GroupName string          `json:"groupName"`
}

// Flow is the new flow object (spec §2.7).
type Flow struct {
	Trigger   Trigger `json:"trigger"`
	LastBlock IDName  `json:"lastBlock"`
}

// Trigger says how the block was reached (TEXT_INPUT, QUICKREPLY_BUTTON_MESSAGE, ...).
type Trigger struct {
	Type          string `json:"type"`
	ReferrerBlock IDName `json:"referrerBlock"`
}

// Decode parses a SkillPayload. It never uses DisallowUnknownFields and
// tolerates wrong types in fields Baton does not rely on (they keep their
// zero value). It returns an error wrapping ErrBadPayload when the body is
// not a JSON object (including null and truncated or too deeply nested
// input), or when userRequest.user.id is missing, not a string, empty,
// longer than MaxUserIDBytes or begins with store.GroupKeyPrefix (Baton's
// group-room keys, ConversationKey: Kakao's hex botUserKeys never do, and a
// 1:1 payload must not address a user's group-room conversation).
func Decode(body []byte) (*Payload, error) {
	// Tolerate a UTF-8 byte order mark, which encoding/json rejects.
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrBadPayload)
	}
	// Kakao sends UTF-8. encoding/json would quietly turn invalid bytes into
	// U+FFFD, storing a mangled user key or utterance; refuse them instead.
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not valid UTF-8", ErrBadPayload)
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		// A type mismatch only skips the offending field; encoding/json
		// finishes the rest. Anything else (syntax, depth) is fatal.
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			return nil, fmt.Errorf("%w: %w", ErrBadPayload, err)
		}
	}
	if c := p.UserRequest.Chat; c != nil && !c.object {
		// Not an object: no group marker (spec §2.3, decode leniently).
		p.UserRequest.Chat = nil
	}
	id := p.UserRequest.User.ID
	switch {
	case id == "":
		return nil, fmt.Errorf("%w: userRequest.user.id missing, empty or not a string", ErrBadPayload)
	case len(id) > MaxUserIDBytes:
		return nil, fmt.Errorf("%w: userRequest.user.id is %d bytes, want at most %d", ErrBadPayload, len(id), MaxUserIDBytes)
	case strings.HasPrefix(id, store.GroupKeyPrefix):
		return nil, fmt.Errorf("%w: userRequest.user.id begins with %q, reserved for group-room keys", ErrBadPayload, store.GroupKeyPrefix)
	}
	return &p, nil
}

// prop returns the first string-valued user property among keys.
func (p *Payload) prop(keys ...string) string {
	for _, k := range keys {
		if s := p.UserRequest.User.Properties.String(k); s != "" {
			return s
		}
	}
	return ""
}

// UserKey is the botUserKey: user.id, falling back to the botUserKey /
// bot_user_key properties. Decode guarantees it is non-empty.
func (p *Payload) UserKey() string {
	if p.UserRequest.User.ID != "" {
		return p.UserRequest.User.ID
	}
	return p.prop("botUserKey", "bot_user_key")
}

// PlusfriendUserKey is the channel user key (plusfriendUserKey or
// plusfriend_user_key), or "" (group bots no longer receive it).
func (p *Payload) PlusfriendUserKey() string {
	return p.prop("plusfriendUserKey", "plusfriend_user_key")
}

// AppUserID is the Kakao Login user id (appUserId or app_user_id), or "".
func (p *Payload) AppUserID() string { return p.prop("appUserId", "app_user_id") }

// IsFriend reports whether the user added the channel: true only when
// isFriend is the boolean true or the string "true".
func (p *Payload) IsFriend() bool {
	return p.UserRequest.User.Properties.Bool("isFriend")
}

// BotID is bot.id as sent, including a trailing "!" for the development channel.
func (p *Payload) BotID() string { return p.Bot.ID }

// IsDevChannel reports whether the request came from the development channel
// (bot.id ends with "!").
func (p *Payload) IsDevChannel() bool { return strings.HasSuffix(p.Bot.ID, "!") }

// IsBotTest reports whether the request came from the admin 봇테스트
// (params.surface == "BuilderBotTest").
func (p *Payload) IsBotTest() bool { return p.Param("surface") == "BuilderBotTest" }

// IsTest reports test traffic: bot test or development channel.
func (p *Payload) IsTest() bool { return p.IsBotTest() || p.IsDevChannel() }

// IsGroup reports a group (team-chat) bot request (userRequest.chat is an
// object; Decode drops any other value).
func (p *Payload) IsGroup() bool { return p.UserRequest.Chat != nil }

// ChatID is the group chat room's id (userRequest.chat.id, else its
// botGroupKey property), or "" in a 1:1 chat.
func (p *Payload) ChatID() string {
	c := p.UserRequest.Chat
	if c == nil {
		return ""
	}
	if c.ID != "" {
		return c.ID
	}
	return c.Properties.String("botGroupKey")
}

// ConversationKey is the key the turn's user row, conversation and turns
// are stored under: the botUserKey in a 1:1 chat (UserKey, as always), and
// store.GroupKey(room, botUserKey) in a group chat. A group bot's botUserKey
// is the same in every room of the bot, and in the bot's 1:1 chat when it
// serves both, so keyed by it alone a number typed in one room would follow
// the menu another room was shown, and a team-chat message would act on the
// user's 1:1 handoff and overwrite their 1:1 user row (docs/design.md §3
// step 2). A room without an id (never seen) still gets a group key: all
// such rooms of a user share it, apart from the 1:1 chat.
func (p *Payload) ConversationKey() string {
	if !p.IsGroup() {
		return p.UserKey()
	}
	return store.GroupKey(p.ChatID(), p.UserKey())
}

// CallbackURL is userRequest.callbackUrl, or "" when callbacks are not enabled.
func (p *Payload) CallbackURL() string { return p.UserRequest.CallbackURL }

// Utterance is the user's text without trailing whitespace (bot test adds "\n").
func (p *Payload) Utterance() string {
	return strings.TrimRightFunc(p.UserRequest.Utterance, unicode.IsSpace)
}

// TriggerType is flow.trigger.type, or "" when flow is absent.
func (p *Payload) TriggerType() string {
	if p.Flow == nil {
		return ""
	}
	return p.Flow.Trigger.Type
}

// Lang is userRequest.lang ("ko", older "kr"), or "" when absent, null or
// not a string.
func (p *Payload) Lang() string {
	if p.UserRequest.Lang == nil {
		return ""
	}
	return *p.UserRequest.Lang
}

// BlockID is userRequest.block.id.
func (p *Payload) BlockID() string { return p.UserRequest.Block.ID }

// BlockName is userRequest.block.name.
func (p *Payload) BlockName() string { return p.UserRequest.Block.Name }

// Param returns userRequest.params[name]: the string for a JSON string, the
// raw JSON text for any other non-null value, "" when absent or null.
func (p *Payload) Param(name string) string { return rawParam(p.UserRequest.Params[name]) }

// ActionParam returns action.params[name] like Param does.
func (p *Payload) ActionParam(name string) string { return rawParam(p.Action.Params[name]) }

func rawParam(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if s, ok := plainString(raw); ok {
			return s
		}
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s
		}
	}
	return string(raw)
}

// plainString returns the JSON string raw without its quotes when it is
// printable ASCII without escapes — what json.Unmarshal would return, with
// no decoder.
func plainString(raw json.RawMessage) (string, bool) {
	n := len(raw)
	if n < 2 || raw[n-1] != '"' {
		return "", false
	}
	for _, c := range raw[1 : n-1] {
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(raw[1 : n-1]), true
}

// Tap returns Baton's extra from action.clientExtra
// ({"baton":{"v":..,"n":..,"o":..,"s":..,"h":..}}), or nil when it is absent
// or malformed (v and n must be non-empty strings; o, s and h strings when
// present).
func (p *Payload) Tap() *fsm.Tap {
	m, ok := p.Action.ClientExtra["baton"].(map[string]any)
	if !ok {
		return nil
	}
	var t fsm.Tap
	var state string
	for _, f := range [...]struct {
		key string
		dst *string
	}{{"v", &t.V}, {"n", &t.N}, {"o", &t.O}, {"s", &state}, {"h", &t.H}} {
		v, present := m[f.key]
		if !present {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return nil
		}
		*f.dst = s
	}
	t.S = fsm.State(state)
	if t.V == "" || t.N == "" {
		return nil
	}
	return &t
}

// Knowledge returns the 지식+ matches from intent.extra.knowledge and
// intent.extra.knowledges (both spellings), without duplicates, entries
// with neither question nor answer dropped.
func (p *Payload) Knowledge() []fsm.Knowledge {
	x := p.Intent.Extra
	if x == nil {
		return nil
	}
	var out []fsm.Knowledge
	seen := map[[2]string]bool{}
	for _, k := range []*KnowledgeExtra{x.Knowledge, x.Knowledges} {
		if k == nil {
			continue
		}
		for _, m := range k.MatchedKnowledges {
			key := [2]string{m.Question, m.Answer}
			if (m.Question == "" && m.Answer == "") || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, fsm.Knowledge{Question: m.Question, Answer: m.Answer, LandingURL: m.LandingURL, ImageURL: m.ImageURL})
		}
	}
	return out
}
