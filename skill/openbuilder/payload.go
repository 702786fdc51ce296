package openbuilder

import (
	"crypto/sha256"
	"encoding/hex"
)

// Block names of Open Builder's default scenario, as a new bot has them.
const (
	WelcomeBlockName  = "웰컴 블록"
	FallbackBlockName = "폴백 블록"
)

// Surfaces sent in userRequest.params.surface.
const (
	SurfaceKakaoTalk = "Kakaotalk.plusfriend" // a real KakaoTalk channel chat
	SurfaceBotTest   = "BuilderBotTest"       // the admin centre's 봇 테스트 panel
)

// Trigger types (flow.trigger.type = OutputType_ActionType, spec §2.7).
const (
	TriggerTextInput         = "TEXT_INPUT"
	TriggerCardButtonMessage = "CARD_BUTTON_MESSAGE"
	TriggerCardButtonBlock   = "CARD_BUTTON_BLOCK"
	TriggerListItemMessage   = "LIST_ITEM_MESSAGE"
	TriggerListItemBlock     = "LIST_ITEM_BLOCK"
	TriggerQuickReplyMessage = "QUICKREPLY_BUTTON_MESSAGE"
	TriggerQuickReplyBlock   = "QUICKREPLY_BUTTON_BLOCK"
)

// Block is an Open Builder block: {id, name}.
type Block struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// BlockNamed returns the block called name with a stable, realistic id (24
// hex digits, like the ObjectIds Open Builder uses) derived from the name.
func BlockNamed(name string) Block {
	return Block{ID: hexHash("block:" + name)[:24], Name: name}
}

// WelcomeBlock and FallbackBlock are the default scenario's blocks.
var (
	WelcomeBlock  = BlockNamed(WelcomeBlockName)
	FallbackBlock = BlockNamed(FallbackBlockName)
)

// User is the KakaoTalk user a conversation speaks as.
type User struct {
	Name string // only for display; never sent
	// BotUserKey is userRequest.user.id and properties.botUserKey.
	BotUserKey string
	// PlusfriendUserKey is properties.plusfriendUserKey.
	PlusfriendUserKey string
	// IsFriend sends properties.isFriend true; false leaves it out, as Kakao
	// does for users who have not added the channel.
	IsFriend bool
}

// NewUser returns the user called name: the same name always gives the
// same keys (botUserKey = hex SHA-256 of the name, 64 characters, within
// Kakao's 70; plusfriendUserKey a 12-character key from another hash), and
// IsFriend is true.
func NewUser(name string) User {
	return User{
		Name:              name,
		BotUserKey:        hexHash(name),
		PlusfriendUserKey: friendKey(name),
		IsFriend:          true,
	}
}

func hexHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// friendKey makes a plusfriendUserKey-like string ("T8x9DhjAiBrv").
func friendKey(name string) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sum := sha256.Sum256([]byte("plusfriend:" + name))
	out := make([]byte, 12)
	for i := range out {
		out[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(out)
}

// Turn is one thing the user does: enter the chat (welcome), type text, or
// tap a button, quick reply or list item.
type Turn struct {
	Block     Block
	Utterance string
	// ClientExtra is the tapped element's extra; nil is sent as {}.
	ClientExtra map[string]any
	// Trigger is flow.trigger.type.
	Trigger string
	// Referrer is the block whose bubble held the tapped element (taps only).
	Referrer *Block
}

// WelcomeTurn is entering the chat room: the welcome block with an empty
// utterance (what implementations observe; spec §7).
func WelcomeTurn() Turn {
	return Turn{Block: WelcomeBlock, Trigger: TriggerTextInput}
}

// TextTurn is typing text: no block matches it, so the fallback block runs.
func TextTurn(text string) Turn {
	return Turn{Block: FallbackBlock, Utterance: text, Trigger: TriggerTextInput}
}

// BlockTurn is a turn that lands in the block called name (a custom block
// the bot master mapped, or an event block such as a dealer's return block)
// with the given utterance.
func BlockTurn(name, utterance string) Turn {
	return Turn{Block: BlockNamed(name), Utterance: utterance, Trigger: TriggerTextInput}
}

// Payload is a SkillPayload as Open Builder sends it (spec §2).
type Payload struct {
	Intent      Intent      `json:"intent"`
	UserRequest UserRequest `json:"userRequest"`
	Bot         Block       `json:"bot"`
	Action      Action      `json:"action"`
	Contexts    []any       `json:"contexts"`
	Flow        Flow        `json:"flow"`
}

// Intent is payload.intent: the block that matched, and the match reason
// Open Builder adds ({"reason":{"code":1,"message":"OK"}}).
type Intent struct {
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Extra map[string]any `json:"extra"`
}

// UserRequest is payload.userRequest.
type UserRequest struct {
	Timezone  string            `json:"timezone"`
	Block     Block             `json:"block"`
	Utterance string            `json:"utterance"`
	Lang      string            `json:"lang"`
	Params    map[string]string `json:"params"`
	User      PayloadUser       `json:"user"`
}

// PayloadUser is userRequest.user.
type PayloadUser struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
}

// Action is payload.action.
type Action struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Params       map[string]any `json:"params"`
	DetailParams map[string]any `json:"detailParams"`
	ClientExtra  map[string]any `json:"clientExtra"`
}

// Flow is payload.flow. Blocks that do not apply are sent as {"id":"",
// "name":""}, as the shipped fixtures (skill/testdata/payloads) have them.
type Flow struct {
	Trigger   FlowTrigger `json:"trigger"`
	LastBlock Block       `json:"lastBlock"`
}

// FlowTrigger is flow.trigger.
type FlowTrigger struct {
	Type          string `json:"type"`
	ReferrerBlock Block  `json:"referrerBlock"`
}
