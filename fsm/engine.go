package fsm

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// Hours tells whether a queue takes handoffs at t and, when it does not,
// when it opens next (zero when unknown), in the time zone of the queue's
// hours (오늘/내일 are judged there). The handoff package implements it
// from the config's hours and holidays; the engine only asks.
type Hours interface {
	Open(queue string, t time.Time) (open bool, next time.Time)
}

// Options are the engine's optional dependencies.
type Options struct {
	// Hours decides whether a queue is open; nil means always open.
	Hours Hours
	// Capacity counts waiting handoffs for max_waiting; nil means no limit.
	Capacity Capacity
	// NoReopen says that no reopen message can be sent (the Event API is
	// off, or has no reopen event): after hours, 열리면 알려주세요
	// (notify_on_open) is then neither offered nor accepted. false means it
	// is offered to friends of the channel.
	NoReopen bool
	// NoTicketReply says that no agent's answer to a ticket can reach the
	// user in the chat (no ticket_reply Event API message can be sent): the
	// texts that promise one are replaced by their _no_reply variants
	// (no_reply.go).
	NoTicketReply bool
}

// queueInfo is a compiled handoff queue.
type queueInfo struct {
	name, target string
	dealer       bool
	// returnGap is the one_on_one return gap when it applies (shorter than
	// the queue's wait timeout); 0 when it does not.
	returnGap time.Duration
	// intake is asked before the handoff opens (handoff_intake.go).
	intake []intakeField
}

// Engine steps conversations for one config version. It is immutable after
// New and safe for concurrent use.
type Engine struct {
	cfg      *configs.Config
	version  string
	matcher  faq.Matcher
	hours    Hours
	capacity Capacity
	noReopen bool // Options.NoReopen
	noReply  bool // Options.NoTicketReply
	lc       *lifecycle
	menus    map[string]*menu
	home     *menu
	labels   map[string]labelRef // every menu's options by normalised label (indexLabels)
	faqs     map[string]*faqEntry
	texts    configs.Texts
	// byQueue are texts with {hours} filled with each queue's hours, when
	// a text quotes them (textsFor, hours_text.go).
	byQueue map[string]*configs.Texts
	notice  string // privacy notice with {retention.turns}, {retention.tickets}, {retention.contacts} filled
	queues  map[string]*queueInfo
	// lostQueue stands in for a queue a conversation waits on that the
	// config no longer has (a restart with the queue renamed): its target
	// kind is the one kakao.consultation sends the operator button to, and
	// its return gap the notify one (compileQueues).
	lostQueue *queueInfo
	// keywords are the escalation keywords and complaint phrases, folded
	// (keywords.go).
	keywords keywordSet

	welcomeBlocks  map[string]bool
	fallbackBlocks map[string]bool // only to tell a named block from an unknown one (Outcome.EmptyText)
	returnedBlocks map[string]bool
	eventBlocks    map[string]bool
	mapped         map[string]configs.BlockAction

	staticQRs map[staticQRKey][]QuickReply
	// buttonTaps is the tap stamped on a card button that has none, per
	// button kind and state (stateIndex), precompiled by New. Taps are
	// never changed once made, so every reply may share them.
	buttonTaps map[ButtonKind][]*Tap

	// Pre-normalised typed commands.
	cancelWords, yesWords, noWords map[string]bool
	// norm holds the normalised texts typed commands are compared with.
	norm normTexts
}

// normTexts are texts folded once per config (configs.Fold).
type normTexts struct {
	home, back, more, notHelpful, leave, notify, ticketCancel, contactSkip, intakeSkip, cancel string
}

// New compiles cfg into an Engine: the menu graph (with 더보기 paging for
// menus over 10 options), the FAQ lookup, block classification tables and the
// escalation keywords, and it validates the lifecycle machine. m may be nil
// (no FAQ). It returns an error naming the first problem found in cfg
// (unknown menu, FAQ or queue references, duplicate or reserved ids, no
// menus).
func New(cfg *configs.Config, m faq.Matcher, opts Options) (*Engine, error) {
	if cfg == nil {
		return nil, fmt.Errorf("fsm: nil config")
	}
	lc, err := newLifecycle()
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, version: cfg.Version, matcher: m, hours: opts.Hours, capacity: opts.Capacity, noReopen: opts.NoReopen, lc: lc,
		texts: withDefaultTexts(cfg.Texts)}
	e.keepPromises(opts.NoTicketReply)
	hours := cfg.HoursFills(e.texts) // {hours}, in the words of texts.hours_*: hours_text.go
	e.fillHoursTexts(hours)
	e.faqs = make(map[string]*faqEntry, len(cfg.FAQ))
	for _, f := range cfg.FAQ {
		if f.ID == "" {
			return nil, fmt.Errorf("fsm: faq entry with empty id")
		}
		if _, dup := e.faqs[f.ID]; dup {
			return nil, fmt.Errorf("fsm: duplicate faq id %q", f.ID)
		}
		e.faqs[f.ID] = &faqEntry{id: f.ID, question: strings.TrimSpace(f.Question),
			answer: fill(strings.TrimSpace(f.Answer), hours...), qrLabel: truncateLabel(f.Question), link: f.Link,
			folded: configs.Fold(f.Question), reply: "faq/" + f.ID}
	}
	if err := e.compileQueues(); err != nil {
		return nil, err
	}
	home := cfg.Welcome.Menu
	if home == "" {
		home = "main"
	}
	cfgCopy := *cfg
	cfgCopy.Texts = e.texts
	cfgCopy.Menus = filledMenus(cfg.Menus, hours)
	if e.menus, err = compileMenus(&cfgCopy, e.version, home, e.faqs); err != nil {
		return nil, err
	}
	e.home = e.menus[home]
	e.labels = indexLabels(e.menus)
	e.compileStaticQRs()
	e.compileButtonTaps()
	if err := e.compileBlocks(); err != nil {
		return nil, err
	}
	e.keywords = newKeywordSet(cfg.Escalation.Keywords, cfg.Escalation.Complaints)
	e.notice = fill(e.texts.PrivacyNotice, "retention.turns", koreanDuration(cfg.Retention.Turns.D()),
		"retention.tickets", koreanDuration(cfg.Retention.Tickets.D()), "retention.contacts", koreanDuration(cfg.Retention.Contacts.D()))
	e.cancelWords = wordSet(e.texts.Cancel, "취소", "상담취소", "대기취소", "그만")
	e.yesWords = wordSet(e.texts.ConfirmYes, "네", "예", "응", "좋아요", "yes", "ok", "연결해주세요", "1")
	e.noWords = wordSet(e.texts.ConfirmNo, "아니요", "아니오", "아뇨", "아니", "괜찮아요", "no", "2")
	tx := &e.texts
	e.norm = normTexts{home: configs.Fold(tx.Home), back: configs.Fold(tx.Back), more: configs.Fold(tx.More), notHelpful: configs.Fold(tx.NotHelpful),
		leave: configs.Fold(tx.LeaveMessage), notify: configs.Fold(tx.NotifyOnOpen),
		ticketCancel: configs.Fold(tx.TicketCancel), contactSkip: configs.Fold(tx.ContactSkip),
		intakeSkip: configs.Fold(tx.IntakeSkip), cancel: configs.Fold(tx.Cancel)}
	return e, nil
}

// Version returns the config version the engine was built from.
func (e *Engine) Version() string { return e.version }

// Hours returns the opening hours the engine checks escalations against (nil
// = always open), so timers use the same calendar.
func (e *Engine) Hours() Hours { return e.hours }

func (e *Engine) compileQueues() error {
	cfg := e.cfg
	var err error
	e.queues = make(map[string]*queueInfo, len(cfg.Handoff.Queues))
	for name, q := range cfg.Handoff.Queues {
		qi := &queueInfo{name: name, target: q.Target, dealer: strings.HasPrefix(q.Target, "dealer:")}
		if !qi.dealer {
			qi.returnGap = e.returnGap(q.WaitTimeout.D())
		}
		if qi.intake, err = compileIntake(e, q.Intake); err != nil {
			return fmt.Errorf("fsm: queue %q intake: %w", name, err)
		}
		e.queues[name] = qi
	}
	if q := cfg.Escalation.Queue; q != "" {
		if _, ok := e.queues[q]; !ok {
			return fmt.Errorf("fsm: escalation queue %q is not defined", q)
		}
	}
	e.lostQueue = &queueInfo{dealer: cfg.Kakao.Consultation != configs.ConsultationOneOnOne}
	if !e.lostQueue.dealer {
		e.lostQueue.returnGap = e.returnGap(0)
	}
	return nil
}

// returnGap is the one_on_one return gap of a queue whose own wait timeout
// is wait (0 = handoff.wait_timeout.notify): handoff.return_gap when it is
// shorter than the wait timeout, else 0.
func (e *Engine) returnGap(wait time.Duration) time.Duration {
	h := e.cfg.Handoff
	if wait == 0 {
		wait = h.WaitTimeout.Notify.D()
	}
	if gap := h.ReturnGap.D(); gap > 0 && (wait == 0 || gap < wait) {
		return gap
	}
	return 0
}

func (e *Engine) compileBlocks() error {
	b := e.cfg.Blocks
	e.welcomeBlocks = stringSet(b.Welcome)
	e.returnedBlocks = stringSet(b.Returned)
	e.fallbackBlocks = stringSet(b.Fallback)
	e.eventBlocks = make(map[string]bool, len(e.cfg.EventAPI.Events))
	for _, name := range e.cfg.EventAPI.Events {
		e.eventBlocks[name] = true
	}
	e.mapped = make(map[string]configs.BlockAction, len(b.Map))
	for key, a := range b.Map {
		switch {
		case a.Goto != "":
			if _, ok := e.menus[a.Goto]; !ok {
				return fmt.Errorf("fsm: blocks.map %q: goto unknown menu %q", key, a.Goto)
			}
		case a.FAQ != "":
			if _, ok := e.faqs[a.FAQ]; !ok {
				return fmt.Errorf("fsm: blocks.map %q: unknown faq %q", key, a.FAQ)
			}
		case a.Handoff != "":
			if _, ok := e.queues[a.Handoff]; !ok {
				return fmt.Errorf("fsm: blocks.map %q: unknown queue %q", key, a.Handoff)
			}
		default:
			return fmt.Errorf("fsm: blocks.map %q: no action", key)
		}
		e.mapped[key] = a
	}
	return nil
}

// withDefaultTexts fills every empty string field of t from DefaultTexts, so
// the engine never sends an empty bubble whatever the config leaves out.
func withDefaultTexts(t configs.Texts) configs.Texts {
	def := configs.DefaultTexts()
	v := reflect.ValueOf(&t).Elem()
	d := reflect.ValueOf(def)
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
			f.SetString(d.Field(i).String())
		}
	}
	return t
}

func stringSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		if x != "" {
			m[x] = true
		}
	}
	return m
}

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		if n := configs.Fold(w); n != "" {
			m[n] = true
		}
	}
	return m
}

// Classify decides what kind of turn in is, by block id or name first (never
// by an empty utterance), then by Baton's tap extra, then by a 지식+ match;
// everything else is free text.
func (e *Engine) Classify(in Input) InputKind {
	has := func(set map[string]bool) bool {
		return (in.BlockID != "" && set[in.BlockID]) || (in.BlockName != "" && set[in.BlockName])
	}
	switch {
	case has(e.returnedBlocks):
		return InputReturned
	case has(e.welcomeBlocks):
		return InputWelcome
	case has(e.eventBlocks):
		return InputEvent
	}
	if _, ok := e.mappedAction(in); ok {
		return InputMapped
	}
	// A tap on Baton's own control wins over a 지식+ match: the quick reply's
	// label is sent as an utterance, which 지식+ may match too (spec §2.6).
	if in.Tap != nil {
		return InputTap
	}
	if len(in.Knowledge) > 0 {
		return InputKnowledge
	}
	return InputText
}

func (e *Engine) mappedAction(in Input) (configs.BlockAction, bool) {
	if in.BlockID != "" {
		if a, ok := e.mapped[in.BlockID]; ok {
			return a, true
		}
	}
	if in.BlockName != "" {
		if a, ok := e.mapped[in.BlockName]; ok {
			return a, true
		}
	}
	return configs.BlockAction{}, false
}

// Apply steps the lifecycle for an event that does not come from a user turn:
// "accepted" (waiting → human), "ended" (human or waiting → bot),
// "wait_timeout" (waiting → bot, handoff closed), "ticket_left" and
// "notify_on_open" (after_hours → bot), "cancel" (waiting → bot), "expire"
// (after_hours → bot, the queue of the stay forgotten). reason is
// recorded on the transition (the event name when empty). The reply is
// silent. It returns an error wrapping ErrUnknownEvent for an event it does
// not know and ErrNoTransition when the event is not allowed in c's state.
func (e *Engine) Apply(c Conversation, ev string, now time.Time, reason string) (Outcome, error) {
	name, ok := map[string]string{
		EventAccepted: rowAccepted, EventEnded: rowEnded, EventWaitTimeout: rowWaitTimeout,
		EventTicketLeft: rowTicketLeft, EventNotifyOnOpen: rowNotifyOnOpen, EventCancel: rowCancel,
		EventExpire: rowExpire,
	}[ev]
	if !ok {
		return Outcome{}, fmt.Errorf("fsm: apply %q: %w", ev, ErrUnknownEvent)
	}
	if reason == "" {
		reason = ev
	}
	if !isState(c.State) {
		c.State = StateBot
	}
	log := &turnLog{}
	m := e.lc.machine(c.State, log)
	if err := m.fire(name, reason); err != nil {
		return Outcome{}, fmt.Errorf("fsm: apply %s: %w", ev, err) // no user key: errors are logged
	}
	out := Outcome{Reply: Reply{Silent: true}, Record: TurnRecord{Kind: "event", Node: ev}}
	c.MenuPath = append([]string(nil), c.MenuPath...)
	c.State, c.StateSince = m.state(), now
	switch ev {
	case EventWaitTimeout, EventCancel:
		q := e.queues[c.Queue]
		out.Close = &HandoffClose{ID: c.HandoffID, Reason: reason, NotifyDealer: q != nil && q.dealer}
	case EventEnded:
		out.Close = &HandoffClose{ID: c.HandoffID, Reason: reason}
	case EventExpire:
		c.Queue = ""
	}
	if out.Close != nil {
		c.HandoffID, c.Queue, c.FAQMisses = "", "", 0
	}
	out.Conversation = c
	out.Transitions = log.transitions
	return out, nil
}
