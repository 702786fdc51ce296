package handoff

import (
	"fmt"

	"github.com/nats-io/nats.go"
)

// streamCreatedAdvisory is the subject on which JetStream announces that the
// BATON stream was created (the server's stream-created advisory).
const streamCreatedAdvisory = "$JS.EVENT.ADVISORY.STREAM.CREATED." + StreamName

// WatchStreamCreated calls created each time the server nc is connected to
// announces that the BATON stream was created: by the router, the timers or
// the relay when they find it missing (a JetStream store lost while Baton
// runs), or by an operator. A stream that already existed and was only
// updated is not announced. created runs on nc's delivery goroutine and
// must return quickly. The advisory is a core NATS message: one created
// while nc was disconnected is missed (nc subscribes again on reconnect,
// before anything else it sends, so not one that Baton itself creates
// then). It returns the subscription (Unsubscribe stops the watch), or the
// error of subscribing; a server that refuses this connection the
// $JS.EVENT advisories reports it to nc's asynchronous error handler only.
func WatchStreamCreated(nc *nats.Conn, created func()) (*nats.Subscription, error) {
	sub, err := nc.Subscribe(streamCreatedAdvisory, func(*nats.Msg) { created() })
	if err != nil {
		return nil, fmt.Errorf("handoff: watch stream %s: %w", StreamName, err)
	}
	return sub, nil
}
