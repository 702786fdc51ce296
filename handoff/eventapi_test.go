package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/internal/testlog"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// kakaoRecorder is a loopback stand-in for bot-api.kakao.com's Event API:
// it records every request and answers talk calls with a task id and task
// polls with the status the test sets.
type kakaoRecorder struct {
	srv *httptest.Server

	mu         sync.Mutex
	talks      []recordedTalk
	polls      []string // task ids polled
	talkStatus int      // HTTP status for talk calls; 0 = 200
	task       func(id string, users int) string
	tasks      map[string]int // task id -> users in the call
}

type recordedTalk struct {
	Method, Path, Auth, ContentType string
	Raw                             []byte
	Body                            EventRequest
	At                              time.Time
}

func newKakaoRecorder(t testing.TB) *kakaoRecorder {
	t.Helper()
	r := &kakaoRecorder{tasks: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *kakaoRecorder) serve(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.HasPrefix(req.URL.Path, "/v1/tasks/") {
		id := strings.TrimPrefix(req.URL.Path, "/v1/tasks/")
		r.polls = append(r.polls, id)
		if req.Header.Get("Authorization") != "KakaoAK test-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		body := `{"taskId":"` + id + `","status":"PROCESSING"}`
		if r.task != nil {
			body = r.task(id, r.tasks[id])
		}
		_, _ = io.WriteString(w, body)
		return
	}
	rec := recordedTalk{Method: req.Method, Path: req.URL.Path, Auth: req.Header.Get("Authorization"),
		ContentType: req.Header.Get("Content-Type"), Raw: raw, At: time.Now()}
	_ = json.Unmarshal(raw, &rec.Body)
	r.talks = append(r.talks, rec)
	if r.talkStatus != 0 {
		w.WriteHeader(r.talkStatus)
		return
	}
	id := fmt.Sprintf("task-%d", len(r.talks))
	r.tasks[id] = len(rec.Body.User)
	_, _ = fmt.Fprintf(w, `{"taskId":%q,"status":"SUCCESS","timestamp":1728382106745}`, id)
}

func (r *kakaoRecorder) gotTalks() []recordedTalk {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedTalk(nil), r.talks...)
}

func (r *kakaoRecorder) set(fn func()) { r.mu.Lock(); fn(); r.mu.Unlock() }

// eventUser stores a user as a turn would: bot id as sent, friend and test flags.
func eventUser(t testing.TB, db *store.DB, key, bot string, friend, test bool) {
	t.Helper()
	now := time.Now()
	w := &store.TurnWrite{
		User: store.User{Key: key, BotID: bot, IsFriend: friend, Test: test, FirstSeen: now, LastSeen: now},
		Conv: fsm.Conversation{UserKey: key, State: fsm.StateBot},
	}
	if err := db.Commit(context.Background(), w); err != nil {
		t.Fatal(err)
	}
}

func notify(t testing.TB, db *store.DB, key, kind, ref string) string {
	t.Helper()
	n := &store.Notification{UserKey: key, Kind: kind, Ref: ref}
	if err := db.AddNotification(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func testEventConfig() configs.EventAPI {
	return configs.EventAPI{
		RestAPIKey:     "test-key",
		Events:         map[string]string{"reopen": "상담 재개 알림", "ticket_reply": "문의 답변", "csat": "상담 만족도"},
		DailyBudgetWon: 30000,
		WonPerMessage:  15,
		CallsPerSecond: 1000,
	}
}

func newTestDeliverer(t testing.TB, db *store.DB, rec *kakaoRecorder, cfg configs.EventAPI) *EventDeliverer {
	t.Helper()
	d := NewEventDeliverer(db, NewEventAPIClient(rec.srv.URL, cfg.RestAPIKey), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.PollEvery = 0
	return d
}

func notificationStatus(t testing.TB, db *store.DB, id string) (string, string) {
	t.Helper()
	n, ok, err := db.Notification(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("notification %s: found %v, %v", id, ok, err)
	}
	return n.Status, n.Detail
}

func TestEventDelivererSendsOnlyToFriendsPerBotAndEvent(t *testing.T) {
	t.Parallel()
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	eventUser(t, db, "friend-1", "bot1", true, false)
	eventUser(t, db, "friend-2", "bot1", true, false)
	eventUser(t, db, "friend-3", "bot2", true, false)
	eventUser(t, db, "stranger", "bot1", false, false)
	eventUser(t, db, "tester", "bot1!", true, true)
	n1 := notify(t, db, "friend-1", store.NotifyReopen, "")
	n2 := notify(t, db, "friend-2", store.NotifyReopen, "")
	n3 := notify(t, db, "friend-1", store.NotifyTicketReply, "T1")
	n4 := notify(t, db, "friend-3", store.NotifyReopen, "")
	nStranger := notify(t, db, "stranger", store.NotifyReopen, "")
	nTester := notify(t, db, "tester", store.NotifyReopen, "")
	nNoEvent := notify(t, db, "friend-2", store.NotifyWaitTimeout, "H1") // no wait_timeout event configured
	old := &store.Notification{UserKey: "friend-3", Kind: store.NotifyCSAT, Ref: "H0", CreatedAt: time.Now().Add(-48 * time.Hour)}
	if err := db.AddNotification(context.Background(), old); err != nil {
		t.Fatal(err)
	}

	d := newTestDeliverer(t, db, rec, testEventConfig())
	sent, err := d.DeliverOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sent != 4 {
		t.Fatalf("got %d sent, want 4", sent)
	}
	talks := rec.gotTalks()
	type call struct {
		Path, Event string
		Users       []string
	}
	var got []call
	for _, tk := range talks {
		if tk.Method != http.MethodPost || tk.Auth != "KakaoAK test-key" || tk.ContentType != "application/json" {
			t.Fatalf("got %s with Authorization %q and Content-Type %q, want POST, KakaoAK test-key, application/json", tk.Method, tk.Auth, tk.ContentType)
		}
		var shape map[string]json.RawMessage
		if err := json.Unmarshal(tk.Raw, &shape); err != nil {
			t.Fatal(err)
		}
		if len(shape) != 3 || shape["event"] == nil || shape["user"] == nil || shape["params"] == nil {
			t.Fatalf("got body keys %s, want exactly event, user, params", tk.Raw)
		}
		if len(tk.Body.Params) != 1 || tk.Body.Params[EventParam] == "" {
			t.Fatalf("got params %v, want only %s", tk.Body.Params, EventParam)
		}
		c := call{Path: tk.Path, Event: tk.Body.Event.Name}
		for _, u := range tk.Body.User {
			if u.Type != "botUserKey" {
				t.Fatalf("got user type %q, want botUserKey", u.Type)
			}
			c.Users = append(c.Users, u.ID)
		}
		got = append(got, c)
	}
	want := []call{
		{"/v2/bots/bot1/talk", "상담 재개 알림", []string{"friend-1", "friend-2"}},
		{"/v2/bots/bot1/talk", "문의 답변", []string{"friend-1"}},
		{"/v2/bots/bot2/talk", "상담 재개 알림", []string{"friend-3"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	for _, id := range []string{n1, n2, n3, n4} {
		if st, _ := notificationStatus(t, db, id); st != store.NotificationSent {
			t.Fatalf("notification %s: got %s, want sent", id, st)
		}
	}
	for id, want := range map[string]string{nStranger: SkipNotFriend, nTester: SkipTest, nNoEvent: SkipNoEvent, old.ID: SkipTooOld} {
		if st, detail := notificationStatus(t, db, id); st != store.NotificationSkipped || detail != want {
			t.Fatalf("notification %s: got %s (%s), want skipped (%s)", id, st, detail, want)
		}
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("skipped")); got != 4 {
		t.Fatalf("got %v skipped, want 4", got)
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("sent")); got != 4 {
		t.Fatalf("got %v sent, want 4", got)
	}
	// Nothing is sent twice.
	if sent, err := d.DeliverOnce(ctx); err != nil || sent != 0 || len(rec.gotTalks()) != 3 {
		t.Fatalf("second round: got %d sent, %d calls (%v), want 0 and still 3", sent, len(rec.gotTalks()), err)
	}
}

func TestEventDelivererNothingReachesKakaoForStrangersAndTesters(t *testing.T) {
	t.Parallel()
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	eventUser(t, db, "stranger", "bot1", false, false)
	eventUser(t, db, "tester", "bot1!", true, true)
	for _, u := range []string{"stranger", "tester"} {
		for _, k := range []string{store.NotifyReopen, store.NotifyTicketReply, store.NotifyCSAT} {
			notify(t, db, u, k, "")
		}
	}
	d := newTestDeliverer(t, db, rec, testEventConfig())
	if _, err := d.DeliverOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.gotTalks()); n != 0 {
		t.Fatalf("the recorder got %d calls, want none", n)
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("skipped")); got != 6 {
		t.Fatalf("got %v skipped, want 6", got)
	}
}

func TestEventDelivererAtMost100DistinctUsersPerCall(t *testing.T) {
	t.Parallel()
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	for i := range 230 {
		key := fmt.Sprintf("u%03d", i)
		eventUser(t, db, key, "bot1", true, false)
		notify(t, db, key, store.NotifyReopen, "")
	}
	// A second message for the same user waits for a later call.
	notify(t, db, "u000", store.NotifyReopen, "")
	d := newTestDeliverer(t, db, rec, testEventConfig())
	if _, err := d.DeliverOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, tk := range rec.gotTalks() {
		seen := map[string]bool{}
		for _, u := range tk.Body.User {
			if seen[u.ID] {
				t.Fatalf("user %s twice in one call", u.ID)
			}
			seen[u.ID] = true
		}
		sizes = append(sizes, len(tk.Body.User))
	}
	if diff := cmp.Diff([]int{100, 100, 30}, sizes); diff != "" {
		t.Fatalf("users per call (-want +got):\n%s", diff)
	}
	if _, err := d.DeliverOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if talks := rec.gotTalks(); len(talks) != 4 || len(talks[3].Body.User) != 1 || talks[3].Body.User[0].ID != "u000" {
		t.Fatalf("got %d calls, want a 4th with u000's second message", len(talks))
	}
}

func TestEventDelivererDailyBudget(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	cfg := testEventConfig()
	cfg.DailyBudgetWon = 45 // three messages at 15원
	var ids []string
	for i := range 5 {
		key := fmt.Sprintf("b%d", i)
		eventUser(t, db, key, "bot1", true, false)
		ids = append(ids, notify(t, db, key, store.NotifyReopen, ""))
	}
	d := newTestDeliverer(t, db, rec, cfg)
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	talks := rec.gotTalks()
	if len(talks) != 1 || len(talks[0].Body.User) != 3 {
		t.Fatalf("got %d calls, want one with 3 users", len(talks))
	}
	for _, id := range ids[3:] {
		if st, detail := notificationStatus(t, db, id); st != store.NotificationSkipped || detail != SkipBudget {
			t.Fatalf("got %s (%s), want skipped over budget", st, detail)
		}
	}
	// The reservation holds the budget even though nothing is confirmed yet.
	eventUser(t, db, "late", "bot1", true, false)
	late := notify(t, db, "late", store.NotifyReopen, "")
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.gotTalks()); n != 1 {
		t.Fatalf("over budget: the recorder got %d calls, want still 1", n)
	}
	if st, _ := notificationStatus(t, db, late); st != store.NotificationSkipped {
		t.Fatalf("got %s, want skipped", st)
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("skipped")); got != 3 {
		t.Fatalf("got %v skipped, want 3", got)
	}
}

func TestEventSpendCountedOnTaskSuccess(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	var ids []string
	for _, k := range []string{"s1", "s2", "s3"} {
		eventUser(t, db, k, "bot1", true, false)
		ids = append(ids, notify(t, db, k, store.NotifyReopen, ""))
	}
	d := newTestDeliverer(t, db, rec, testEventConfig())
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(budgetZone).Format(time.DateOnly)
	spend := func() (int, int) {
		t.Helper()
		r, s, err := db.EventSpend(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		return r, s
	}
	if r, s := spend(); r != 45 || s != 0 {
		t.Fatalf("after the call: got reserved %d spent %d, want 45 and 0", r, s)
	}
	// Not final yet: nothing is counted.
	if err := d.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r, s := spend(); r != 45 || s != 0 || counterValue(t, d.m.won) != 0 {
		t.Fatalf("task still processing: got reserved %d spent %d won %v, want 45, 0, 0", r, s, counterValue(t, d.m.won))
	}
	rec.set(func() {
		rec.task = func(id string, users int) string {
			return `{"taskId":"` + id + `","status":"1 FAIL","allRequestCount":3,"successCount":2,
				"fail":{"count":1,"list":[{"userId":"s2","reqUserType":"botUserKey","errorMsg":{"errorType":201,"msg":"Bot skill server responded with an HTTP error."}}]}}`
		}
	})
	if err := d.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r, s := spend(); r != 0 || s != 30 {
		t.Fatalf("after success: got reserved %d spent %d, want 0 and 30", r, s)
	}
	if got := counterValue(t, d.m.won); got != 30 {
		t.Fatalf("got %v won, want 30", got)
	}
	if got := counterValue(t, d.m.messages.WithLabelValues("succeeded")); got != 2 {
		t.Fatalf("got %v succeeded, want 2", got)
	}
	if st, detail := notificationStatus(t, db, ids[1]); st != store.NotificationFailed || !strings.Contains(detail, "201") {
		t.Fatalf("the user Kakao could not reach: got %s (%s), want failed with the error type", st, detail)
	}
	if st, _ := notificationStatus(t, db, ids[0]); st != store.NotificationSent {
		t.Fatalf("got %s, want sent", st)
	}
	// A final task is not polled again.
	before := len(rec.polls)
	if err := d.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.polls) != before {
		t.Fatal("a final task was polled again")
	}
}

func TestEventDelivererRestartNeitherResendsNorForgetsSpend(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	ctx := context.Background()
	cfg := testEventConfig()
	cfg.DailyBudgetWon = 30
	eventUser(t, db, "c1", "bot1", true, false)
	eventUser(t, db, "c2", "bot1", true, false)
	eventUser(t, db, "c3", "bot1", true, false)
	n1 := notify(t, db, "c1", store.NotifyReopen, "")
	// A crash after the send was recorded and before Kakao's answer was.
	now := time.Now()
	s := &store.EventSend{ID: store.NewID(now), BotID: "bot1", Event: "상담 재개 알림", Day: now.In(budgetZone).Format(time.DateOnly),
		ReservedWon: 15, CreatedAt: now}
	if err := db.BeginEventSend(ctx, s, []store.EventItem{{NotificationID: n1, UserKey: "c1"}}, cfg.DailyBudgetWon); err != nil {
		t.Fatal(err)
	}

	d := newTestDeliverer(t, db, rec, cfg) // the restarted process
	var logs testlog.Buffer
	d.log = slog.New(slog.NewTextHandler(&logs, nil))
	if err := d.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); !strings.Contains(out, `"eventapi: a call interrupted by a restart is not resent"`) {
		t.Errorf("got log %q, want the interrupted call blamed on a restart", out)
	}
	notify(t, db, "c2", store.NotifyReopen, "")
	n3 := notify(t, db, "c3", store.NotifyReopen, "")
	if _, err := d.DeliverOnce(ctx); err != nil {
		t.Fatal(err)
	}
	talks := rec.gotTalks()
	if len(talks) != 1 || len(talks[0].Body.User) != 1 || talks[0].Body.User[0].ID != "c2" {
		t.Fatalf("got %d calls, want one, for c2 only: c1's message is not resent and c3 is over the budget the unknown call still holds", len(talks))
	}
	if st, _ := notificationStatus(t, db, n1); st != store.NotificationSent {
		t.Fatalf("the interrupted message: got %s, want sent (never resent)", st)
	}
	if st, detail := notificationStatus(t, db, n3); st != store.NotificationSkipped || detail != SkipBudget {
		t.Fatalf("got %s (%s), want skipped over budget", st, detail)
	}
	got, ok, err := db.EventSendByID(ctx, s.ID)
	if err != nil || !ok || got.Status != store.EventSendUnknown {
		t.Fatalf("the interrupted send: got %q (%v %v), want unknown", got.Status, ok, err)
	}

	// An accepted task survives a restart: the next process polls it and
	// counts the spend.
	rec.set(func() {
		rec.task = func(id string, users int) string { return `{"taskId":"` + id + `","status":"ALL SUCCESS"}` }
	})
	d2 := newTestDeliverer(t, db, rec, cfg)
	if err := d2.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d2.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if r, sp, _ := db.EventSpend(ctx, s.Day); r != 15 || sp != 15 {
		t.Fatalf("got reserved %d spent %d, want 15 (the unknown call) and 15 (c2)", r, sp)
	}
}

func TestEventDelivererRefusedCalls(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		wantStatus string
	}{
		{"bad request fails for good", http.StatusBadRequest, store.NotificationFailed},
		{"too many requests is retried later", http.StatusTooManyRequests, store.NotificationPending},
		{"server error is retried later", http.StatusBadGateway, store.NotificationPending},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := testutil.Store(t)
			rec := newKakaoRecorder(t)
			rec.set(func() { rec.talkStatus = tc.status })
			ctx := context.Background()
			eventUser(t, db, "r1", "bot1", true, false)
			id := notify(t, db, "r1", store.NotifyReopen, "")
			d := newTestDeliverer(t, db, rec, testEventConfig())
			if _, err := d.DeliverOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if st, _ := notificationStatus(t, db, id); st != tc.wantStatus {
				t.Fatalf("got %s, want %s", st, tc.wantStatus)
			}
			if r, s, _ := db.EventSpend(ctx, time.Now().In(budgetZone).Format(time.DateOnly)); r != 0 || s != 0 {
				t.Fatalf("got reserved %d spent %d, want nothing held for a refused call", r, s)
			}
			// A retry waits for RetryAfter: the next round sends nothing.
			if _, err := d.DeliverOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if n := len(rec.gotTalks()); n != 1 {
				t.Fatalf("got %d calls, want 1", n)
			}
		})
	}
}

func TestTaskStatusFinal(t *testing.T) {
	i := func(n int) *int { return &n }
	for _, tc := range []struct {
		name        string
		ts          TaskStatus
		users       int
		final       bool
		wantSuccess int
	}{
		{"all success", TaskStatus{Status: "ALL SUCCESS"}, 7, true, 7},
		{"all success with counts", TaskStatus{Status: "ALL SUCCESS", SuccessCount: i(6)}, 7, true, 6},
		{"n fail", TaskStatus{Status: "2 FAIL"}, 7, true, 5},
		{"n fail with counts", TaskStatus{Status: "2 FAIL", AllRequestCount: i(7), SuccessCount: i(5)}, 7, true, 5},
		{"unknown status", TaskStatus{Status: "PROCESSING"}, 7, false, 0},
		{"counts add up", TaskStatus{Status: "DONE", AllRequestCount: i(3), SuccessCount: i(2), Fail: &TaskFail{Count: 1}}, 3, true, 2},
		{"counts do not add up", TaskStatus{Status: "", AllRequestCount: i(3), SuccessCount: i(1)}, 3, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final, success := tc.ts.Final(tc.users)
			if final != tc.final || success != tc.wantSuccess {
				t.Fatalf("got final %v success %d, want %v and %d", final, success, tc.final, tc.wantSuccess)
			}
		})
	}
}

// counterValue reads a counter's current value.
func counterValue(t testing.TB, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func TestEventDelivererRateLimit(t *testing.T) {
	db := testutil.Store(t)
	rec := newKakaoRecorder(t)
	for _, bot := range []string{"botA", "botB", "botC"} {
		eventUser(t, db, "u-"+bot, bot, true, false)
		notify(t, db, "u-"+bot, store.NotifyReopen, "")
	}
	cfg := testEventConfig()
	cfg.CallsPerSecond = 20 // one call per 50 ms
	d := newTestDeliverer(t, db, rec, cfg)
	if _, err := d.DeliverOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	talks := rec.gotTalks()
	if len(talks) != 3 {
		t.Fatalf("got %d calls, want 3 (one per bot)", len(talks))
	}
	// Arrival times carry the scheduler's jitter on a busy machine, so the
	// check is on the whole span: three calls at 20/s take at least 100 ms
	// to send; allow a 20 ms late first arrival.
	if span := talks[2].At.Sub(talks[0].At); span < 80*time.Millisecond {
		t.Fatalf("three calls came within %v, want at least 100 ms at 20 calls/s", span)
	}
}
