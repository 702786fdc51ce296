package fsm

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	lfsm "github.com/looplab/fsm"
)

// looplabFire runs row name on a looplab machine built from lc's definition
// in state s, the way turns did before the table: it returns the state
// after, the logged transitions and whether the row was refused.
func looplabFire(lc *lifecycle, s State, name, reason string) (State, []Transition, bool) {
	log := &turnLog{}
	f := lfsm.NewFSM(string(s), lc.events, lc.callbacks)
	err := f.Event(context.Background(), name, log, reason)
	var nt lfsm.NoTransitionError
	refused := err != nil && !errors.As(err, &nt)
	return State(f.Current()), log.transitions, refused
}

// TestTableMatchesLooplab fires every row (and an unknown one) in every
// state, once and then twice in a row, on the compiled table and on the
// looplab machine, and wants the same states, logs and refusals.
func TestTableMatchesLooplab(t *testing.T) {
	lc, err := newLifecycle()
	if err != nil {
		t.Fatal(err)
	}
	if len(allStates) != len(tableRow{}.from) {
		t.Fatalf("got %d states, want %d: resize tableRow.from", len(allStates), len(tableRow{}.from))
	}
	names := []string{"no_such_row"}
	for _, r := range lifecycleRows {
		names = append(names, r.name)
	}
	for _, s := range allStates {
		for _, first := range names {
			for _, second := range names {
				wantLog := &turnLog{}
				ws, wl, wr := looplabFire(lc, s, first, "r1")
				wantLog.transitions = wl
				ws2, wl2, wr2 := looplabFire(lc, ws, second, "r2")
				wantLog.transitions = append(wantLog.transitions, wl2...)

				got := &turnLog{}
				m := lc.machine(s, got)
				gr := m.fire(first, "r1") != nil
				gs := m.state()
				gr2 := m.fire(second, "r2") != nil
				if gr != wr || gs != ws || gr2 != wr2 || m.state() != ws2 {
					t.Fatalf("%s then %s from %s: got refused %v/%v, states %s/%s; want %v/%v, %s/%s",
						first, second, s, gr, gr2, gs, m.state(), wr, wr2, ws, ws2)
				}
				if diff := cmp.Diff(wantLog.transitions, got.transitions); diff != "" {
					t.Fatalf("%s then %s from %s: log (-looplab +table):\n%s", first, second, s, diff)
				}
			}
		}
	}
}

// TestTableRefusalIsErrNoTransition keeps Apply's documented error.
func TestTableRefusalIsErrNoTransition(t *testing.T) {
	lc, err := newLifecycle()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{rowAccepted, "no_such_row"} {
		if err := lc.machine(StateBot, &turnLog{}).fire(name, ""); !errors.Is(err, ErrNoTransition) {
			t.Errorf("%s from bot: got %v, want ErrNoTransition", name, err)
		}
	}
}
