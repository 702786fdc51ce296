package fsm

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxMessages is Kakao's limit of outputs per response.
const maxMessages = 3

// fixedQR is a per-turn quick reply; its tap is stamped with the state the
// turn ends in when the reply is built.
type fixedQR struct {
	label, text, node, opt string
}

// qrItem is either a fixed quick reply or a page of a compiled menu.
type qrItem struct {
	menu  *menu
	page  int
	fixed fixedQR
}

// composer collects a turn's reply and applies the composition rule of
// DESIGN §3 when it is built: the notice takes one output, the rest at most
// the remaining outputs; quick replies in order turn-specific, then
// 처음으로/이전/상담원, then main-menu entries while room remains.
type composer struct {
	notice   string
	msgs     []Message
	lead     []qrItem // before everything else (상담 취소 while waiting)
	turn     []qrItem
	home     bool // offer 처음으로
	back     bool // offer 이전
	agent    bool // offer 상담원 연결
	fillMain bool // main-menu entries while room remains
	// noHandoff leaves the main menu's handoff entries out of fillMain: a
	// reply that already answers a request for a human (after hours)
	// does not offer the same request again.
	noHandoff bool
	agentTop  bool // put 상담원 연결 before the turn's quick replies
	// leave, when agent is off, offers 메시지 남기기 where 상담원 연결
	// would be, its tap carrying this reason (leaveUnderReply).
	leave string
	// answer names a config-only reply (an FAQ answer) whose messages and
	// turn quick replies are exactly answerMsgs and answerTurn long; any
	// other message or quick reply added makes the reply per-turn.
	answer                 string
	answerMsgs, answerTurn int
	// noticeKey names which config-only notice text notice holds (for
	// static replies); "" when it is not one.
	noticeKey string
	// keys name the messages while every one so far came from the config
	// alone (staticText, staticCard, a menu's bubble); dynamic is set once
	// any other message is added.
	keys    [maxMessages + 1]msgKey
	nKeys   int
	dynamic bool
}

// msgKey names a config-only message: its kind and what picks its content.
type msgKey struct{ kind, a, b string }

func (c *composer) text(s string) {
	if s = strings.TrimSpace(s); s != "" {
		c.dynamic = true
		c.msgs = append(c.msgs, Message{Text: s})
	}
}

func (c *composer) card(desc string, buttons ...Button) {
	c.dynamic = true
	c.msgs = append(c.msgs, Message{Card: &Card{Description: desc, Buttons: buttons}})
}

// staticMsg adds m, whose content k determines from the config alone.
func (c *composer) staticMsg(k msgKey, m Message) {
	if !c.dynamic && c.nKeys < len(c.keys) {
		c.keys[c.nKeys] = k
		c.nKeys++
	} else {
		c.dynamic = true
	}
	c.msgs = append(c.msgs, m)
}

// staticText is text for a config text named k.
func (c *composer) staticText(k msgKey, s string) {
	if s = strings.TrimSpace(s); s != "" {
		c.staticMsg(k, Message{Text: s})
	}
}

// staticCard is card for a config-only card named k.
func (c *composer) staticCard(k msgKey, desc string, buttons ...Button) {
	c.staticMsg(k, Message{Card: &Card{Description: desc, Buttons: buttons}})
}

func (c *composer) fixed(label, text, node, opt string) {
	c.turn = append(c.turn, qrItem{fixed: fixedQR{label: label, text: text, node: node, opt: opt}})
}

// build renders the reply for a turn ending in state s.
func (c *composer) build(e *Engine, s State, group bool) Reply {
	var r Reply
	body := c.msgs
	room := maxMessages
	if c.notice != "" {
		r.Messages = append(r.Messages, Message{Text: truncateText(c.notice, maxTextRunes)})
		room--
	}
	body = fitMessages(body, room)
	body, bubbles := spreadLong(body, room)
	for i, m := range body {
		if bubbles != nil && bubbles[i] > 1 {
			// A long text takes the bubbles the reply does not use rather
			// than being cut (DESIGN §3: split at whitespace).
			for _, p := range splitText(m.Text, maxTextRunes, bubbles[i]) {
				r.Messages = append(r.Messages, Message{Text: p})
			}
			continue
		}
		r.Messages = append(r.Messages, e.clampMessage(m, s))
	}
	r.CacheKey = c.staticKey(e, s, group)
	if !group {
		r.QuickReplies = c.quickReplies(e, s)
	}
	return r
}

// fitMessages keeps body within room outputs: consecutive simpleTexts are
// merged first (truncated to the text limit), then the earliest messages are
// dropped so the last one — the menu, card or question that carries the
// turn's buttons — always survives.
func fitMessages(body []Message, room int) []Message {
	if len(body) <= room {
		return body
	}
	out := append([]Message(nil), body...)
	for len(out) > room {
		merged := false
		for i := 0; i+1 < len(out); i++ {
			if out[i].Card == nil && out[i+1].Card == nil {
				out[i].Text = out[i].Text + "\n\n" + out[i+1].Text
				out = append(out[:i+1], out[i+2:]...)
				merged = true
				break
			}
		}
		if !merged {
			out = out[1:]
		}
	}
	return out
}

// longText reports whether m is a simpleText over Kakao's text limit.
func longText(m Message) bool {
	return m.Card == nil && len(m.Text) > maxTextRunes && utf8.RuneCountInString(m.Text) > maxTextRunes
}

// textBubbles is the number of bubbles (at most maxMessages) m takes whole.
func textBubbles(m Message) int {
	if !longText(m) {
		return 1
	}
	return len(splitText(m.Text, maxTextRunes, maxMessages))
}

// spreadLong gives the long texts of body (at most room messages) the
// bubbles the reply does not use: bubbles[i] is the number message i is
// split into, nil when every message takes one. The last message — the
// menu, card or question that carries the turn's buttons; in a group chat
// the numbered menu, whose every number must be shown — is served first;
// when the bubbles do not suffice, adjacent texts are merged where that
// saves one (texts.stale_tap above a long group menu). Every earlier
// message keeps at least its own bubble; what still does not fit is cut.
func spreadLong(body []Message, room int) ([]Message, []int) {
	long := false
	for _, m := range body {
		long = long || longText(m)
	}
	if !long {
		return body, nil
	}
	need := make([]int, len(body))
	total := 0
	for i, m := range body {
		need[i] = textBubbles(m)
		total += need[i]
	}
	if total > room {
		body = append([]Message(nil), body...)
	}
	for total > room {
		merged := false
		for i := 0; i+1 < len(body); i++ {
			if body[i].Card != nil || body[i+1].Card != nil {
				continue
			}
			m := Message{Text: body[i].Text + "\n\n" + body[i+1].Text}
			if n := textBubbles(m); n < need[i]+need[i+1] {
				total -= need[i] + need[i+1] - n
				body[i], need[i] = m, n
				body = append(body[:i+1], body[i+2:]...)
				need = append(need[:i+1], need[i+2:]...)
				merged = true
				break
			}
		}
		if !merged {
			break
		}
	}
	left := room
	for i := len(body) - 1; i >= 0; i-- {
		need[i] = max(1, min(need[i], left-i)) // one bubble kept for each earlier message
		left -= need[i]
	}
	return body, need
}

// clampMessage keeps m within Kakao's limits and stamps a tap on every
// button (Kakao only forwards it for message buttons; it is harmless on the
// others and keeps every emitted control traceable to its config version).
func (e *Engine) clampMessage(m Message, s State) Message {
	if m.Card != nil && cardFits(m.Card) {
		return m // precompiled menu cards and short cards need no copy
	}
	if m.Card == nil {
		m.Text = truncateText(m.Text, maxTextRunes)
		return m
	}
	c := *m.Card
	if utf8.RuneCountInString(c.Title) > 50 {
		c.Title = truncateText(c.Title, 50)
	}
	c.Description = truncateText(c.Description, maxCardRunes-utf8.RuneCountInString(c.Title))
	c.Buttons = append([]Button(nil), c.Buttons[:min(len(c.Buttons), 3)]...)
	for i := range c.Buttons {
		b := &c.Buttons[i]
		b.Label = truncateLabel(b.Label)
		if b.Tap == nil {
			b.Tap = e.buttonTap(b.Kind, s)
		}
	}
	m.Card = &c
	return m
}

// compileButtonTaps precomputes the taps clampMessage stamps on the buttons
// of every kind, for every state.
func (e *Engine) compileButtonTaps() {
	e.buttonTaps = make(map[ButtonKind][]*Tap)
	for _, k := range []ButtonKind{ButtonMessage, ButtonLink, ButtonOperator, ButtonPhone} {
		taps := make([]*Tap, len(allStates))
		for _, st := range allStates {
			taps[stateIndex(st)] = e.newButtonTap(k, st)
		}
		e.buttonTaps[k] = taps
	}
}

// buttonTap is the tap of a button of kind k that has none, in state s:
// a shared precompiled one for the known kinds.
func (e *Engine) buttonTap(k ButtonKind, s State) *Tap {
	if taps, ok := e.buttonTaps[k]; ok {
		return taps[stateIndex(s)]
	}
	return e.newButtonTap(k, s)
}

func (e *Engine) newButtonTap(k ButtonKind, s State) *Tap {
	return &Tap{V: e.version, N: nodeButton, O: string(k), S: s}
}

// quickReplies lays out the reply's quick replies (DESIGN §3): the lead,
// the turn's, then the navigation replies (이전, 처음으로, and 상담원 연결 or
// 메시지 남기기), then the main menu's entries while room remains. The
// navigation replies are never the ones Kakao's limit drops: where the
// turn's quick replies leave no room for them (an FAQ answer's 도움이 안
// 됐어요 above the menu it was picked from), the menu options shown give
// way, the last first; a menu's 더보기 stays, so the options left out are
// still a page away (and picked by their number or label).
func (c *composer) quickReplies(e *Engine, s State) []QuickReply {
	// Up to the navigation replies nothing is cut (makeRoom does); the
	// main menu's entries only fill the room left.
	var navBuf [4]string // 이전, 처음으로, 상담원 연결 or 메시지 남기기, and a top 상담원 연결
	out := make([]QuickReply, 0, maxQuickReplies+len(navBuf))
	limit := -1
	add := func(q QuickReply) {
		if limit >= 0 && len(out) >= limit {
			return
		}
		for i := range out { // a few: a scan beats a map
			if out[i].Text == q.Text {
				return
			}
		}
		out = append(out, q)
	}
	addItems := func(items []qrItem) {
		for _, it := range items {
			if it.menu != nil {
				for _, q := range it.menu.qrs[stateIndex(s)][it.page] {
					add(q)
				}
				continue
			}
			add(e.stamp(it.fixed, s))
		}
	}
	// addNav adds a fixed navigation reply (이전, 처음으로, 상담원 연결),
	// which a menu option of the same text never hides: the option's
	// quick reply gives way unless it does what the navigation reply
	// does (an option "처음으로" with home: true), since the dedupe above
	// keeps one quick reply per text (baton validate warns).
	addNav := func(q QuickReply) {
		for i := range out {
			if out[i].Text != q.Text {
				continue
			}
			if o := e.tappedOption(out[i].Tap); o != nil && !e.navLike(o, q.Tap.O) {
				out = append(out[:i], out[i+1:]...)
			}
			break
		}
		add(q)
	}
	t := &e.texts
	nav := navBuf[:0] // the navigation replies' texts
	addItems(c.lead)
	if c.agent && c.agentTop {
		q := e.stamp(fixedQR{label: t.Agent, node: nodeNav, opt: optAgent}, s)
		addNav(q)
		nav = append(nav, q.Text)
	}
	addItems(c.turn)
	if c.back {
		q := e.stamp(fixedQR{label: t.Back, node: nodeNav, opt: optBack}, s)
		addNav(q)
		nav = append(nav, q.Text)
	}
	if c.home {
		q := e.stamp(fixedQR{label: t.Home, node: nodeNav, opt: optHome}, s)
		addNav(q)
		nav = append(nav, q.Text)
	}
	if c.agent {
		q := e.stamp(fixedQR{label: t.Agent, node: nodeNav, opt: optAgent}, s)
		addNav(q)
		nav = append(nav, q.Text)
	} else if c.leave != "" {
		q := e.stamp(fixedQR{label: t.LeaveMessage, node: nodeAfterHours, opt: optLeave + ":" + c.leave}, s)
		add(q)
		nav = append(nav, q.Text)
	}
	out = e.makeRoom(out, nav)
	limit = maxQuickReplies
	if c.fillMain {
		main := e.home.qrs[stateIndex(s)][0]
		for _, q := range main {
			if strings.HasPrefix(q.Tap.O, pagePrefix) { // not 더보기
				break
			}
			if c.noHandoff && e.home.byID[q.Tap.O].kind == optHandoff {
				continue
			}
			add(q)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// makeRoom keeps out within Kakao's limit: menu options other than the
// ones standing in for a navigation reply (texts nav) give way, the last
// first; what is still over the limit (fixed quick replies only) is cut
// from the end.
func (e *Engine) makeRoom(out []QuickReply, nav []string) []QuickReply {
	for i := len(out) - 1; i >= 0 && len(out) > maxQuickReplies; i-- {
		if e.tappedOption(out[i].Tap) == nil || slices.Contains(nav, out[i].Text) {
			continue // not a menu option (더보기 included), or a navigation reply
		}
		out = append(out[:i], out[i+1:]...)
	}
	return out[:min(len(out), maxQuickReplies)]
}

// tappedOption is the menu option a quick reply's tap selects, or nil.
func (e *Engine) tappedOption(tp *Tap) *option {
	if tp == nil {
		return nil
	}
	if m, ok := e.menus[tp.N]; ok {
		return m.byID[tp.O]
	}
	return nil
}

// navLike reports whether option o does what the navigation reply nav
// (optHome, optBack, optAgent) does.
func (e *Engine) navLike(o *option, nav string) bool {
	switch nav {
	case optHome:
		return o.kind == optHomeKind
	case optBack:
		return o.kind == optBackKind
	case optAgent:
		return o.kind == optHandoff && o.target == e.cfg.Escalation.Queue
	}
	return false
}

// staticQRKey names a quick reply whose label comes from the texts only
// (처음으로, 상담 취소, ...), precompiled per state by New.
type staticQRKey struct{ node, opt string }

// compileStaticQRs precomputes the text-only quick replies for every state.
func (e *Engine) compileStaticQRs() {
	t := &e.texts
	e.staticQRs = make(map[staticQRKey][]QuickReply)
	for _, f := range []fixedQR{
		{label: t.Home, node: nodeNav, opt: optHome}, {label: t.Back, node: nodeNav, opt: optBack},
		{label: t.Agent, node: nodeNav, opt: optAgent}, {label: t.NotHelpful, node: nodeFAQ, opt: optNotHelpful},
		{label: t.Cancel, node: nodeWaiting, opt: optCancel}, {label: t.ConfirmNo, node: nodeConfirm, opt: optNo},
		{label: t.LeaveMessage, node: nodeAfterHours, opt: optLeave}, {label: t.NotifyOnOpen, node: nodeAfterHours, opt: optNotify},
		{label: t.LeaveMessage, node: nodeAfterHours, opt: optLeave + ":" + ReasonFAQTicket},
		{label: t.LeaveMessage, node: nodeAfterHours, opt: optLeave + ":" + ReasonNoMatchTicket},
		{label: t.LeaveMessage, node: nodeAfterHours, opt: optLeave + ":" + ReasonMenuTicket},
	} {
		qrs := make([]QuickReply, len(allStates))
		for _, st := range allStates {
			qrs[stateIndex(st)] = e.newQR(f, st)
		}
		e.staticQRs[staticQRKey{f.node, f.opt}] = qrs
	}
}

// stamp returns a fixed quick reply with its tap for state s.
func (e *Engine) stamp(f fixedQR, s State) QuickReply {
	if f.text == "" {
		if qrs, ok := e.staticQRs[staticQRKey{f.node, f.opt}]; ok {
			return qrs[stateIndex(s)]
		}
	}
	return e.newQR(f, s)
}

func (e *Engine) newQR(f fixedQR, s State) QuickReply {
	label := truncateLabel(f.label)
	text := f.text
	if text == "" {
		text = label
	}
	return QuickReply{Label: label, Text: text, Tap: &Tap{V: e.version, N: f.node, O: f.opt, S: s}}
}

// staticAnswer marks what the composer holds now (an FAQ answer and its
// quick replies, added to an empty composer) as the config-only reply id.
func (c *composer) staticAnswer(id string, emptyBefore bool) {
	if !emptyBefore {
		return
	}
	c.answer, c.answerMsgs, c.answerTurn = id, len(c.msgs), len(c.turn)
}

// staticKey names the reply when it is exactly one menu page — the menu's
// own bubble and its quick replies — or exactly an FAQ answer, as the
// renderer can cache it per config version; "" otherwise.
func (c *composer) staticKey(e *Engine, s State, group bool) string {
	if c.notice != "" && c.noticeKey == "" {
		return ""
	}
	if c.answer != "" && len(c.lead) == 0 && len(c.msgs) == c.answerMsgs && len(c.turn) == c.answerTurn {
		return c.answerKey(e, s, group)
	}
	if len(c.msgs) != 1 || len(c.lead) != 0 || len(c.turn) != 1 || c.turn[0].menu == nil || c.agentTop {
		return c.composedKey(e, s, group)
	}
	m := c.turn[0].menu
	// The one message must be the menu's own bubble: a link card, a text
	// option's text or the not-helpful reply above the same menu's quick
	// replies is a different reply.
	own := m.msg
	if group {
		own = m.groupMsg
	}
	if msg := c.msgs[0]; msg.Card != own.Card || msg.Text != own.Text {
		return c.composedKey(e, s, group)
	}
	var b strings.Builder
	b.Grow(keyRoom + len(e.version) + len(m.id) + len(s) + len(c.noticeKey))
	b.WriteString("menu/")
	b.WriteString(e.version)
	b.WriteString("/")
	b.WriteString(m.id)
	b.WriteString("/")
	b.WriteString(strconv.Itoa(c.turn[0].page))
	b.WriteString("/")
	b.WriteString(string(s))
	c.writeFlags(&b, group)
	return b.String()
}

// answerKey names an FAQ answer reply: the answer, the state its taps
// carry and every switch that changes its quick replies.
func (c *composer) answerKey(e *Engine, s State, group bool) string {
	var b strings.Builder
	b.Grow(keyRoom + len(e.version) + len(c.answer) + len(s) + len(c.noticeKey))
	b.WriteString("answer/")
	b.WriteString(e.version)
	b.WriteString("/")
	b.WriteString(c.answer)
	b.WriteString("/")
	b.WriteString(string(s))
	c.writeFlags(&b, group)
	if c.agentTop {
		b.WriteString("/top")
	}
	return b.String()
}

// keyRoom is what staticKey and answerKey write besides the version, the id,
// the state and the notice key (prefix, separators, page, flags), rounded
// up: growing the builder once makes a key one allocation, not four.
const keyRoom = 64

// writeFlags appends the composition switches a static reply depends on,
// and the notice above it.
func (c *composer) writeFlags(b *strings.Builder, group bool) {
	for _, f := range []bool{group, c.home, c.back, c.agent, c.fillMain, c.noHandoff} {
		if f {
			b.WriteString("/1")
		} else {
			b.WriteString("/0")
		}
	}
	if c.leave != "" {
		b.WriteString("/leave:")
		b.WriteString(c.leave)
	}
	if c.notice != "" {
		b.WriteString("/notice:")
		b.WriteString(c.noticeKey)
	}
}

// cardFits reports whether c is within the limits and every button already
// carries a tap.
func cardFits(c *Card) bool {
	if len(c.Buttons) > 3 || utf8.RuneCountInString(c.Title) > 50 ||
		utf8.RuneCountInString(c.Title)+utf8.RuneCountInString(c.Description) > maxCardRunes {
		return false
	}
	for i := range c.Buttons {
		if c.Buttons[i].Tap == nil || utf8.RuneCountInString(c.Buttons[i].Label) > maxLabelRunes {
			return false
		}
	}
	return true
}

// composedKey names any other reply built from the config alone: every
// message named by a msgKey, and quick replies from menu pages and fixed
// items (whose fields are all in the key). It is "" when a message came from
// the turn (a code, a time, a position, a 지식+ answer). The renderer still
// compares the reply with the one it cached under the key.
func (c *composer) composedKey(e *Engine, s State, group bool) string {
	if c.dynamic || c.nKeys == 0 || c.nKeys != len(c.msgs) {
		return ""
	}
	var b strings.Builder
	b.Grow(128)
	b.WriteString("msgs/")
	b.WriteString(e.version)
	b.WriteString("/")
	b.WriteString(string(s))
	for _, k := range c.keys[:c.nKeys] {
		b.WriteString("\x00m:")
		b.WriteString(k.kind)
		b.WriteString("\x01")
		b.WriteString(k.a)
		b.WriteString("\x01")
		b.WriteString(k.b)
	}
	writeItems(&b, "\x00lead", c.lead)
	writeItems(&b, "\x00turn", c.turn)
	b.WriteString("\x00")
	c.writeFlags(&b, group)
	if c.agentTop {
		b.WriteString("/top")
	}
	return b.String()
}

func writeItems(b *strings.Builder, name string, items []qrItem) {
	b.WriteString(name)
	for _, it := range items {
		if it.menu != nil {
			b.WriteString("\x00p:")
			b.WriteString(it.menu.id)
			b.WriteString("\x01")
			b.WriteString(strconv.Itoa(it.page))
			continue
		}
		f := it.fixed
		b.WriteString("\x00f:")
		b.WriteString(f.label)
		b.WriteString("\x01")
		b.WriteString(f.text)
		b.WriteString("\x01")
		b.WriteString(f.node)
		b.WriteString("\x01")
		b.WriteString(f.opt)
	}
}
