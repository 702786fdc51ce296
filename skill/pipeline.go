package skill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/stagetrace"
	"github.com/baton-chat/baton/store"
)

// Engine steps one conversation through one user turn. *fsm.Engine
// satisfies it. Step must be pure and never fail.
type Engine interface {
	Step(c fsm.Conversation, in fsm.Input) fsm.Outcome
	// Apply steps an event that is not a user turn (accepted, ended,
	// wait_timeout, cancel, ...); it returns an error wrapping
	// fsm.ErrNoTransition when the event is not allowed in c's state.
	Apply(c fsm.Conversation, event string, now time.Time, reason string) (fsm.Outcome, error)
	Version() string
}

// Conversations loads and durably commits per-user state. *store.DB
// satisfies it. Commit returns only after the write is durable; it returns
// store.ErrConflict when the conversation moved on since Load.
type Conversations interface {
	Load(ctx context.Context, userKey string) (store.User, fsm.Conversation, bool, error)
	Commit(ctx context.Context, w *store.TurnWrite) error
	// Handoff reads one handoff; WaitingAhead counts the handoffs waiting
	// before it in its queue. Both are read only on turns while waiting.
	Handoff(ctx context.Context, id string) (store.Handoff, bool, error)
	WaitingAhead(ctx context.Context, h store.Handoff) (int, error)
	// LastHandoff reads the user's latest handoff, open or ended: read only
	// on a bot turn whose state changed since the user's last turn.
	LastHandoff(ctx context.Context, userKey string) (store.Handoff, bool, error)
	// AcceptStats summarises the queue's recent acceptances (waiting ETA);
	// read only on turns while waiting in a dealer queue.
	AcceptStats(ctx context.Context, queue string, now time.Time) (store.AcceptStats, error)
}

// Handoffs turns a step's handoff effects into the turn's outbox messages and
// further writes (timers, tickets, notifications), and mints handoff codes.
// The handoff package satisfies it; it alone spells subjects.
type Handoffs interface {
	NewCode() string
	// EndedUntold reports whether h, the handoff of user u (as stored
	// before this turn), ended before anyone took it with nothing telling
	// u: by the human side, or by a dealer wait timeout whose Event API
	// apology cannot reach u or did not (fsm.Input.WaitEnded,
	// WaitTimedOut). latest, when set, reads what became of that apology
	// (store.LatestNotification); ops are writes of the turn that tells
	// it (the pending apology withdrawn).
	EndedUntold(ctx context.Context, h store.Handoff, u store.User,
		latest func(ctx context.Context, userKey, kind, ref string) (store.Notification, bool, error),
		now time.Time) (told bool, ops []store.Op, err error)
	// AddTo adds the effects of o to w (w.User.Key is the user).
	AddTo(o *fsm.Outcome, w *store.TurnWrite, now time.Time)
}

// turnResult is what a finished turn hands back to the HTTP handler.
type turnResult struct {
	body   []byte
	reason string // non-empty when body is the fallback or a limit text: why
	err    error
	// enc, when set, is the pooled encoder whose buffer body is: the one
	// who writes body gives it back (release) once written, or leaves it
	// to the collector when body may still be read (a callback's POST).
	enc *pooledEncoder
}

// release gives back the encoder that holds res.body, if any; res.body
// must not be read after.
func (res *turnResult) release() {
	if res.enc != nil {
		res.enc.put()
		res.enc, res.body = nil, nil
	}
}

// bundle is everything that changes together on a config reload.
type bundle struct {
	engine   Engine
	fallback []byte
	// groupFallback is the fallback in a group chat (no operator button).
	groupFallback []byte
	limited       []byte
	// callbackAck is the useCallback answer sent at the soft deadline.
	callbackAck []byte
	cache       sync.Map // Reply.CacheKey (+"|g" for group) -> rendered bytes
	cached      atomic.Int64
}

// maxCachedReplies bounds the rendered replies kept per config version. The
// engine's keys name config-only replies, so a config has a bounded number;
// the bound keeps a config with very many combinations from growing the
// cache without end (later replies are rendered each time).
const maxCachedReplies = 2048

// maxConflictRetries bounds how often a turn reloads after a version conflict
// (another process or a racing reload moved the conversation on).
const maxConflictRetries = 3

// runTurn executes one decoded turn: per-user serialised load → step →
// commit → render. The reply bytes are returned only after the commit.
func (s *Server) runTurn(ctx context.Context, p *Payload, b *bundle) turnResult {
	// An Event API block's turn is Kakao's, not the user's typing: it is
	// not rate limited (a limited answer would be sent as the message).
	// The limit is per person (the botUserKey), not per conversation: a
	// user's 1:1 chat and every team-chat room of the bot draw on one
	// bucket, so writing in many rooms does not multiply the allowance.
	if p.Param(EventParam) == "" && !s.limiter.Allow(p.UserKey(), s.now()) {
		s.metrics.limited.Inc()
		return turnResult{body: b.limited, reason: "rate_limited"}
	}
	// The conversation's key: the botUserKey in a 1:1 chat, the room and
	// user in a group (Payload.ConversationKey). The lock, the load and
	// the commit use it, so a user's turns in one room are serialised, and
	// a group turn never touches the 1:1 conversation, its handoff or its
	// user row.
	key := p.ConversationKey()
	mu, err := s.locks.lockCtx(ctx, key)
	if err != nil {
		// Still locked at the deadline (or the callback budget's end) by
		// a stuck holder: the turn is not run late, after its fallback
		// went out.
		return turnResult{body: b.fallbackFor(p.IsGroup()), reason: "lock", err: err}
	}
	defer mu.Unlock()
	// The turn's time is taken once it holds the user's lock, so a user's
	// turns are stamped in the order they are processed.
	now := s.now()
	if stagetrace.Enabled {
		stagetrace.From(ctx).Mark(stagetrace.Locked)
	}

	st := steppedPool.Get().(*stepped)
	res := s.runSteps(ctx, p, b, key, now, st)
	st.release() // not on a panic: the write may be where the panic left it
	return res
}

// runSteps steps, commits and renders the turn in st, again after a
// version conflict.
func (s *Server) runSteps(ctx context.Context, p *Payload, b *bundle, key string, now time.Time, st *stepped) turnResult {
	for attempt := 0; ; attempt++ {
		w, out, err := s.step(ctx, p, b, key, now, st)
		if err != nil {
			return turnResult{body: b.fallbackFor(p.IsGroup()), reason: "load", err: err}
		}
		if stagetrace.Enabled {
			stagetrace.From(ctx).Mark(stagetrace.Stepped)
		}
		err = s.store.Commit(ctx, w)
		if errors.Is(err, store.ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return turnResult{body: b.fallbackFor(p.IsGroup()), reason: "commit", err: err}
		}
		s.waiting.committed(w)
		s.outboxCommitted(w.CommittedOutbox())
		body, enc, err := s.render(b, &out.Reply, p.IsGroup())
		if err != nil {
			return turnResult{body: b.fallbackFor(p.IsGroup()), reason: "render", err: err}
		}
		s.metrics.observeOutcome(w.Turn.Test, out)
		return turnResult{body: body, enc: enc}
	}
}

// step loads the conversation and runs the engine, returning the write to commit.
// st holds the write and the outcome it returns.
func (s *Server) step(ctx context.Context, p *Payload, b *bundle, key string, now time.Time, st *stepped) (*store.TurnWrite, *fsm.Outcome, error) {
	u, conv, found, err := s.store.Load(ctx, key)
	if err != nil {
		return nil, nil, fmt.Errorf("skill: load %s: %w", "conversation", err)
	}
	if !found {
		conv = fsm.Conversation{UserKey: key, State: fsm.StateBot}
		u = store.User{Key: key, FirstSeen: now}
	}
	test := p.IsTest() // parses params: once per turn
	masked := Mask(p.Utterance())
	in := fsm.Input{
		Now:       now,
		BlockID:   p.BlockID(),
		BlockName: p.BlockName(),
		Utterance: p.Utterance(),
		Tap:       p.Tap(),
		Trigger:   p.TriggerType(),
		Knowledge: p.Knowledge(),
		IsFriend:  p.IsFriend(),
		Group:     p.IsGroup(),
		Test:      test,
		Minter:    (*minter)(s), // a handoff id and code, a ticket id, only for a turn that uses them
		Masked:    masked,
	}
	if conv.State == fsm.StateWaiting && conv.HandoffID != "" {
		if err := s.waitingInput(ctx, conv.HandoffID, &in); err != nil {
			return nil, nil, err
		}
	}
	if conv.State == fsm.StateHuman && conv.HandoffID != "" {
		if err := s.humanInput(ctx, conv.HandoffID, &in); err != nil {
			return nil, nil, err
		}
	}
	var told []store.Op // the turn tells what these withdraw
	if found {
		if told, err = s.waitEnded(ctx, key, u, conv, &in); err != nil {
			return nil, nil, err
		}
	}
	*st = stepped{}
	out := &st.out
	var ops []store.Op
	*out, ops, err = s.stepOrEvent(ctx, p, b.engine, conv, in)
	if err != nil {
		return nil, nil, err
	}
	if len(told) > 0 && out.Input != fsm.InputEvent { // an event block's turn tells nothing
		ops = append(ops, told...)
	}
	if out.EmptyText {
		s.unknownBlocks.note(s.logger, p.BlockName(), p.BlockID()) // unknown_block.go
	}
	out.Conversation.UserKey = key
	out.Conversation.Version = conv.Version // the version read; the store checks and bumps it

	u.BotID = p.BotID()
	// A group row (key = room and user) never records the channel's
	// plusfriendUserKey, should an older group payload carry one: a dealer
	// names the user by it (store.UserByPlusfriendKey), and that user is
	// the 1:1 chat's, not a team-chat room's.
	if k := p.PlusfriendUserKey(); k != "" && !in.Group {
		u.PlusfriendKey = k
	}
	if id := p.AppUserID(); id != "" {
		u.AppUserID = id
	}
	u.IsFriend = p.IsFriend()
	u.Test = test
	u.LastSeen = now
	if out.Welcomed {
		u.WelcomedAt = now
	}
	if out.Private {
		masked = "" // an intake or contact answer: stored encrypted (handoff_intake, contacts), never as turn text
	}
	st.w = store.TurnWrite{
		User: u,
		Conv: out.Conversation,
		Turn: store.Turn{
			ID:        store.NewID(now),
			UserKey:   key,
			At:        now,
			Block:     p.BlockName(),
			Utterance: masked,
			Kind:      out.Record.Kind,
			Node:      out.Record.Node,
			Score:     out.Record.Score,
			State:     out.Conversation.State,
			Test:      test,
			Source:    out.Input.String(),
		},
		Ops: ops,
	}
	w := &st.w
	if o := out.Open; o != nil {
		w.OpenHandoff = &store.Handoff{
			ID: o.ID, Code: o.Code, UserKey: key, BotID: p.BotID(), PlusfriendKey: u.PlusfriendKey,
			Queue: o.Queue, Target: o.Target, Reason: o.Reason, MenuPath: o.MenuPath,
			FAQMisses: o.FAQMisses, Test: test, CreatedAt: now, ContactPref: o.ContactPref,
		}
	}
	if c := out.Close; c != nil {
		w.EndHandoff = &store.HandoffEnd{ID: c.ID, Reason: c.Reason, At: now}
	}
	s.handoffs.AddTo(out, w, now)
	return w, out, nil
}

// stepped is a step's write and outcome, allocated together and reused
// from turn to turn (steppedPool): runTurn takes one and releases it when
// the turn is over. Nothing keeps a pointer into it past its turn: the
// store copies what it keeps from the write and is done with it when
// Commit returns (an abandoned Commit's write is never read again), the
// render cache keeps a clone of the reply, the waiting view copies the
// handoff, and the outbox rows are the write's own slice, not part of it.
type stepped struct {
	w   store.TurnWrite
	out fsm.Outcome
}

var steppedPool = sync.Pool{New: func() any { return new(stepped) }}

// release clears st (it holds no turn's data in the pool) and gives it back.
func (st *stepped) release() {
	*st = stepped{}
	steppedPool.Put(st)
}

// minter mints handoff ids and codes and ticket ids for the engine
// (fsm.Minter), only on the turns that open a handoff, start a handoff
// intake or leave a ticket: most turns need none, after-hours turns
// included (a menu tap there leaves no ticket). The engine asks before the turn's own id is
// made, so a handoff id made at the turn's time sorts before the turn's.
type minter Server

// NewHandoffID returns a new handoff id (store.NewID) for now.
func (m *minter) NewHandoffID(now time.Time) string { return store.NewID(now) }

// NewHandoffCode returns a new handoff code (Handoffs.NewCode).
func (m *minter) NewHandoffCode() string { return m.handoffs.NewCode() }

// NewTicketID returns a new ticket id (store.NewID) for now.
func (m *minter) NewTicketID(now time.Time) string { return store.NewID(now) }

// waitEnded tells the engine whether the user's handoff ended while they
// waited since their last turn with nothing telling them
// (Handoffs.EndedUntold): ended by an agent or an operator (in.WaitEnded),
// or by a wait timeout whose apology could not reach them or did not — not
// sent by the Event API, or still pending, which this turn tells instead
// (in.WaitTimedOut too, with the queue waited for; the ops it returns
// withdraw the pending apology). u is the user as stored before this turn:
// whether the Event API could reach them then. Only a bot conversation
// whose state changed after the last turn — an event, not the user, moved
// it — costs a store read (two after a dealer wait timeout the Event API
// could reach: its apology's fate).
func (s *Server) waitEnded(ctx context.Context, key string, u store.User, conv fsm.Conversation, in *fsm.Input) ([]store.Op, error) {
	if conv.State != fsm.StateBot || conv.LastTurnAt.IsZero() || !conv.StateSince.After(conv.LastTurnAt) {
		return nil, nil
	}
	h, ok, err := s.store.LastHandoff(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("skill: last handoff: %w", err)
	}
	if !ok || !h.EndedAt.After(conv.LastTurnAt) {
		return nil, nil
	}
	// The apology's fate is read from the store itself; a stand-in store
	// (tests, benchmarks) leaves the flags alone to decide.
	var latest func(context.Context, string, string, string) (store.Notification, bool, error)
	if db, ok := s.store.(*store.DB); ok {
		latest = func(ctx context.Context, userKey, kind, ref string) (store.Notification, bool, error) {
			return store.LatestNotification(ctx, db, userKey, kind, ref)
		}
	}
	told, ops, err := s.handoffs.EndedUntold(ctx, h, u, latest, in.Now)
	if err != nil {
		return nil, fmt.Errorf("skill: %w", err)
	}
	if !told {
		return nil, nil
	}
	in.WaitEnded = true
	if h.EndReason == fsm.EventWaitTimeout {
		in.WaitTimedOut, in.WaitQueue = true, h.Queue
	}
	return ops, nil
}

// waitingInput tells the engine the open handoff's code and, for a dealer
// queue, how many are ahead (one_on_one queues show no position: Baton
// cannot see the 1:1 chat's queue). It reads the waiting view, which costs
// no store query on most turns.
func (s *Server) waitingInput(ctx context.Context, id string, in *fsm.Input) error {
	h, ok, err := s.waiting.handoff(ctx, s.store, id)
	if err != nil {
		return fmt.Errorf("skill: open handoff %s: %w", id, err)
	}
	if !ok {
		return nil // the engine answers without a code or position
	}
	in.HandoffCode = h.code
	if isDealerTarget(h.target) {
		failed, err := s.waiting.failed.dealerFailed(ctx, id)
		if err != nil {
			return err
		}
		if failed {
			// Passed on to the agents as an inquiry: no queue place.
			in.DealerFailed = true
			return nil
		}
		ahead, err := s.waiting.ahead(ctx, s.store, id, h)
		if err != nil {
			return err
		}
		in.QueueWaiting, in.PositionKnown = ahead, true
		st, err := s.waiting.acceptStats(ctx, s.store, h.queue, in.Now)
		if err != nil {
			return err
		}
		in.ETA, in.ETAKnown = EstimateWait(st, ahead+1)
	}
	return nil
}

// humanInput tells the engine whether the handoff a human holds is one the
// router failed over from its dealer (Input.DealerFailed), and its code: the
// agent who accepted it from the notify sinks works it outside the chat, so
// the user's turn is no return from a human. Turns in human are rare (every
// other one ends the handoff), so the failure is read afresh: a "no" cached
// by a waiting turn just before the failover must not end the handoff.
func (s *Server) humanInput(ctx context.Context, id string, in *fsm.Input) error {
	failed, code, err := s.failedOver(ctx, id)
	if failed {
		in.DealerFailed, in.HandoffCode = true, code
	}
	return err
}

// failedOver reports whether the open handoff id is a dealer handoff the
// router failed over to the notify sinks, read afresh, and its code.
func (s *Server) failedOver(ctx context.Context, id string) (failed bool, code string, err error) {
	h, ok, err := s.waiting.handoff(ctx, s.store, id)
	if err != nil {
		return false, "", fmt.Errorf("skill: open handoff %s: %w", id, err)
	}
	if !ok || !isDealerTarget(h.target) {
		return false, "", nil
	}
	failed, err = s.waiting.failed.dealerFailedFresh(ctx, id)
	return failed, h.code, err
}

// render turns a reply into response bytes, reusing the marshalled bytes of
// static replies (menus at this config version). A cached body is reused only
// when the reply equals the one it was rendered from: the engine's CacheKey
// says which replies are worth keeping, never which bytes a user gets.
//
// A reply rendered for this turn alone is left in a pooled encoder's buffer
// (e non-nil): body is valid until the caller gives e back (e.put), which
// it may skip (e is then collected).
func (s *Server) render(b *bundle, r *fsm.Reply, group bool) (body []byte, e *pooledEncoder, err error) {
	key := r.CacheKey
	if key != "" {
		if group {
			key += "|g"
		}
		if v, ok := b.cache.Load(key); ok {
			if c := v.(*cachedReply); sameReply(&c.reply, r) {
				return c.body, nil, nil
			}
		}
	}
	body, e, err = renderPooled(r, group)
	if err != nil {
		return nil, nil, err
	}
	if key != "" && b.cached.Load() < maxCachedReplies {
		if e != nil { // the cache keeps its own bytes
			body = bytes.Clone(body)
			e.put()
			e = nil
		}
		if _, loaded := b.cache.LoadOrStore(key, &cachedReply{reply: cloneReply(r), body: body}); !loaded {
			b.cached.Add(1)
		}
	}
	return body, e, nil
}

// cachedReply is a rendered static reply and the reply it was rendered from.
type cachedReply struct {
	reply fsm.Reply
	body  []byte
}

// sameReply reports whether two replies render to the same bytes.
func sameReply(a, b *fsm.Reply) bool {
	if a.Silent != b.Silent || len(a.Messages) != len(b.Messages) || len(a.QuickReplies) != len(b.QuickReplies) {
		return false
	}
	for i := range a.Messages {
		ma, mb := &a.Messages[i], &b.Messages[i]
		if ma.Text != mb.Text || (ma.Card == nil) != (mb.Card == nil) {
			return false
		}
		if ma.Card != nil {
			ca, cb := ma.Card, mb.Card
			if ca.Title != cb.Title || ca.Description != cb.Description || len(ca.Buttons) != len(cb.Buttons) {
				return false
			}
			for j := range ca.Buttons {
				x, y := &ca.Buttons[j], &cb.Buttons[j]
				if x.Kind != y.Kind || x.Label != y.Label || x.Text != y.Text || x.URL != y.URL || x.Phone != y.Phone || !sameTap(x.Tap, y.Tap) {
					return false
				}
			}
		}
	}
	for i := range a.QuickReplies {
		x, y := &a.QuickReplies[i], &b.QuickReplies[i]
		if x.Label != y.Label || x.Text != y.Text || !sameTap(x.Tap, y.Tap) {
			return false
		}
	}
	return true
}

func sameTap(a, b *fsm.Tap) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// cloneReply deep-copies r so the cache never aliases an engine's slices.
func cloneReply(r *fsm.Reply) fsm.Reply {
	c := fsm.Reply{Silent: r.Silent, CacheKey: r.CacheKey}
	c.Messages = make([]fsm.Message, len(r.Messages))
	for i, m := range r.Messages {
		c.Messages[i] = fsm.Message{Text: m.Text}
		if m.Card != nil {
			card := *m.Card
			card.Buttons = make([]fsm.Button, len(m.Card.Buttons))
			for j, bt := range m.Card.Buttons {
				card.Buttons[j] = bt
				card.Buttons[j].Tap = cloneTap(bt.Tap)
			}
			c.Messages[i].Card = &card
		}
	}
	c.QuickReplies = make([]fsm.QuickReply, len(r.QuickReplies))
	for i, q := range r.QuickReplies {
		c.QuickReplies[i] = q
		c.QuickReplies[i].Tap = cloneTap(q.Tap)
	}
	return c
}

func cloneTap(t *fsm.Tap) *fsm.Tap {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
