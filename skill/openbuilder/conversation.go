package openbuilder

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoChoice is returned by Conversation.Tap when the last answer has no
// choice with that number.
var ErrNoChoice = errors.New("openbuilder: no such choice")

// Conversation is one KakaoTalk chat room as Open Builder sees it: a user,
// the block that ran last (flow.lastBlock) and the numbered choices of the
// last answer. It is not safe for concurrent use.
type Conversation struct {
	client  *Client
	user    User
	last    *Block
	choices []Choice
	names   map[string]string // block id → name, for block taps
}

// NewConversation starts a conversation of user u through c. Nothing is
// sent until Welcome, Say, Tap or Send.
func NewConversation(c *Client, u User) *Conversation {
	cv := &Conversation{client: c, user: u, names: map[string]string{}}
	cv.know(WelcomeBlock)
	cv.know(FallbackBlock)
	return cv
}

// User is the current user.
func (cv *Conversation) User() User { return cv.user }

// SetUser switches to user u, as if another person opened the chat:
// flow.lastBlock and the choices are cleared.
func (cv *Conversation) SetUser(u User) {
	cv.user, cv.last, cv.choices = u, nil, nil
}

// Choices are the numbered choices of the last answer (nil after an error).
func (cv *Conversation) Choices() []Choice { return cv.choices }

// LastBlock is the block of the last turn sent, nil before the first.
func (cv *Conversation) LastBlock() *Block { return cv.last }

func (cv *Conversation) know(b Block) {
	if b.ID != "" && b.Name != "" {
		cv.names[b.ID] = b.Name
	}
}

// Send sends turn t and makes its answer the last one. A block without a
// name gets the name of a block with that id sent earlier, if any. It
// returns what Client.Send returns; after an error the choices are empty.
func (cv *Conversation) Send(ctx context.Context, t Turn) (*Answer, error) {
	if t.Block.Name == "" {
		t.Block.Name = cv.names[t.Block.ID]
	}
	cv.know(t.Block)
	a, err := cv.client.Send(ctx, cv.client.Payload(cv.user, t, cv.last))
	b := t.Block
	cv.last = &b
	cv.choices = nil
	if err == nil {
		cv.choices = a.Choices
	}
	return a, err
}

// Welcome enters the chat room: the welcome block with an empty utterance.
func (cv *Conversation) Welcome(ctx context.Context) (*Answer, error) {
	return cv.Send(ctx, WelcomeTurn())
}

// Say types text (the fallback block, trigger TEXT_INPUT, clientExtra {}).
func (cv *Conversation) Say(ctx context.Context, text string) (*Answer, error) {
	return cv.Send(ctx, TextTurn(text))
}

// Tap taps choice n (1-based) of the last answer. When the tap sends
// nothing (a link, phone, operator or share button) it returns a nil
// Answer and the note to show; otherwise the Answer. It returns an error
// wrapping ErrNoChoice when there is no choice n, or Send's error.
func (cv *Conversation) Tap(ctx context.Context, n int) (*Answer, string, error) {
	if n < 1 || n > len(cv.choices) {
		return nil, "", fmt.Errorf("%w: %d (the last answer has %d)", ErrNoChoice, n, len(cv.choices))
	}
	t, note := cv.choices[n-1].Tap(cv.last)
	if t == nil {
		return nil, note, nil
	}
	a, err := cv.Send(ctx, *t)
	return a, "", err
}
