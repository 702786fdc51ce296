package skill

import (
	"time"

	"github.com/baton-chat/baton/store"
)

// MinETASamples is how many recent acceptances a queue needs before Baton
// shows an ETA; with fewer the status says texts.eta_unknown ("확인 중").
const MinETASamples = 3

// EstimateWait is the waiting ETA of the user at position (1 = next) in a
// dealer queue, from the queue's recent acceptances (store.AcceptStats: the
// median wait of its last 20 acceptances within 24 h, and the sessions its
// agents hold now).
//
// The model is deliberately simple: the agents serve k = max(1, Serving)
// users in parallel and each place in line has lately taken about the
// median wait to be served, so positions 1..k wait about one median,
// positions k+1..2k two, and so on:
//
//	ETA = median × ceil(position / k)
//
// ok is false (no estimate) with fewer than MinETASamples acceptances.
func EstimateWait(st store.AcceptStats, position int) (eta time.Duration, ok bool) {
	if st.Samples < MinETASamples || position < 1 || st.Median <= 0 {
		return 0, false
	}
	k := max(1, st.Serving)
	rounds := (position + k - 1) / k
	return st.Median * time.Duration(rounds), true
}
