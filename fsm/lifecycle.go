package fsm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	lfsm "github.com/looplab/fsm"
)

// ErrNoTransition is returned (wrapped) by Engine.Apply when the event is not
// allowed in the conversation's current state.
var ErrNoTransition = errors.New("fsm: no transition")

// ErrUnknownEvent is returned (wrapped) by Engine.Apply for an event name the
// lifecycle does not define.
var ErrUnknownEvent = errors.New("fsm: unknown event")

// Lifecycle event names as recorded in Transition.Event. They follow the
// event column of DESIGN §5.
const (
	EventEscalate     = "escalate"
	EventConfirmYes   = "confirm_yes"
	EventConfirmNo    = "confirm_no"
	EventUserTurn     = "user_turn"
	EventAccepted     = "accepted"
	EventCancel       = "cancel"
	EventWaitTimeout  = "wait_timeout"
	EventEnded        = "ended"
	EventTicketLeft   = "ticket_left"
	EventNotifyOnOpen = "notify_on_open"
	EventMenuTap      = "menu_tap"
	// EventExpire ends a stay in after_hours that nobody ended (the queue
	// opened, or the user went quiet): back to bot, silently.
	EventExpire = "expire"
)

// ReasonAfterHoursExpired is the reason an after_hours timer records when it
// moves the conversation back to bot.
const ReasonAfterHoursExpired = "after_hours_expired"

// ReasonDealerSession is the reason of an EventAccepted that a 상담톡
// dealer's session.started brings (an agent's accept link has another).
// Such an accept yields to the router's failover of the handoff from that
// dealer (store.HandoffAccept ByDealer).
const ReasonDealerSession = "session.started"

// IsDealerEnd reports whether reason is that of an EventEnded a 상담톡
// dealer's session.ended brings: "ended", or "ended:<end_type>". Such an
// end yields to the router's failover as the accept does (store.HandoffEnd
// ByDealer).
func IsDealerEnd(reason string) bool {
	return reason == EventEnded || strings.HasPrefix(reason, EventEnded+":")
}

// row is one row of the DESIGN §5 transition table. name is the looplab
// event (unique per row, because looplab maps (event, src) to a single dst
// while the table's events branch on guards such as "queue open"); event is
// the table's event name recorded in Transition.Event.
type row struct {
	name  string
	event string
	src   []State
	dst   State
}

// Looplab event names, one per table row.
const (
	rowAskConfirm     = "escalate_confirm"
	rowEscalateOpen   = "escalate_open"
	rowEscalateClosed = "escalate_closed"
	rowConfirmOpen    = "confirm_yes_open"
	rowConfirmClosed  = "confirm_yes_closed"
	rowConfirmNo      = "confirm_no"
	rowConfirmIgnored = "confirm_ignored"
	rowStatus         = "waiting_status"
	rowOneOnOne       = "waiting_one_on_one"
	rowNotConnected   = "not_connected"
	rowAccepted       = "accepted"
	rowCancel         = "cancel"
	rowCancelAccepted = "cancel_accepted"
	rowWaitTimeout    = "wait_timeout"
	rowReturned       = "returned_via_kakao"
	rowHumanElsewhere = "human_elsewhere"
	rowEnded          = "ended"
	rowTicketLeft     = "ticket_left"
	rowNotifyOnOpen   = "notify_on_open"
	rowLeaveAfter     = "leave_after_hours"
	rowExpire         = "after_hours_expired"
)

// lifecycleRows is the DESIGN §5 table. confirm_ignored (a confirm question
// answered with something else) is the one row the table leaves implicit: the
// turn is handled by the bot rather than trapping the user in confirm.
var lifecycleRows = []row{
	{rowAskConfirm, EventEscalate, []State{StateBot}, StateConfirm},
	{rowEscalateOpen, EventEscalate, []State{StateBot}, StateWaiting},
	{rowEscalateClosed, EventEscalate, []State{StateBot}, StateAfterHours},
	{rowConfirmOpen, EventConfirmYes, []State{StateConfirm}, StateWaiting},
	{rowConfirmClosed, EventConfirmYes, []State{StateConfirm}, StateAfterHours},
	{rowConfirmNo, EventConfirmNo, []State{StateConfirm}, StateBot},
	{rowConfirmIgnored, EventUserTurn, []State{StateConfirm}, StateBot},
	{rowStatus, EventUserTurn, []State{StateWaiting}, StateWaiting},
	{rowOneOnOne, EventUserTurn, []State{StateWaiting}, StateWaiting},
	{rowNotConnected, EventUserTurn, []State{StateWaiting}, StateBot},
	{rowAccepted, EventAccepted, []State{StateWaiting}, StateHuman},
	{rowCancel, EventCancel, []State{StateWaiting}, StateBot},
	// 상담 취소 that reaches the bot just after an agent took the handoff
	// (the accept committed first): the user cancelled, no session took
	// place. Only a user turn fires it (Apply's cancel stays waiting's).
	{rowCancelAccepted, EventCancel, []State{StateHuman}, StateBot},
	{rowWaitTimeout, EventWaitTimeout, []State{StateWaiting}, StateBot},
	{rowReturned, EventUserTurn, []State{StateHuman}, StateBot},
	{rowHumanElsewhere, EventUserTurn, []State{StateHuman}, StateHuman},
	{rowEnded, EventEnded, []State{StateHuman, StateWaiting}, StateBot},
	{rowTicketLeft, EventTicketLeft, []State{StateAfterHours}, StateBot},
	{rowNotifyOnOpen, EventNotifyOnOpen, []State{StateAfterHours}, StateBot},
	{rowLeaveAfter, EventMenuTap, []State{StateAfterHours}, StateBot},
	{rowExpire, EventExpire, []State{StateAfterHours}, StateBot},
}

var allStates = []State{StateBot, StateConfirm, StateWaiting, StateHuman, StateAfterHours}

// turnLog is passed to every looplab event as its first argument; the
// after_event callback appends the transition to it. It is the only thing
// callbacks touch, so they stay pure.
type turnLog struct {
	transitions []Transition
}

// lifecycle is the validated, immutable definition of the looplab machine
// and its compiled transition table; per-turn machines use the table.
type lifecycle struct {
	events    lfsm.Events
	callbacks lfsm.Callbacks
	rows      map[string]row // by looplab name
	// table is the definition compiled for per-turn machines (compile).
	table map[string]*tableRow
}

func newLifecycle() (*lifecycle, error) {
	lc := &lifecycle{rows: make(map[string]row, len(lifecycleRows))}
	for _, r := range lifecycleRows {
		if _, dup := lc.rows[r.name]; dup {
			return nil, fmt.Errorf("fsm: lifecycle: duplicate event %q", r.name)
		}
		lc.rows[r.name] = r
		src := make([]string, len(r.src))
		for i, s := range r.src {
			src[i] = string(s)
		}
		lc.events = append(lc.events, lfsm.EventDesc{Name: r.name, Src: src, Dst: string(r.dst)})
	}
	lc.callbacks = lfsm.Callbacks{
		// after_event runs for real moves and for self-transitions (the
		// waiting status rows), after looplab has released its event lock;
		// it only appends to the turn's log.
		"after_event": func(_ context.Context, e *lfsm.Event) {
			if len(e.Args) < 2 {
				return
			}
			log, ok := e.Args[0].(*turnLog)
			if !ok {
				return
			}
			reason, _ := e.Args[1].(string)
			log.transitions = append(log.transitions, Transition{
				From: State(e.Src), To: State(e.Dst), Event: lc.rows[e.Event].event, Reason: reason,
			})
		},
	}
	if err := lc.validate(); err != nil {
		return nil, err
	}
	lc.compile()
	return lc, nil
}

// validate checks every state and callback key against the machine, because
// looplab silently ignores callback keys that name no event or state.
func (lc *lifecycle) validate() error {
	states := make(map[string]bool)
	events := make(map[string]bool)
	for _, ev := range lc.events {
		events[ev.Name] = true
		states[ev.Dst] = true
		for _, s := range ev.Src {
			states[s] = true
		}
	}
	for _, s := range allStates {
		if !states[string(s)] {
			return fmt.Errorf("fsm: lifecycle: state %q has no transition", s)
		}
	}
	for s := range states {
		if !isState(State(s)) {
			return fmt.Errorf("fsm: lifecycle: unknown state %q", s)
		}
	}
	for key := range lc.callbacks {
		if !validCallbackKey(key, events, states) {
			return fmt.Errorf("fsm: lifecycle: callback %q names no event or state", key)
		}
	}
	// A machine built from the definition must accept every row from each
	// of its sources.
	for _, r := range lifecycleRows {
		for _, s := range r.src {
			if !lfsm.NewFSM(string(s), lc.events, lc.callbacks).Can(r.name) {
				return fmt.Errorf("fsm: lifecycle: %q not allowed from %q", r.name, s)
			}
		}
	}
	return nil
}

func validCallbackKey(key string, events, states map[string]bool) bool {
	for _, p := range []struct {
		prefix string
		all    string
		set    map[string]bool
	}{
		{"before_", "event", events}, {"after_", "event", events},
		{"leave_", "state", states}, {"enter_", "state", states},
	} {
		if t, ok := strings.CutPrefix(key, p.prefix); ok {
			return t == p.all || p.set[t]
		}
	}
	return events[key] || states[key]
}

func isState(s State) bool {
	for _, st := range allStates {
		if s == st {
			return true
		}
	}
	return false
}

// machine is one turn's lifecycle position plus its log. It steps through
// lc.table, which New compiled from the looplab definition, so a turn builds
// no looplab machine (no maps, no callbacks, no locks); the looplab machine
// stays the definition and the judge (TestTableMatchesLooplab).
type machine struct {
	lc  *lifecycle
	cur State
	log *turnLog
}

func (lc *lifecycle) machine(s State, log *turnLog) *machine {
	return &machine{lc: lc, cur: s, log: log}
}

// fire runs one row. A self-transition (looplab's NoTransitionError) is a
// success: the row is still logged.
func (m *machine) fire(name, reason string) error {
	r, ok := m.lc.table[name]
	if !ok {
		return fmt.Errorf("fsm: %s from %s: %w (event %s does not exist)", name, m.cur, ErrNoTransition, name)
	}
	if i := stateIndex(m.cur); !isState(m.cur) || !r.from[i] {
		return fmt.Errorf("fsm: %s from %s: %w (event %s inappropriate in current state %s)", name, m.cur, ErrNoTransition, name, m.cur)
	}
	m.log.transitions = append(m.log.transitions, Transition{From: m.cur, To: r.dst, Event: r.event, Reason: reason})
	m.cur = r.dst
	return nil
}

func (m *machine) state() State { return m.cur }

// tableRow is a row compiled for the per-turn machine: from[stateIndex(s)]
// says whether the looplab machine accepts the row in state s.
type tableRow struct {
	row
	from [5]bool
}

// compile fills lc.table by asking a looplab machine built from the
// definition, in every state, whether it accepts each row.
func (lc *lifecycle) compile() {
	lc.table = make(map[string]*tableRow, len(lifecycleRows))
	for _, r := range lifecycleRows {
		tr := &tableRow{row: r}
		for _, s := range allStates {
			tr.from[stateIndex(s)] = lfsm.NewFSM(string(s), lc.events, lc.callbacks).Can(r.name)
		}
		lc.table[r.name] = tr
	}
}
