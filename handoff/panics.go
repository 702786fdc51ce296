package handoff

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
)

// errPanicked marks a failed attempt that was a panic, recovered by the
// worker processing the message (recovered): the message takes the normal
// retry path, and a router_poison ticket of one that always panics says so.
var errPanicked = errors.New("panicked")

// recovered runs fn and returns its error; a panic in fn is recovered and
// returned as an error wrapping errPanicked, after one ERROR log line on log
// with the stack. Neither the log nor the error carries the message's
// payload: a panic value other than a runtime error (a nil map, an index
// out of range) is named by its type only, as it may hold personal data.
func recovered(log *slog.Logger, fn func() error) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		err = fmt.Errorf("%w: %s", errPanicked, panicValue(p))
		log.Error("panic while processing a message; it counts as a failed attempt", "err", err, "stack", string(debug.Stack()))
	}()
	return fn()
}

// panicValue describes a recovered panic value without its contents unless
// it is a runtime error, whose text the runtime wrote.
func panicValue(p any) string {
	if re, ok := p.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("a panic of type %T", p)
}
