package handoff_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/store"
)

// raceStore is the real store with one hook: a function run once, at a
// chosen call, before (or after) the real call — the interleaving of a
// concurrent writer (the router, a timer, the user's turn) that a loaded
// machine produces at random.
type raceStore struct {
	*store.DB
	mu              sync.Mutex
	afterDealerFail func()
	beforeSetAgent  func()
}

func (s *raceStore) DealerFailed(ctx context.Context, id string) (bool, error) {
	failed, err := s.DB.DealerFailed(ctx, id)
	s.mu.Lock()
	f := s.afterDealerFail
	s.afterDealerFail = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return failed, err
}

func (s *raceStore) SetHandoffAgent(ctx context.Context, id string, a store.Agent) (bool, error) {
	s.mu.Lock()
	f := s.beforeSetAgent
	s.beforeSetAgent = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return s.DB.SetHandoffAgent(ctx, id, a)
}

// newRaceEnv is newDealerEnv with the dealer events reading a raceStore.
func newRaceEnv(t *testing.T) (*dealerEnv, *raceStore) {
	t.Helper()
	var rs *raceStore
	e := newDealerEnvWith(t, func(db *store.DB) handoff.DealerEventStore {
		rs = &raceStore{DB: db}
		return rs
	})
	return e, rs
}

// failOver records the router's final failure of hid (what Router.request
// does through failDealerOver).
func failOverNow(t *testing.T, db *store.DB, hid string) {
	t.Helper()
	failed, err := db.FailDealerOver(context.Background(), store.Ticket{HandoffID: hid, Reason: handoff.TicketReasonDealerFailed,
		Detail: "dealer happytalk: status 503"}, "dealer:happytalk:failed", time.Now())
	if err != nil || !failed {
		t.Fatalf("fail over: failed %v, err %v", failed, err)
	}
}

// TestDealerEndedRacingFailoverIgnored: docs/dealer-contract.md §2.3: once
// Baton has failed a handoff over, every event the dealer sends about it —
// session.ended included — is answered ignored and changes nothing, also
// when the router's failover lands between the event's failedOver check and
// its commit (store.HandoffEnd.ByDealer, as the accept). Before, such an end
// was applied and took the handoff from the agents who owned it.
func TestDealerEndedRacingFailoverIgnored(t *testing.T) {
	e, rs := newRaceEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	rs.afterDealerFail = func() { failOverNow(t, e.db, hid) }
	code, out := e.send(t, map[string]any{"id": "ev-end", "type": "session.ended", "handoff_id": hid, "end_type": "agent"})
	h := e.handoff(t, hid)
	if code != 200 || out != status("ignored") || !h.EndedAt.IsZero() {
		t.Fatalf("session.ended racing the failover: got %d %s, handoff ended %v (reason %q), state %s; "+
			"want 200 ignored and the failed-over handoff still open for the agents",
			code, out, !h.EndedAt.IsZero(), h.EndReason, e.conv(t, "u1").State)
	}
}

// TestDealerStartedRacingFailoverRecordsNoAgent: docs/dealer-contract.md
// §2.3: a session.started on a failed-over handoff is ignored and "your
// agent is not recorded", also with the failover committed just after
// failedOver's check: the agent is written in the accept's own transaction.
// Before, it was recorded first, and the agents' handoff showed the
// dealer's agent holding it.
func TestDealerStartedRacingFailoverRecordsNoAgent(t *testing.T) {
	e, rs := newRaceEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	rs.afterDealerFail = func() { failOverNow(t, e.db, hid) }
	code, out := e.send(t, map[string]any{"id": "ev-start", "type": "session.started", "handoff_id": hid,
		"agent": map[string]any{"id": "a-7", "name": "김상담"}})
	if code != 200 || out != status("ignored") {
		t.Fatalf("got %d %s, want 200 ignored", code, out)
	}
	if a, ok, err := e.db.HandoffAgent(context.Background(), hid); err != nil || ok {
		t.Fatalf("got agent %+v recorded (%v, err %v) on a handoff failed over to the agents; want none", a, ok, err)
	}
}

// TestDealerAgentAfterConcurrentEndNotRecorded: docs/dealer-contract.md
// §3.2: an event about a handoff that has already ended changes nothing,
// its agent included, "so a handoff nobody took before it ended never shows
// an agent" — also when the wait timeout (or the user's cancel) commits
// between the event's read of the handoff and its agent write, which is now
// conditional on the handoff being open. Before, it wrote unconditionally.
func TestDealerAgentAfterConcurrentEndNotRecorded(t *testing.T) {
	e, rs := newRaceEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	rs.beforeSetAgent = func() {
		if _, err := e.app.Apply(context.Background(), "u1", fsm.EventWaitTimeout, "wait_timeout"); err != nil {
			t.Errorf("wait timeout: %v", err)
		}
	}
	code, out := e.send(t, map[string]any{"id": "ev-agent", "type": "agent.assigned", "handoff_id": hid,
		"agent": map[string]any{"id": "a-9", "name": "이상담"}})
	h := e.handoff(t, hid)
	if h.EndedAt.IsZero() {
		t.Fatalf("setup: the wait timeout did not end the handoff")
	}
	if a, ok, err := e.db.HandoffAgent(context.Background(), hid); err != nil || ok {
		t.Fatalf("answer %d %s; got agent %+v recorded (%v, err %v) on a handoff that ended (%s) unaccepted; want none",
			code, out, a, ok, err, h.EndReason)
	}
}

// TestDealerEventAtLowercaseRFC3339: docs/dealer-contract.md §3: "at" is
// informative, and only "a value that is not RFC 3339 makes the body
// malformed". RFC 3339 §5.6 allows a lower case "t" and "z", which Baton
// accepts (time.Time's decoder refused them: 400, and the user never moved
// to human).
func TestDealerEventAtLowercaseRFC3339(t *testing.T) {
	e := newDealerEnv(t)
	hid := e.seed(t, "u1", fsm.StateWaiting, "vip", "dealer:happytalk")
	body, _ := json.Marshal(map[string]any{"version": 1, "id": "ev-z", "type": "session.started", "handoff_id": hid,
		"at": time.Now().UTC().Format("2006-01-02t15:04:05z")})
	code, out := e.post(t, "happytalk", eventSecret, time.Now(), body)
	if code != 200 || out != status("applied") {
		t.Fatalf("session.started with an RFC 3339 at in lower case: got %d %s, want 200 applied", code, out)
	}
}

// TestEventAPIDevBotIDSentAsIs: docs/kakao-skill-protocol.md §6: the Event
// API endpoint is POST /v2/bots/{botId}/talk, a development channel's bot id
// ending in "!", sent as is ("Use {botId}! (trailing !)"). url.PathEscape
// alone percent-encodes "!", a sub-delim RFC 3986 §2.2 does not make equal
// to its encoding: the request line said /v2/bots/…%21/talk.
func TestEventAPIDevBotIDSentAsIs(t *testing.T) {
	var mu sync.Mutex
	var uris []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		uris = append(uris, r.RequestURI)
		mu.Unlock()
		_, _ = w.Write([]byte(`{"taskId":"t-1","status":"SUCCESS"}`))
	}))
	defer srv.Close()
	c := handoff.NewEventAPIClient(srv.URL, "key")
	_, err := c.Talk(context.Background(), "5ae9b76d7409b11ec845b746!", handoff.EventRequest{
		Event: handoff.EventName{Name: "ticket_reply"}, User: []handoff.EventUser{{Type: "botUserKey", ID: "u1"}}})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(uris) != 1 || uris[0] != "/v2/bots/5ae9b76d7409b11ec845b746!/talk" {
		t.Fatalf("got request URI %v, want /v2/bots/5ae9b76d7409b11ec845b746!/talk", uris)
	}
}
