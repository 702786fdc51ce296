package handoff

import (
	"context"
	"errors"
)

// round delivers and polls once (Run). A panic in either is recovered
// (recovered), logged once with its stack, and left to the next round;
// after one, a send it interrupted mid-call is marked unknown as Recover
// does after a restart (its log line names the panic instead): Kakao may
// have accepted it, so it is never resent.
func (d *EventDeliverer) round(ctx context.Context) {
	steps := []struct {
		what string
		fn   func() error
	}{
		{"eventapi: deliver", func() error { _, err := d.DeliverOnce(ctx); return err }},
		{"eventapi: poll tasks", func() error { return d.PollOnce(ctx) }},
	}
	for _, step := range steps {
		err := recovered(d.log, step.fn)
		switch {
		case errors.Is(err, errPanicked):
			if rerr := d.recoverSends(ctx, interruptedByPanic); rerr != nil && ctx.Err() == nil {
				d.log.Error("eventapi: recover after a panic", "err", rerr)
			}
		case err != nil && ctx.Err() == nil:
			d.log.Error(step.what, "err", err)
		}
	}
}
