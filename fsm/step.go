package fsm

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// Escalation reasons recorded in HandoffOpen.Reason and TurnRecord.Escalate.
const (
	ReasonKeyword   = "keyword"
	ReasonMenu      = "menu"
	ReasonFAQMisses = "faq_misses"
	ReasonMapped    = "mapped"
)

// turn is one Step in progress.
type turn struct {
	e     *Engine
	in    Input
	conv  Conversation
	start State // state at the start of the turn (taps are checked against it)
	log   turnLog
	m     machine // zero until the turn's first transition
	c     composer
	out   Outcome
	// asBot: answering as the bot while waiting on a one_on_one queue;
	// escalation is a no-op because the operator button is re-offered.
	asBot bool
	// rd is in.Utterance read once readDone (turn.reading).
	rd       reading
	readDone bool
	// intakeAtStart is the conversation's intake when the turn began;
	// intakeDone and intakeID: the handoff intake was completed this turn
	// and the handoff opens with intakeID (handoff_intake.go) and the
	// contact preference the intake heard, intakeContact (intake_pref.go).
	intakeAtStart Intake
	intakeDone    bool
	intakeID      string
	intakeContact string
	// csatSource: the previous reply asked the CSAT question from this
	// source about handoff csatHandoff, so a typed score answers it
	// (csat_typed.go); csatAgain: it asked it again after an unclear score.
	csatSource  string
	csatHandoff string
	csatAgain   bool
	// clarifyDropped is how many candidates the clarify list had when a
	// reload dropped it: the user still reads those numbers as its picks,
	// so they get what a candidate's tap from before the reload gets, the
	// stale-tap text and the current menu (text).
	clarifyDropped int
	// reloaded: the conversation was last stepped under another config
	// version (prepare); the handoff intake then asks the first field of
	// the queue's new intake not passed (handoff_intake.go).
	reloaded bool
	// pathDropped: a reload removed a menu on the conversation's path and
	// prepare reset it, so an older 이전 tap no longer goes where it said,
	// and a number typed for an option of the removed menu is not read
	// against the menu shown now (text).
	pathDropped bool
	// leaveOffered: the previous reply offered 메시지 남기기 in bot state
	// for this reason, the ticket going to leaveOfferedQueue
	// (takeLeaveOffer); leaveOffer and leaveOfferQueue: this turn's reply
	// does (offerLeave). leave_typed.go.
	leaveOffered, leaveOfferedQueue string
	leaveOffer, leaveOfferQueue     string
	// agentOffered: the previous reply was the complaint reply that asks
	// whether to talk to an agent now (takeAgentOffer); agentOffer: this
	// turn's reply is (complaintReply). complaint.go.
	agentOffered, agentOffer bool
	// faqAnswered: the reply holds an FAQ answer (answerFAQ): 메시지
	// 남기기 in place of its 상담원 연결 out of hours leaves a ticket with
	// reason ReasonFAQTicket (leaveUnderReply).
	faqAnswered bool
}

// normUtterance returns the turn's utterance folded (configs.Fold), read
// once (turn.reading).
func (t *turn) normUtterance() string {
	return t.reading().norm
}

// Step decides one user turn: it classifies in, steps the lifecycle and the
// menu graph, asks the FAQ matcher when needed, and returns the new
// conversation, the reply and the effects to commit. It is pure and
// deterministic and never fails: anything unexpected gets a sensible reply.
// The reply may share immutable, precompiled values (quick replies and their
// taps) with the engine and other replies: callers must not modify it.
// When an outcome carries both Close and Open (a user back from a human who
// asks for one again), the caller applies Close first.
func (e *Engine) Step(c Conversation, in Input) Outcome {
	t := newTurn(e, in, c)
	defer t.release()
	t.intakeAtStart = c.Intake
	t.conv.MenuPath = append([]string(nil), c.MenuPath...)
	t.conv.Clarify = append([]string(nil), c.Clarify...)
	if !isState(t.conv.State) {
		t.conv.State = StateBot
	}
	t.start = t.conv.State
	kind := e.Classify(in)
	t.out.Input = kind
	if kind == InputEvent {
		// Event API blocks are the handoff package's; the engine stays silent.
		t.out.Reply.Silent = true
		t.out.Record = TurnRecord{Kind: "silent"}
		t.out.Conversation = t.conv
		return t.out
	}
	t.prepare()
	t.csatSource, t.csatHandoff, t.csatAgain = t.takeCSATPending()
	firstTurn := c.WelcomedAt.IsZero()
	switch t.start {
	case StateHuman:
		t.inHuman(kind)
	case StateWaiting:
		t.inWaiting(kind)
	case StateConfirm:
		t.inConfirm(kind)
	case StateAfterHours:
		t.inAfterHours(kind)
	default:
		t.inBot(kind)
	}
	if firstTurn && !t.out.Welcomed {
		// Welcome rule 2: answer the turn and carry the notice and the
		// main menu; the notice precedes any handoff in the same reply.
		t.setNotice("")
		if t.conv.State == StateBot || t.conv.State == StateAfterHours {
			t.c.fillMain = true
		}
		t.welcomed()
	}
	if in.WaitEnded && t.start == StateBot {
		if in.WaitTimedOut {
			t.waitTimeoutNotice()
		} else {
			t.waitEndedNotice()
		}
	}
	return t.finish()
}

// waitTimeoutNotice puts the wait-timeout apology (texts.event_wait_timeout
// of the queue waited for) at the head of the reply: the wait ran out and
// no Event API message could tell the user (Input.WaitTimedOut). When the
// turn stays in bot and its reply offers no 메시지 남기기 of its own, it
// offers it first, the ticket going to the queue waited for, as the Event
// API message's reply does (Engine.Event), also typed on the next turn.
func (t *turn) waitTimeoutNotice() {
	e := t.e
	line := strings.TrimSpace(e.textsFor(t.in.WaitQueue).EventWaitTimeout)
	if line == "" {
		return
	}
	if t.c.notice != "" {
		line += "\n\n" + t.c.notice
	}
	t.c.notice, t.c.noticeKey = line, ""
	if t.conv.State != StateBot || t.conv.Intake != (Intake{}) || t.leaveOffer != "" || t.agentOffer || t.in.Group {
		return
	}
	queue := e.waitedQueue(t.in.WaitQueue)
	t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{label: e.texts.LeaveMessage, node: nodeAfterHours,
		opt: leaveOption(ReasonWaitTimeoutTicket, queue)}})
	t.offerLeave(ReasonWaitTimeoutTicket, queue)
}

// waitEndedNotice puts texts.handoff_ended_waiting at the head of the reply:
// the handoff the user waited for was ended by the human side (Input.WaitEnded).
// The reply is no longer a static one (noticeKey "").
func (t *turn) waitEndedNotice() {
	line := strings.TrimSpace(t.e.texts.HandoffEndedWaiting)
	if line == "" {
		return
	}
	if t.c.notice != "" {
		line += "\n\n" + t.c.notice
	}
	t.c.notice, t.c.noticeKey = line, ""
}

// turnPool recycles turns (about a kilobyte each): a turn never outlives
// its Step, and what it returns shares none of the composer's slices.
var turnPool = sync.Pool{New: func() any { return new(turn) }}

// newTurn takes a turn from the pool, keeping its composer's buffers.
func newTurn(e *Engine, in Input, c Conversation) *turn {
	t := turnPool.Get().(*turn)
	msgs, lead, items, rd := t.c.msgs[:0], t.c.lead[:0], t.c.turn[:0], t.rd.emptied()
	*t = turn{e: e, in: in, conv: c, rd: rd}
	t.c.msgs, t.c.lead, t.c.turn = msgs, lead, items
	return t
}

// release returns t to the pool once its outcome has been copied out.
func (t *turn) release() {
	clear(t.c.msgs)
	clear(t.c.lead)
	clear(t.c.turn)
	msgs, lead, items, rd := t.c.msgs[:0], t.c.lead[:0], t.c.turn[:0], t.rd.emptied()
	*t = turn{rd: rd}
	t.c.msgs, t.c.lead, t.c.turn = msgs, lead, items
	turnPool.Put(t)
}

// prepare applies session_idle and drops state a new config made invalid.
func (t *turn) prepare() {
	e, now := t.e, t.in.Now
	idle := e.cfg.SessionIdle.D() > 0 && !t.conv.LastTurnAt.IsZero() && now.Sub(t.conv.LastTurnAt) > e.cfg.SessionIdle.D()
	t.leaveOffered, t.leaveOfferedQueue = t.takeLeaveOffer(idle)
	t.agentOffered = t.takeAgentOffer(idle)
	if idle {
		// A handoff intake survives: the user confirmed the handoff and may
		// have gone to look the answer up (an order number). Their next
		// text answers the field, privately, or is asked again once. A
		// score typed this late no longer answers the CSAT question.
		t.conv.MenuPath, t.conv.FAQMisses, t.conv.Clarify = nil, 0, nil
		t.conv.CSATPending = ""
	}
	if t.conv.ConfigVersion != e.version {
		t.reloaded = true
		for _, id := range t.conv.MenuPath {
			if _, ok := e.menus[id]; !ok {
				t.conv.MenuPath, t.pathDropped = nil, true
				break
			}
		}
		t.conv.Clarify, t.clarifyDropped = nil, len(t.conv.Clarify)
		t.conv.ConfigVersion = e.version
	}
	if !t.in.Now.IsZero() {
		t.conv.LastTurnAt = now
	}
	switch fieldIntake := t.conv.Intake.Step == IntakeField; {
	case t.conv.State == StateAfterHours && !fieldIntake:
	case t.conv.State == StateConfirm && (fieldIntake || t.conv.Intake.Step == ""):
	default:
		// A ticket intake lives in after_hours only, a handoff intake (or
		// the confirm question's pending reason) in confirm only.
		t.conv.Intake = Intake{}
	}
}

func (t *turn) finish() Outcome {
	t.discardIntake(t.intakeAtStart)
	t.dropPendingReason()
	t.leaveUnderReply()
	t.keepLeaveOffer()
	t.keepAgentOffer()
	if len(t.c.msgs) == 0 {
		// A user turn always gets a message.
		t.showMenu(t.current(), 0)
	}
	t.out.Conversation = t.conv
	t.out.Transitions = t.log.transitions
	t.out.Reply = t.c.build(t.e, t.conv.State, t.in.Group)
	return t.out
}

// fire runs a lifecycle row and mirrors the machine's state.
// The looplab machine is built on the turn's first transition: most bot
// turns (menus, FAQ) never need it.
func (t *turn) fire(name, reason string) bool {
	if t.m.lc == nil {
		t.m = machine{lc: t.e.lc, cur: t.conv.State, log: &t.log}
	}
	if err := t.m.fire(name, reason); err != nil {
		return false
	}
	if s := t.m.state(); s != t.conv.State {
		t.conv.State, t.conv.StateSince = s, t.in.Now
	}
	return true
}

func (t *turn) welcomed() {
	t.out.Welcomed = true
	t.conv.WelcomedAt = t.in.Now
}

// setNotice makes the welcome/privacy notice (with greeting when set) the
// reply's first output. Its text depends on the config and on whether the
// user is a friend only, which noticeKey records for static replies.
func (t *turn) setNotice(greeting string) {
	t.c.notice = t.noticeText(greeting)
	t.c.noticeKey = "plain"
	if greeting != "" {
		t.c.noticeKey = "greeting"
	}
	if t.wantsChannelHint() {
		t.c.noticeKey += "+hint"
	}
}

// noticeText is the welcome/privacy notice output, with greeting when set and
// the add-channel hint for users who are not friends (rule 3).
func (t *turn) noticeText(greeting string) string {
	parts := make([]string, 0, 3)
	if g := strings.TrimSpace(greeting); g != "" {
		parts = append(parts, g)
	}
	parts = append(parts, t.e.notice)
	if t.wantsChannelHint() {
		parts = append(parts, t.e.texts.AddChannelHint)
	}
	return strings.Join(parts, "\n\n")
}

// wantsChannelHint reports whether the notice carries the add-channel hint:
// for users who are not friends, outside group chats (a group chat has no
// friendship to ask for, and no handoff or notification it would enable).
func (t *turn) wantsChannelHint() bool {
	return !t.in.IsFriend && !t.in.Group
}

// ---- bot ------------------------------------------------------------------

func (t *turn) inBot(kind InputKind) {
	switch kind {
	case InputWelcome:
		t.welcome()
	case InputReturned:
		t.returned()
	case InputMapped:
		t.mapped()
	case InputKnowledge:
		t.knowledge()
	case InputTap:
		t.tap()
	default:
		t.text()
	}
}

func (t *turn) welcome() {
	e := t.e
	t.conv.MenuPath, t.conv.FAQMisses, t.conv.Clarify = nil, 0, nil
	w := t.conv.WelcomedAt
	again := e.cfg.Welcome.RewelcomeAfter.D()
	if w.IsZero() || (again > 0 && t.in.Now.Sub(w) >= again) {
		t.setNotice(e.cfg.Welcome.Text)
		t.welcomed()
		t.showMenu(e.home, 0)
		t.out.Record = TurnRecord{Kind: "welcome", Node: e.home.id}
		return
	}
	t.showMenu(e.home, 0) // rule 4: menu only
}

func (t *turn) returned() {
	t.conv.MenuPath, t.conv.FAQMisses, t.conv.Clarify = nil, 0, nil
	t.c.staticText(msgKey{kind: "text", a: "returned_greeting"}, t.e.texts.ReturnedGreeting)
	t.showMenu(t.e.home, 0)
	t.out.Record = TurnRecord{Kind: "returned", Node: t.e.home.id}
}

func (t *turn) mapped() {
	a, _ := t.e.mappedAction(t.in)
	switch {
	case a.Goto != "":
		m := t.e.menus[a.Goto]
		t.resetMisses()
		t.conv.MenuPath = append([]string(nil), m.path...)
		t.showMenu(m, 0)
	case a.FAQ != "":
		t.answerFAQ(a.FAQ, 1)
	default:
		t.escalate(a.Handoff, ReasonMapped)
	}
}

func (t *turn) knowledge() {
	k := t.in.Knowledge[0]
	if strings.TrimSpace(k.Answer) == "" {
		t.text()
		return
	}
	t.resetMisses()
	var link *configs.Link
	// A landingUrl the bubble builders would refuse (no scheme, a space) is
	// dropped: the answer itself is still good.
	if k.LandingURL != "" && configs.CheckLinkURL(k.LandingURL) == nil {
		link = &configs.Link{Label: t.e.texts.KnowledgeLink, URL: k.LandingURL}
	}
	t.answerText(k.Answer, link, "")
	t.c.home, t.c.agent, t.c.fillMain = true, t.canEscalate(), true
	t.out.Record = TurnRecord{Kind: "knowledge"}
}

// tap resolves a tap in bot state (or while answering as the bot).
func (t *turn) tap() {
	if t.eventTap() {
		return
	}
	tp := t.in.Tap
	if t.stale(tp) {
		t.staleMenu()
		return
	}
	switch tp.N {
	case nodeNav:
		switch tp.O {
		case optHome:
			t.goHome()
		case optBack:
			t.goBack()
		case optAgent:
			t.escalate("", ReasonMenu)
		default:
			t.staleMenu()
		}
		return
	case nodeFAQ:
		if tp.O == optNotHelpful {
			t.notHelpful()
			return
		}
		if _, ok := t.e.faqs[tp.O]; ok {
			t.answerFAQ(tp.O, 1)
			return
		}
		t.staleMenu()
		return
	case nodeWaiting, nodeConfirm, nodeAfterHours:
		t.leftStateTap(tp)
		return
	}
	m, ok := t.e.menus[tp.N]
	if !ok {
		t.staleMenu()
		return
	}
	if p := m.page(tp.O); p >= 0 {
		t.resetMisses()
		t.enter(m)
		t.showMenu(m, p)
		return
	}
	o, ok := m.byID[tp.O]
	if !ok {
		t.staleMenu()
		return
	}
	t.selectOption(m, o)
}

// typedText is kind, except that a typed text Kakao's 지식+ also matched
// (InputKnowledge) is text: during an intake what the user types is the
// answer asked for (a ticket's message, a field's value), whatever 지식+
// found in it.
func typedText(kind InputKind) InputKind {
	if kind == InputKnowledge {
		return InputText
	}
	return kind
}

// stale reports whether a tap was built from another config version and
// no longer means the same in this one (keptTap: menu, paging, nav and
// confirm taps a reload left unchanged): only a config change is answered
// with texts.stale_tap ("메뉴가 바뀌었어요"). A tap of this version built in
// another state than the turn's — a fast double tap, a bubble still shown
// when an event (an accept, a timeout) or the tap before moved the
// conversation on — is not stale: the state the turn continues in reads
// it (tap, leftStateTap, inConfirm, inWaiting).
func (t *turn) stale(tp *Tap) bool {
	return tp == nil || tp.V != t.e.version && !t.keptTap(tp)
}

// leftStateTap answers in bot state a control of this version that
// belongs to a state the conversation has left (waiting, confirm,
// after_hours): 상담 취소 tapped again, or after the wait ended, is told
// nothing is pending (nothingToCancel); any other (아니요 or 네 after the
// question was answered, an after-hours button after the stay ended) gets
// the current menu, without the stale-tap text: the menu did not change.
func (t *turn) leftStateTap(tp *Tap) {
	if tp.N == nodeWaiting && tp.O == optCancel && !t.asBot {
		t.nothingToCancel()
		return
	}
	t.showMenu(t.current(), 0)
}

// nothingToCancel answers a cancel of the handoff when none is open (a
// second 상담 취소, "상담 취소" typed after the wait timed out or was
// ended): texts.nothing_to_cancel and the current menu. It is no FAQ
// question, so no miss, and never asks for a human.
func (t *turn) nothingToCancel() {
	t.c.staticText(msgKey{kind: "text", a: "nothing_to_cancel"}, t.e.texts.NothingToCancel)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "nothing_to_cancel", Node: t.current().id}
}

func (t *turn) staleMenu() {
	t.c.staticText(msgKey{kind: "text", a: "stale_tap"}, t.e.texts.StaleTap)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "stale", Node: t.current().id}
}

// text handles free text: clarify picks, numeric input, typed labels,
// escalation keywords and the FAQ.
func (t *turn) text() {
	e := t.e
	u := strings.TrimSpace(t.in.Utterance)
	if u == "" {
		t.showMenu(t.current(), 0) // empty input never counts as a miss
		t.out.EmptyText = t.in.Tap == nil && !e.fallbackBlocks[t.in.BlockID] && !e.fallbackBlocks[t.in.BlockName]
		return
	}
	if t.typedLeave() { // "메시지 남기기" typed under a reply that offered it (leave_typed.go)
		return
	}
	if len(t.conv.Clarify) > 0 {
		if id, ok := t.clarifyChoice(u); ok {
			t.answerFAQ(id, 1) // as tapping the candidate's quick reply
			return
		}
	}
	if t.csatSource != "" && t.conv.State == StateBot && !t.listPick(u) && t.typedCSAT(u) {
		// A clarify list asked beside the CSAT question was answered
		// with a score, not ignored: no miss. "4번" past a list of three
		// is no score (listPick): it goes to the menu below.
		t.conv.Clarify = nil
		return
	}
	if t.agentOffered && t.agentAnswer(u) { // "아니요 괜찮아요" to the complaint's question (complaint.go)
		return
	}
	if len(t.conv.Clarify) > 0 {
		if t.csatSource == "" {
			// An ignored clarify is a miss, unless the reply also asked
			// the CSAT question, which the user may be answering in
			// words ("좋았어요"): the text itself still counts.
			t.conv.FAQMisses++
		}
		t.conv.Clarify = nil
	}
	cur := t.current()
	if n, ok := pickNumber(u); ok {
		if n == 0 {
			t.goHome()
			return
		}
		if n >= 1 && (n <= t.clarifyDropped || t.pathDropped) {
			// A number of the clarify list or the menu a reload dropped
			// names what the user saw there, not an option of the menu
			// shown now: answered as the tap on it is (staleMenu).
			t.staleMenu()
			return
		}
		opts := cur.options
		if t.in.Group {
			opts = cur.groupOptions // the numbers the group menu showed
		}
		if n >= 1 && n <= len(opts) {
			t.selectOption(cur, opts[n-1])
			return
		}
	}
	if o, ok := cur.byLabel[u]; ok && !t.navHides(cur, o) {
		t.selectOption(cur, o)
		return
	}
	switch norm := t.normUtterance(); {
	case norm == e.norm.home:
		t.goHome()
		return
	case norm == e.norm.back:
		t.goBack()
		return
	case t.typedMore(cur, norm):
		return
	case norm == e.norm.notHelpful:
		t.notHelpful()
		return
	}
	if home, back := navigationWord(t.normUtterance()); home || back { // "처음", "메뉴", "뒤로"
		if home {
			t.goHome()
		} else {
			t.goBack()
		}
		return
	}
	if isTapTrigger(t.in.Trigger) {
		// A button tap that lost Baton's extra: the main-menu entries
		// offered under every bot reply are the likely source.
		if o, ok := e.home.byLabel[u]; ok {
			t.selectOption(e.home, o)
			return
		}
	}
	if r, ok := e.labels[t.normUtterance()]; ok {
		// The label of an option in another menu, typed.
		t.selectOption(r.menu, r.opt)
		return
	}
	if !t.asBot && t.namedCancel() { // "상담 취소" with no handoff open: not a miss
		t.nothingToCancel()
		return
	}
	if isThanks(t.normUtterance()) { // "감사합니다", "네 알겠어요": not a question, not a miss
		t.c.staticText(msgKey{kind: "text", a: "thanks"}, e.texts.Thanks)
		t.menuQuickReplies(cur)
		t.out.Record = TurnRecord{Kind: "thanks"}
		return
	}
	kw := e.keywords.verdict(t.reading()) // keywords.go
	if kw == keywordNow {
		t.escalate("", ReasonKeyword)
		return
	}
	d := faq.Decision{Kind: faq.NoMatch}
	if e.matcher != nil {
		d = e.matcher.Decide(u, cur.category)
	}
	switch {
	case d.Kind == faq.Answer && e.faqs[d.ID] != nil:
		t.answerFAQ(d.ID, d.Score)
		// An upset shopper, or one whose question names a human, keeps the
		// answer and sees 상담원 연결 first, or out of hours 메시지 남기기
		// instead (complaint.go).
		complaint := t.reading().complaint(e.keywords.complaints)
		switch {
		case complaint && t.answeredAfterHours(ReasonComplaintTicket):
			return
		case kw != noKeyword && !complaint && t.answeredAfterHours(ReasonKeywordTicket):
			return
		}
		t.c.agentTop = kw != noKeyword || complaint
		return
	case kw != noKeyword:
		t.escalate("", ReasonKeyword)
		return
	case d.Kind == faq.Clarify && t.clarify(d):
		return
	}
	if e.cfg.Welcome.Text != "" && isGreeting(t.normUtterance()) {
		// "안녕하세요" the FAQ has no entry for: greeted back with the
		// welcome text, not told it was not understood, and not a miss.
		t.c.staticText(msgKey{kind: "text", a: "greeting"}, e.cfg.Welcome.Text)
		t.menuQuickReplies(cur)
		t.out.Record = TurnRecord{Kind: "greeting"}
		return
	}
	t.conv.FAQMisses++
	if t.missesReached() {
		t.escalate("", ReasonFAQMisses)
		return
	}
	if t.complaintReply(cur, d.Score) { // "진짜 최악이네요": offer a human now (complaint.go)
		return
	}
	t.c.staticText(msgKey{kind: "text", a: "no_match"}, e.texts.NoMatch)
	t.menuQuickReplies(cur)
	t.out.Record = TurnRecord{Kind: "no_match", Score: d.Score}
}

func isTapTrigger(trigger string) bool {
	return strings.Contains(trigger, "BUTTON") || strings.Contains(trigger, "LIST")
}

func (t *turn) missesReached() bool {
	n := t.e.cfg.Escalation.FAQMisses
	return n > 0 && t.conv.FAQMisses >= n
}

func (t *turn) resetMisses() {
	t.conv.FAQMisses, t.conv.Clarify = 0, nil
}

func (t *turn) clarify(d faq.Decision) bool {
	var ids []string
	for _, id := range d.Candidates {
		if t.e.faqs[id] != nil && len(ids) < 3 {
			ids = append(ids, id)
		}
	}
	if len(ids) < 2 {
		return false
	}
	var b strings.Builder
	b.WriteString(t.e.texts.Clarify)
	for i, id := range ids {
		f := t.e.faqs[id]
		b.WriteString("\n")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(f.question)
		t.c.fixed(f.qrLabel, f.question, nodeFAQ, id)
	}
	t.c.text(b.String())
	t.conv.Clarify = ids
	t.c.home, t.c.agent = true, t.canEscalate()
	t.out.Record = TurnRecord{Kind: "clarify", Node: ids[0], Score: d.Score}
	return true
}

func (t *turn) notHelpful() {
	t.conv.FAQMisses++
	t.conv.Clarify = nil
	if t.missesReached() {
		t.escalate("", ReasonFAQMisses)
		return
	}
	t.c.staticText(msgKey{kind: "text", a: "not_helpful_reply"}, t.e.texts.NotHelpfulReply)
	t.menuQuickReplies(t.current())
	t.out.Record = TurnRecord{Kind: "not_helpful"}
}

// answerFAQ answers with FAQ id and its quick replies.
func (t *turn) answerFAQ(id string, score float64) {
	f := t.e.faqs[id]
	t.resetMisses()
	empty := len(t.c.msgs) == 0 && len(t.c.turn) == 0
	t.answerText(f.answer, f.link, id)
	t.c.fixed(t.e.texts.NotHelpful, "", nodeFAQ, optNotHelpful)
	t.c.home, t.c.agent, t.c.fillMain = true, t.canEscalate(), true
	t.c.staticAnswer(f.reply, empty)
	t.faqAnswered = true
	t.out.Record = TurnRecord{Kind: "faq", Node: id, Score: score}
}

// answerText adds an answer (at most two outputs): a card with the link
// button when it fits a card, else the text and a link card. faqID names a
// config FAQ answer ("" for an answer that came with the turn).
func (t *turn) answerText(answer string, link *configs.Link, faqID string) {
	text := func(k string, s string) {
		if faqID == "" {
			t.c.text(s)
			return
		}
		t.c.staticText(msgKey{kind: "faq", a: faqID, b: k}, s)
	}
	card := func(k string, desc string, btn Button) {
		if faqID == "" {
			t.c.card(desc, btn)
			return
		}
		t.c.staticCard(msgKey{kind: "faq", a: faqID, b: k}, desc, btn)
	}
	if link == nil || link.URL == "" {
		text("text", answer)
		return
	}
	label := link.Label
	if label == "" {
		label = t.e.texts.KnowledgeLink
	}
	btn := Button{Kind: ButtonLink, Label: label, URL: link.URL}
	if utf8.RuneCountInString(answer) <= maxCardRunes {
		card("card", answer, btn)
		return
	}
	text("text", answer)
	card("link", label, btn)
}

// ---- menus ----------------------------------------------------------------

// current is the menu the user is at.
func (t *turn) current() *menu {
	if n := len(t.conv.MenuPath); n > 0 {
		if m, ok := t.e.menus[t.conv.MenuPath[n-1]]; ok {
			return m
		}
	}
	return t.e.home
}

// enter makes m the current menu: truncating the path when m is on it,
// otherwise taking m's canonical path.
func (t *turn) enter(m *menu) {
	if m == t.e.home {
		t.conv.MenuPath = nil
		return
	}
	for i, id := range t.conv.MenuPath {
		if id == m.id {
			t.conv.MenuPath = t.conv.MenuPath[:i+1]
			return
		}
	}
	t.conv.MenuPath = append([]string(nil), m.path...)
}

func (t *turn) selectOption(m *menu, o *option) {
	t.resetMisses()
	t.enter(m)
	switch o.kind {
	case optGoto:
		next := t.e.menus[o.target]
		if t.in.Group && next != t.e.home && len(next.groupOptions) == 0 {
			// A menu of handoffs only (its label typed: the group list
			// leaves it out, groupOptions) offers nothing in a group.
			t.groupNoHandoff()
			return
		}
		switch {
		case next == t.e.home:
			t.conv.MenuPath = nil
		case next == m:
			// A goto to the menu shown ("다시 보기") is no new level:
			// 이전 from it still shows its parent.
		case len(t.conv.MenuPath) == 0:
			t.conv.MenuPath = []string{t.e.home.id, next.id} // one allocation, not two appends
		default:
			t.conv.MenuPath = append(t.conv.MenuPath, next.id)
		}
		t.showMenu(next, 0)
	case optFAQ:
		t.answerFAQ(o.target, 1)
		if m != t.e.home { // still in this menu: offer its options again
			t.menuPageQuickReplies(m, o.page)
		}
	case optHandoff:
		t.escalate(o.target, ReasonMenu)
	case optText:
		t.c.staticText(msgKey{kind: "opt", a: m.id, b: o.id}, o.target)
		t.showMenu(m, o.page)
		t.out.Record = TurnRecord{Kind: "text", Node: m.id + "/" + o.id}
	case optLink:
		t.c.staticCard(msgKey{kind: "link", a: m.id, b: o.id}, o.label, Button{Kind: ButtonLink, Label: o.label, URL: o.target})
		t.menuPageQuickReplies(m, o.page)
		t.out.Record = TurnRecord{Kind: "link", Node: m.id + "/" + o.id}
	case optBackKind:
		t.goBack()
	case optHomeKind:
		t.goHome()
	}
}

func (t *turn) goHome() {
	t.resetMisses()
	t.conv.MenuPath = nil
	t.showMenu(t.e.home, 0)
}

// goBack pops the current menu and shows its parent at the page holding
// the option that leads to the menu left, the page it was most likely
// picked from (menu_path keeps no pages).
func (t *turn) goBack() {
	t.resetMisses()
	left := ""
	if n := len(t.conv.MenuPath); n > 0 {
		left = t.conv.MenuPath[n-1]
		t.conv.MenuPath = t.conv.MenuPath[:n-1]
	}
	if len(t.conv.MenuPath) == 1 { // [home] alone is the main menu
		t.conv.MenuPath = nil
	}
	m := t.current()
	t.showMenu(m, m.gotoPage(left))
}

// showMenu sends menu m (page p) as a textCard with its options as quick
// replies; in group chats the options are numbered in the text instead.
func (t *turn) showMenu(m *menu, p int) {
	if t.in.Group {
		t.c.staticMsg(msgKey{kind: "group_menu", a: m.id}, m.groupMsg)
	} else {
		t.c.staticMsg(msgKey{kind: "menu", a: m.id}, m.msg)
	}
	t.c.turn = append(t.c.turn, qrItem{menu: m, page: p})
	t.navFor(m)
	if t.out.Record.Kind == "" {
		t.out.Record = TurnRecord{Kind: "menu", Node: m.id}
	}
}

// menuQuickReplies offers menu m's first page under another message.
func (t *turn) menuQuickReplies(m *menu) {
	t.menuPageQuickReplies(m, 0)
}

// menuPageQuickReplies offers page p of menu m under another message.
func (t *turn) menuPageQuickReplies(m *menu, p int) {
	t.c.turn = append(t.c.turn, qrItem{menu: m, page: p})
	t.navFor(m)
}

func (t *turn) navFor(m *menu) {
	t.c.home = t.c.home || m != t.e.home
	t.c.back = t.c.back || len(t.conv.MenuPath) > 2
	t.c.agent = t.c.agent || t.canEscalate()
	t.c.fillMain = true
}

func (t *turn) canEscalate() bool {
	return !t.in.Group && !t.asBot && t.conv.State == StateBot && t.e.cfg.Escalation.Queue != ""
}

// ---- escalation -----------------------------------------------------------

// groupNoHandoff answers a request for a human in a group chat, which never
// escalates: texts.group_no_handoff and the current menu.
func (t *turn) groupNoHandoff() {
	t.c.staticText(msgKey{kind: "text", a: "group_no_handoff"}, t.e.texts.GroupNoHandoff)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "group_no_handoff"}
}

// canOpen reports whether the turn has, or can mint, a handoff id.
func (t *turn) canOpen() bool { return t.in.NewHandoffID != "" || t.in.Minter != nil }

// handoffID returns the turn's new handoff id, minted on first use when
// Input.NewHandoffID is empty ("" when there is no Minter either).
func (t *turn) handoffID() string {
	if t.in.NewHandoffID == "" && t.in.Minter != nil {
		t.in.NewHandoffID = t.in.Minter.NewHandoffID(t.in.Now)
	}
	return t.in.NewHandoffID
}

// handoffCode returns the turn's new handoff code, minted on first use
// like handoffID.
func (t *turn) handoffCode() string {
	if t.in.NewHandoffCode == "" && t.in.Minter != nil {
		t.in.NewHandoffCode = t.in.Minter.NewHandoffCode()
	}
	return t.in.NewHandoffCode
}

// ticketID returns the turn's new ticket id, minted on first use like
// handoffID: only the turn that leaves a ticket makes one.
func (t *turn) ticketID() string {
	if t.in.NewTicketID == "" && t.in.Minter != nil {
		t.in.NewTicketID = t.in.Minter.NewTicketID(t.in.Now)
	}
	return t.in.NewTicketID
}

// escalate asks for a human on queue ("" = escalation.queue) for reason.
func (t *turn) escalate(queue, reason string) {
	e := t.e
	if t.asBot {
		return // the operator button is re-offered by the waiting reply
	}
	if t.in.Group {
		t.groupNoHandoff()
		return
	}
	if queue == "" {
		queue = e.cfg.Escalation.Queue
	}
	q := e.queues[queue]
	if q == nil || !t.canOpen() {
		// No queue to hand to, or no id to open a handoff with: the
		// stateless fallback with the operator button.
		t.c.staticCard(msgKey{kind: "text", a: "fallback_card"}, e.texts.Fallback, Button{Kind: ButtonOperator, Label: e.texts.FallbackButton})
		t.out.Record = TurnRecord{Kind: "handoff_unavailable", Escalate: reason}
		return
	}
	from := t.conv.State
	t.out.Record = TurnRecord{Kind: "handoff", Node: queue, Escalate: reason}
	if e.hours != nil {
		if open, next := e.hours.Open(queue, t.in.Now); !open {
			row := rowEscalateClosed
			if from == StateConfirm {
				row = rowConfirmClosed
			}
			if t.fire(row, reason) {
				t.conv.Queue, t.conv.Intake = queue, Intake{Reason: reason} // the ticket's origin
				t.afterHoursReply(next)
				t.out.Record.Kind = "after_hours"
			}
			return
		}
	}
	if e.full(queue) {
		// Over max_waiting: the ticket path instead of a long wait.
		row := rowEscalateClosed
		if from == StateConfirm {
			row = rowConfirmClosed
		}
		if t.fire(row, ReasonMaxWaiting) {
			t.conv.Queue, t.conv.Intake = queue, Intake{Reason: ReasonMaxWaiting} // the ticket's origin
			t.busyReply()
			t.out.Record.Kind = "busy"
		}
		return
	}
	if from == StateBot && e.cfg.Escalation.Confirm {
		if t.fire(rowAskConfirm, reason) {
			t.conv.Queue = queue
			t.holdPendingReason(reason)
			t.confirmReply(reason)
			t.out.Record.Kind = "confirm"
		}
		return
	}
	if len(q.intake) > 0 && !t.intakeDone {
		// Open, not full, confirmed: ask the queue's intake fields first.
		t.startHandoffIntake(queue, reason, from)
		return
	}
	row := rowEscalateOpen
	if from == StateConfirm {
		row = rowConfirmOpen
	}
	if !t.fire(row, reason) {
		return
	}
	var id, pref string
	if t.intakeDone {
		id, pref = t.intakeID, t.intakeContact // the id the intake answers were stored under
	} else {
		id = t.handoffID()
	}
	code := t.handoffCode()
	t.out.Open = &HandoffOpen{ID: id, Code: code, Queue: queue,
		Target: q.target, Reason: reason, MenuPath: append([]string(nil), t.conv.MenuPath...),
		FAQMisses: t.conv.FAQMisses, ContactPref: pref}
	t.conv.HandoffID, t.conv.Queue, t.conv.Clarify = id, queue, nil
	t.c.card(fill(e.texts.HandoffCard, "code", code),
		Button{Kind: ButtonOperator, Label: e.texts.HandoffButton})
	t.c.fixed(e.texts.Cancel, "", nodeWaiting, optCancel)
}

// tapEscalation reports whether tap tp asks for a human as it did when it
// was made (상담원 연결: the nav option, the reopen message's naming its
// queue, or a menu's handoff option), and on which queue.
func (t *turn) tapEscalation(tp *Tap) (queue string, ok bool) {
	switch {
	case tp.N == nodeNav:
		if q, named := strings.CutPrefix(tp.O, optAgent+":"); named {
			// The reopen message's (reopenAgentOption); a queue a reload
			// removed: escalation.queue.
			if t.e.queues[q] != nil {
				queue = q
			}
		} else if tp.O != optAgent {
			return "", false
		}
	default:
		m := t.e.menus[tp.N]
		if m == nil {
			return "", false
		}
		o := m.byID[tp.O]
		if o == nil || o.kind != optHandoff {
			return "", false
		}
		queue = o.target
	}
	if queue == "" {
		queue = t.e.cfg.Escalation.Queue
	}
	return queue, true
}

func (t *turn) confirmReply(reason string) {
	t.c.staticText(msgKey{kind: "text", a: "confirm_question"}, t.e.texts.ConfirmQuestion)
	t.c.fixed(t.e.texts.ConfirmYes, "", nodeConfirm, optYes+":"+reason)
	t.c.fixed(t.e.texts.ConfirmNo, "", nodeConfirm, optNo)
}

func (t *turn) afterHoursReply(next time.Time) {
	e := t.e
	tx := e.textsFor(t.conv.Queue) // {hours}: the queue's
	if next.IsZero() {
		t.c.staticText(msgKey{kind: "text", a: "after_hours_unknown", b: t.conv.Queue}, tx.AfterHoursUnknown)
	} else {
		t.c.text(fill(tx.AfterHours, "next", e.nextText(t.conv.Queue, t.in.Now, next)))
	}
	t.c.fixed(e.texts.LeaveMessage, "", nodeAfterHours, optLeave)
	if t.in.IsFriend && !e.noReopen && !next.IsZero() {
		// No next opening (none within the hours' lookahead, or closed
		// until further notice): a reopen notice would be a promise the
		// hours do not back, so none is offered.
		t.c.fixed(e.texts.NotifyOnOpen, "", nodeAfterHours, optNotify)
	}
	t.c.home, t.c.fillMain, t.c.noHandoff = true, true, true
}

// ---- confirm --------------------------------------------------------------

func (t *turn) inConfirm(kind InputKind) {
	e := t.e
	if t.conv.Intake.Step == IntakeField {
		t.inHandoffIntake(typedText(kind))
		return
	}
	yes, no, reason := false, false, t.pendingReason()
	if tp := t.in.Tap; kind == InputTap {
		if t.stale(tp) {
			t.c.staticText(msgKey{kind: "text", a: "stale_tap"}, e.texts.StaleTap)
			t.confirmReply(reason)
			t.out.Record = TurnRecord{Kind: "stale", Node: nodeConfirm}
			return
		}
		if q, ok := t.tapEscalation(tp); ok && q == t.conv.Queue {
			// The request the question asks about, tapped again (a fast
			// double tap of 상담원 연결): the question again.
			t.confirmReply(reason)
			t.out.Record = TurnRecord{Kind: "confirm", Node: nodeConfirm}
			return
		}
		switch tp.N {
		case nodeConfirm:
			if r, ok := strings.CutPrefix(tp.O, optYes+":"); ok {
				yes, reason = true, r
			} else if tp.O == optYes {
				yes = true
			}
			no = tp.O == optNo
		case nodeWaiting:
			no = tp.O == optCancel // 상담 취소 declines, as typed (below)
		}
	} else if kind == InputText {
		if e.pardon(t.in.Utterance) { // "네?" asks back: the question again (pardon.go)
			t.confirmReply(reason)
			t.out.Record = TurnRecord{Kind: "confirm", Node: nodeConfirm}
			return
		}
		u, n := t.in.Utterance, t.normUtterance()
		yes, no = e.yesWords[n], e.noWords[n]
		if !yes && !no {
			yes, no = confirmAnswer(u) // "네 부탁드려요", "아뇨 괜찮아요", "아니요 취소할게요"
		}
		if k, ok := pickNumber(u); ok && !yes && !no {
			// The question's quick replies typed by number: "１", "2번"
			// (as "1" and "2", yesWords and noWords).
			yes, no = k == 1, k == 2
		}
		if !yes && !no {
			// "취소", "상담 취소": a cancel declines the question, as it
			// cancels a wait or an intake.
			no = e.cancelTyped(u, n) || cancelAnswer(u)
		}
	}
	switch {
	case yes:
		queue := t.conv.Queue
		if e.queues[queue] == nil {
			// A reload removed the queue the question was asked for: the
			// request goes to escalation.queue, as a handoff intake's
			// (resumeIntake) and a ticket's (leaveFromBot) do.
			queue = ""
		}
		t.escalate(queue, reason)
	case no:
		t.fire(rowConfirmNo, "declined")
		t.conv.Queue, t.conv.FAQMisses = "", 0
		t.showMenu(t.current(), 0)
	default:
		// Anything else: leave confirm and handle the turn as the bot.
		t.fire(rowConfirmIgnored, "ignored")
		t.conv.Queue = ""
		t.inBot(kind)
	}
}

// ---- waiting --------------------------------------------------------------

func (t *turn) inWaiting(kind InputKind) {
	e := t.e
	q := e.queues[t.conv.Queue]
	dealer := q != nil && q.dealer // the dealer is told of a cancel
	if q == nil {
		// A queue the config no longer has: kakao.consultation still
		// says where the operator button leads, so a one_on_one user is
		// answered as the bot with the button re-offered (lostQueue).
		q = e.lostQueue
	}
	switch {
	case t.isCancel(kind):
		t.userCancel(rowCancel, dealer)
		return
	case kind == InputReturned:
		t.fire(rowEnded, EventEnded)
		t.closeHandoff(EventEnded, false)
		t.returned()
		return
	}
	if q.dealer {
		t.fire(rowStatus, "status")
		t.statusReply()
		return
	}
	if kind == InputWelcome {
		// Welcome rule 5: the status, never a reset. Kakao runs the
		// welcome block when the user opens the chat room again; they
		// said nothing, so it is no return after return_gap either.
		t.fire(rowOneOnOne, "one_on_one")
		t.reofferReply()
		t.out.Record = TurnRecord{Kind: "status"}
		return
	}
	if q.returnGap > 0 && t.in.Now.Sub(t.conv.StateSince) > q.returnGap {
		t.fire(rowNotConnected, "not_connected")
		t.closeHandoff("not_connected", false)
		t.c.staticText(msgKey{kind: "text", a: "not_connected"}, e.texts.NotConnected)
		t.inBot(kind)
		return
	}
	t.fire(rowOneOnOne, "one_on_one")
	if tp := t.in.Tap; kind == InputTap && (t.stale(tp) || tp.N == nodeConfirm) {
		// A stale tap, or the confirm question's tapped again (a double
		// tap of 네, 연결해 주세요): the re-offer alone.
		t.reofferReply()
		t.out.Record = TurnRecord{Kind: "status"}
		return
	}
	// Answer as the bot, then re-offer the operator button.
	t.asBot = true
	t.inBot(kind)
	t.reofferReply()
}

// userCancel cancels the open handoff at the user's word (row rowCancel
// while waiting, rowCancelAccepted when an agent took it as the user
// cancelled): closed with reason user_cancel, the dealer told when
// notifyDealer, texts.cancelled and the current menu; no CSAT question.
func (t *turn) userCancel(row string, notifyDealer bool) {
	t.fire(row, "user_cancel")
	t.closeHandoff("user_cancel", notifyDealer)
	t.c.staticText(msgKey{kind: "text", a: "cancelled"}, t.e.texts.Cancelled)
	t.showMenu(t.current(), 0)
	t.out.Record = TurnRecord{Kind: "cancel"}
}

func (t *turn) isCancel(kind InputKind) bool {
	if kind == InputTap {
		tp := t.in.Tap
		return !t.stale(tp) && tp.N == nodeWaiting && tp.O == optCancel
	}
	// While waiting, "취소" in words means the wait ("상담 취소해주세요").
	return kind == InputText && (t.e.cancelTyped(t.in.Utterance, t.normUtterance()) || cancelAnswer(t.in.Utterance))
}

func (t *turn) closeHandoff(reason string, notifyDealer bool) {
	t.out.Close = &HandoffClose{ID: t.conv.HandoffID, Reason: reason, NotifyDealer: notifyDealer}
	t.conv.HandoffID, t.conv.Queue = "", ""
	t.resetMisses()
}

// statusReply is the dealer queue status with 상담 취소.
func (t *turn) statusReply() {
	e := t.e
	switch {
	case t.in.DealerFailed:
		t.c.text(fill(e.texts.WaitingDealerFailure, "code", t.in.HandoffCode))
	case t.in.PositionKnown:
		t.c.text(fill(e.texts.WaitingStatus, "position", strconv.Itoa(t.in.QueueWaiting+1),
			"eta", t.etaText(), "code", t.in.HandoffCode))
	default:
		t.c.text(fill(e.texts.WaitingStatusUnknown, "code", t.in.HandoffCode))
	}
	t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{label: e.texts.Cancel, node: nodeWaiting, opt: optCancel}})
	t.out.Record = TurnRecord{Kind: "status", Node: t.conv.Queue}
}

// reofferReply re-offers the operator button (one_on_one) with 상담 취소.
func (t *turn) reofferReply() {
	e := t.e
	t.c.card(fill(e.texts.WaitingOneOnOne, "code", t.in.HandoffCode),
		Button{Kind: ButtonOperator, Label: e.texts.HandoffButton})
	t.c.lead = append(t.c.lead, qrItem{fixed: fixedQR{label: e.texts.Cancel, node: nodeWaiting, opt: optCancel}})
	if t.out.Record.Kind == "" {
		t.out.Record = TurnRecord{Kind: "status", Node: t.conv.Queue}
	}
}

// ---- human ----------------------------------------------------------------

func (t *turn) inHuman(kind InputKind) {
	if t.in.DealerFailed {
		// The handoff is no longer its dealer's: neither the user's turn
		// nor the dealer's return block ends it (humanElsewhere).
		t.humanElsewhere(kind)
		return
	}
	if t.cancelAccepted(kind) {
		q := t.e.queues[t.conv.Queue]
		t.userCancel(rowCancelAccepted, q != nil && q.dealer)
		return
	}
	ended := t.conv.HandoffID // the session the CSAT question is about
	if kind == InputReturned {
		t.fire(rowEnded, EventEnded)
		t.closeHandoff(EventEnded, false)
		t.returned()
		t.askCSAT(ended)
		return
	}
	// Kakao routes to the bot only once the human side let go.
	t.fire(rowReturned, "returned_via_kakao")
	t.closeHandoff("returned_via_kakao", false)
	t.inBot(kind)
	t.c.fillMain = true
	t.askCSAT(ended)
}

// cancelAccepted reports whether a turn in human cancels the handoff: the
// waiting reply's 상담 취소 (this config version), or a cancel typed that
// names the handoff ("상담 취소", "대기 취소할게요": namedCancel). It
// came as an agent took the handoff (the accept committed first), so no
// session took place: the user cancelled, and is not asked to rate one.
func (t *turn) cancelAccepted(kind InputKind) bool {
	switch kind {
	case InputTap:
		tp := t.in.Tap
		return !t.stale(tp) && tp.N == nodeWaiting && tp.O == optCancel
	case InputText:
		return t.namedCancel()
	}
	return false
}

// ReasonHumanElsewhere is the reason recorded on the turn of a user whose
// failed-over handoff an agent accepted (human → human): the agent works
// it outside the chat.
const ReasonHumanElsewhere = "dealer_failed"

// humanElsewhere answers a user turn while an agent holds a handoff the
// router failed over from its dealer (Input.DealerFailed). The agent took it
// from the notify sinks and works it outside this chat (the ticket, a call,
// a text, a 1:1 chat they open), so Kakao still routes the user to the bot:
// the turn is no return from a human, and the handoff stays open until the
// agent's end link (or the admin API, or the idle timer) ends it. The turn
// is answered as the bot, asking for a human being a no-op as while waiting
// on a one_on_one queue, under texts.human_dealer_failure.
func (t *turn) humanElsewhere(kind InputKind) {
	t.fire(rowHumanElsewhere, ReasonHumanElsewhere)
	t.asBot = true
	if kind == InputReturned {
		// The return block (a dealer's end-with-bot) is about a session
		// the dealer never had: no "상담이 종료되었어요"; the line below
		// and the main menu answer it.
		t.conv.MenuPath, t.conv.Clarify = nil, nil
	} else {
		t.inBot(kind)
	}
	t.c.noHandoff = true // the main menu's handoff entries would ask again
	switch line := strings.TrimSpace(fill(t.e.texts.HumanDealerFailure, "code", t.in.HandoffCode)); {
	case line == "":
	case len(t.c.msgs) == 0:
		// Nothing but a request for a human: the line answers it.
		t.c.text(line)
		t.c.home, t.c.fillMain = true, true
	default:
		if t.c.notice != "" {
			line += "\n\n" + t.c.notice
		}
		t.c.notice, t.c.noticeKey = line, ""
	}
	if t.out.Record.Kind == "" {
		t.out.Record = TurnRecord{Kind: "status", Node: t.conv.Queue}
	}
}

// ---- after hours ----------------------------------------------------------

func (t *turn) inAfterHours(kind InputKind) {
	e := t.e
	if t.conv.Intake.Step != "" && t.inIntake(typedText(kind)) {
		return
	}
	leave, notify := false, false
	if tp := t.in.Tap; kind == InputTap && !t.stale(tp) && tp.N == nodeAfterHours {
		leave, notify = isLeave(tp.O), tp.O == optNotify
	} else if kind == InputText {
		n := t.normUtterance()
		leave, notify = e.leaveTyped(n), n == e.norm.notify
	}
	switch {
	case leave:
		t.startIntake()
	case notify && t.in.IsFriend && !e.noReopen && e.reopens(t.conv.Queue, t.in.Now):
		t.fire(rowNotifyOnOpen, EventNotifyOnOpen)
		t.c.staticText(msgKey{kind: "text", a: "notify_scheduled", b: t.conv.Queue}, e.textsFor(t.conv.Queue).NotifyScheduled)
		t.menuQuickReplies(e.home)
		t.out.Record = TurnRecord{Kind: "notify", Node: t.conv.Queue}
	default:
		reason := "user_turn"
		if kind == InputTap || kind == InputMapped {
			reason = EventMenuTap
		}
		t.fire(rowLeaveAfter, reason)
		t.conv.Queue, t.conv.Intake = "", Intake{}
		if notify { // not a friend (the hint), no reopen can be sent, or the queue never opens: the menu
			if !t.in.IsFriend {
				t.c.text(e.texts.AddChannelHint)
			}
			t.showMenu(t.current(), 0)
			return
		}
		t.inBot(kind)
	}
}

// smallInt is strconv.Atoi for inputs of at most three bytes ("1", "10",
// "+2"), without Atoi's error allocation on the free text most turns carry.
func smallInt(u string) (int, bool) {
	if len(u) == 0 || len(u) > 3 {
		return 0, false
	}
	digits, neg := u, false
	if u[0] == '+' || u[0] == '-' {
		digits, neg = u[1:], u[0] == '-'
	}
	if digits == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
