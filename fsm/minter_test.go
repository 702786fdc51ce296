package fsm

import (
	"strings"
	"testing"
	"time"
)

// countingMinter mints numbered ids and codes and counts the calls.
type countingMinter struct {
	ids, codes int
	at         time.Time
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
