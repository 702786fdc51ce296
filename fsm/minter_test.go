package fsm

import (
	"strings"
	"testing"
	"time"
)

// countingMinter mints numbered ids and codes and counts the calls.
type countingMinter struct {
	ids, codes, tickets int
	at                  time.Time
}

func (m *countingMinter) NewTicketID(now time.Time) string {
	m.tickets++
	m.at = now
	return "t-minted"
}

func (m *countingMinter) NewHandoffID(now time.Time) string {
	m.ids++
	m.at = now
	return "h-minted"
}

func (m *countingMinter) NewHandoffCode() string {
	m.codes++
	return "M1N7"
}

// TestMinterOnlyWhenUsed: with Input.Minter and no pre-made id or code, a
// turn that opens no handoff mints nothing; the turn that opens one mints
// one id (at the turn's time) and one code, and uses them.
func TestMinterOnlyWhenUsed(t *testing.T) {
	e := newEngine(t, testConfig(), Options{})
	m := &countingMinter{}
	minting := func(in Input) Input {
		in.NewHandoffID, in.NewHandoffCode, in.Minter = "", "", m
		return in
	}
	c := welcomedBot()
	for _, in := range []Input{
		minting(tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateBot})),
		minting(text("배송비 얼마에요")),
	} {
		o := e.Step(c, in)
		if o.Open != nil {
			t.Fatalf("got a handoff opened by %q", in.Utterance)
		}
		c = o.Conversation
	}
	if m.ids != 0 || m.codes != 0 {
		t.Fatalf("got %d ids and %d codes minted on turns without a handoff, want none", m.ids, m.codes)
	}

	o := e.Step(c, minting(text("상담원")))
	if o.Open == nil {
		t.Fatalf("got record %+v, want a handoff opened", o.Record)
	}
	if m.ids != 1 || m.codes != 1 || !m.at.Equal(t0) {
		t.Errorf("got %d ids (at %v) and %d codes, want one each at the turn's time", m.ids, m.at, m.codes)
	}
	if o.Open.ID != "h-minted" || o.Open.Code != "M1N7" || o.Conversation.HandoffID != "h-minted" {
		t.Errorf("got open %+v, conversation handoff %q, want the minted id and code", o.Open, o.Conversation.HandoffID)
	}
	if got := o.Reply.Messages[0].Card; got == nil || !strings.Contains(got.Description, "M1N7") {
		t.Errorf("got %+v, want the handoff card with the minted code", o.Reply.Messages[0])
	}
}

// TestMinterTicketOnlyWhenLeft: out of hours, the turns of a stay in
// after_hours that leave no ticket — the after-hours reply's menu tap, the
// 메시지 남기기 that opens the intake — mint no ticket id (they used to
// get one each, made before the engine ran); the turn that leaves the
// ticket mints one id, at the turn's time, and one code, and uses them.
func TestMinterTicketOnlyWhenLeft(t *testing.T) {
	e := newEngine(t, testConfig(), Options{Hours: hoursStub{closed: map[string]bool{"general": true}, next: t0.Add(time.Hour)}})
	m := &countingMinter{}
	minting := func(in Input) Input {
		in.NewHandoffID, in.NewHandoffCode, in.NewTicketID, in.Minter = "", "", "", m
		in.Masked = in.Utterance
		return in
	}
	step := func(c Conversation, in Input, want State) Conversation {
		t.Helper()
		o := e.Step(c, minting(in))
		if o.Conversation.State != want {
			t.Fatalf("%q: got state %s (record %+v), want %s", in.Utterance, o.Conversation.State, o.Record, want)
		}
		if o.Ticket != nil {
			t.Fatalf("%q: got ticket %+v, want none", in.Utterance, o.Ticket)
		}
		return o.Conversation
	}
	c := step(welcomedBot(), text("상담원"), StateAfterHours)
	c = step(c, tapIn("주문/배송", Tap{V: "v1", N: "main", O: "ship", S: StateAfterHours}), StateBot)
	c = step(c, text("상담원"), StateAfterHours)
	c = step(c, text("메시지 남기기"), StateAfterHours)
	if m.tickets != 0 || m.ids != 0 || m.codes != 0 {
		t.Fatalf("got %d ticket ids, %d handoff ids and %d codes minted on turns that left no ticket, want none", m.tickets, m.ids, m.codes)
	}
	o := e.Step(c, minting(text("환불 문의예요")))
	if o.Ticket == nil {
		t.Fatalf("got record %+v, want a ticket left", o.Record)
	}
	if m.tickets != 1 || m.codes != 1 || m.ids != 0 || !m.at.Equal(t0) {
		t.Errorf("got %d ticket ids (at %v), %d codes, %d handoff ids; want one ticket id at the turn's time, one code, no handoff id",
			m.tickets, m.at, m.codes, m.ids)
	}
	if o.Ticket.ID != "t-minted" || o.Ticket.Code != "M1N7" {
		t.Errorf("got ticket %+v, want the minted id and code", o.Ticket)
	}
}
