package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baton-chat/baton/skill"
	"github.com/labstack/echo/v5"
)

// startServer serves h on a real 127.0.0.1 listener for the test.
func startServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/skill"
}

// recordingServer is a real Echo server that answers like Baton would and
// records what it received: the request count, overlapping turns of one
// user, turns closer together than the user gap, and taps whose extra was
// not among the user's previous answer's quick replies.
type recordingServer struct {
	// answer picks the body for request n (1-based); status 0 means 200.
	answer func(n uint64) (status int, body []byte)
	gap    time.Duration

	n        atomic.Uint64
	mu       sync.Mutex
	inflight map[string]bool
	lastEnd  map[string]time.Time
	offered  map[string][]string // user → extras of the last answer
	first    map[string]string   // user → block name of the first turn
	overlaps int
	tooSoon  int
	badTaps  int
	taps     int
	times    []time.Time
}

func newRecordingServer(t *testing.T, gap time.Duration, answer func(n uint64) (int, []byte)) (*recordingServer, string) {
	t.Helper()
	rs := &recordingServer{answer: answer, gap: gap, inflight: map[string]bool{}, lastEnd: map[string]time.Time{},
		offered: map[string][]string{}, first: map[string]string{}}
	e := echo.NewWithConfig(echo.Config{Logger: slog.New(slog.DiscardHandler)})
	e.POST("/skill", rs.handle)
	return rs, startServer(t, e)
}

func (rs *recordingServer) handle(c *echo.Context) error {
	start := time.Now()
	body, _ := readBody(c.Request())
	p, err := skill.Decode(body)
	if err != nil {
		return c.String(http.StatusBadRequest, err.Error())
	}
	key := p.UserKey()
	rs.mu.Lock()
	rs.times = append(rs.times, start)
	if rs.inflight[key] {
		rs.overlaps++
	}
	rs.inflight[key] = true
	if last, ok := rs.lastEnd[key]; ok && start.Sub(last) < rs.gap {
		rs.tooSoon++
	}
	if _, ok := rs.first[key]; !ok {
		rs.first[key] = p.BlockName()
	}
	if p.TriggerType() == "QUICKREPLY_BUTTON_MESSAGE" {
		rs.taps++
		raw, _ := json.Marshal(p.Action.ClientExtra)
		found := false
		for _, x := range rs.offered[key] {
			found = found || x == string(raw)
		}
		if !found {
			rs.badTaps++
		}
	}
	rs.mu.Unlock()

	status, out := rs.answer(rs.n.Add(1))
	if status == 0 {
		status = http.StatusOK
		var w answerWire
		if err := json.Unmarshal(out, &w); err == nil && w.Template != nil {
			var extras []string
			for _, q := range w.Template.QuickReplies {
				var v any
				_ = json.Unmarshal(q.Extra, &v)
				b, _ := json.Marshal(v)
				extras = append(extras, string(b))
			}
			rs.mu.Lock()
			if len(extras) > 0 {
				rs.offered[key] = extras
			}
			rs.mu.Unlock()
		}
	}
	// Record the end before answering: the client may start the user's
	// next turn as soon as it has the answer.
	rs.mu.Lock()
	delete(rs.inflight, key)
	rs.lastEnd[key] = time.Now()
	rs.mu.Unlock()
	return c.Blob(status, "application/json", out)
}

func (rs *recordingServer) check(t *testing.T) {
	t.Helper()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.overlaps != 0 {
		t.Errorf("got %d turns overlapping an earlier turn of the same user, want 0", rs.overlaps)
	}
	if rs.tooSoon != 0 {
		t.Errorf("got %d turns less than %s after the user's previous turn, want 0", rs.tooSoon, rs.gap)
	}
	if rs.badTaps != 0 {
		t.Errorf("got %d of %d taps whose extra was not offered by the previous answer, want 0", rs.badTaps, rs.taps)
	}
	for key, block := range rs.first {
		if block != "웰컴 블록" {
			t.Errorf("user %s: first turn on block %q, want 웰컴 블록", key, block)
			break
		}
	}
}

// testTraffic is DefaultTraffic with a short user gap, so a small test
// load reuses users and exercises whole sessions.
func testTraffic() Traffic {
	tr := DefaultTraffic()
	tr.UserGap = 20 * time.Millisecond
	return tr
}

func TestSaturateBareHandler(t *testing.T) {
	var served atomic.Uint64
	bare := BareHandler()
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		bare.ServeHTTP(w, r)
	}))
	l := NewLoad(Target{Name: "bare", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 1)
	p, err := l.Saturate(context.Background(), 8, 200*time.Millisecond, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems() != 0 {
		t.Fatalf("got %d problems (%+v, outside %+v, first %q), want 0", p.Problems(), p.Counts, p.Outside, p.FirstProblem)
	}
	if p.Counts.OK == 0 || p.Outside.OK == 0 {
		t.Errorf("got %d measured and %d warm-up turns, want both > 0", p.Counts.OK, p.Outside.OK)
	}
	if got, want := p.Counts.Requests+p.Outside.Requests, served.Load(); got != want {
		t.Errorf("got %d requests counted, want %d served", got, want)
	}
	if p.Latency.Count != p.Counts.OK {
		t.Errorf("got %d latencies, want %d", p.Latency.Count, p.Counts.OK)
	}
	var byKind uint64
	for k := range numKinds {
		if p.Kinds[k] == 0 && k <= KindEscalate {
			t.Errorf("got no %s turns, want some", k)
		}
		if got := p.KindLatency[k].Count; got != p.Kinds[k] {
			t.Errorf("%s: got %d latencies, want %d", k, got, p.Kinds[k])
		}
		byKind += p.Kinds[k]
	}
	if byKind != p.Counts.Requests {
		t.Errorf("got %d turns by kind, want %d", byKind, p.Counts.Requests)
	}
	if p.Users == 0 || p.TurnsPerSec() <= 0 {
		t.Errorf("got %d users, %.0f turns/s, want both > 0", p.Users, p.TurnsPerSec())
	}
}

// answerEvery answers the fallback to every 10th request, the rate-limit
// answer to every 7th that is not a 10th, and the menu otherwise.
func answerEvery(n uint64) (int, []byte) {
	a := DefaultAnswers()
	switch {
	case n%10 == 0:
		return 0, mustMarshal(fallbackAnswer(a.FallbackText))
	case n%7 == 0:
		return 0, mustMarshal(rateLimitedAnswer(a.RateLimitedText))
	}
	return 0, mustMarshal(menuAnswer())
}

func expectedCounts(n uint64) Counts {
	c := Counts{Requests: n, Fallback: n / 10, RateLimited: n/7 - n/70}
	c.OK = n - c.Fallback - c.RateLimited
	return c
}

func TestSaturateCountsExactly(t *testing.T) {
	rs, url := newRecordingServer(t, 20*time.Millisecond, answerEvery)
	l := NewLoad(Target{Name: "every10", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 2)
	p, err := l.Saturate(context.Background(), 16, 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Counts
	got.add(p.Outside) // the drain after the window
	if want := expectedCounts(rs.n.Load()); got != want {
		t.Errorf("got counts %+v, want %+v", got, want)
	}
	if p.FirstProblem == "" {
		t.Error("got no first problem, want the first fallback described")
	}
	rs.check(t)
}

func TestDrainIsPartOfThePhase(t *testing.T) {
	_, url := newRecordingServer(t, 0, answerEvery)
	var calls atomic.Int32
	const pause = 200 * time.Millisecond
	target := Target{Name: "drained", URL: url, Drain: func(ctx context.Context) error {
		calls.Add(1)
		time.Sleep(pause) // the deferred work being measured
		return nil
	}}
	l := NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 3)
	p, err := l.Saturate(context.Background(), 4, 0, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("drains after the saturation phase: got %d, want 1", got)
	}
	if p.Elapsed < 300*time.Millisecond+pause {
		t.Errorf("saturation window: got %v, want >= %v (the drain counts)", p.Elapsed, 300*time.Millisecond+pause)
	}
	if _, err := l.FixedRate(context.Background(), 50, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("drains after the fixed-rate phase too: got %d, want 2", got)
	}
	target.Drain = func(context.Context) error { return errors.New("disk full") }
	l = NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 4)
	if _, err := l.Saturate(context.Background(), 2, 0, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failed drain: got %v, want its error", err)
	}
}

func TestFixedRateSchedule(t *testing.T) {
	const rate, d = 300.0, time.Second
	rs, url := newRecordingServer(t, 20*time.Millisecond, answerEvery)
	l := NewLoad(Target{Name: "every10", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 3)
	p, err := l.FixedRate(context.Background(), rate, d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rs.n.Load(), uint64(rate*d.Seconds()); got != want {
		t.Errorf("got %d requests served, want %d", got, want)
	}
	if got, want := p.Counts, expectedCounts(rs.n.Load()); got != want {
		t.Errorf("got counts %+v, want %+v", got, want)
	}
	if p.Outside != (Counts{}) {
		t.Errorf("got outside counts %+v, want none in an open loop", p.Outside)
	}
	if p.Latency.Count != rs.n.Load() {
		t.Errorf("got %d latencies, want %d", p.Latency.Count, rs.n.Load())
	}
	rs.mu.Lock()
	span := rs.times[len(rs.times)-1].Sub(rs.times[0])
	rs.mu.Unlock()
	// A scheduler that fired everything at once would span ~0; the last
	// turn is scheduled at (n-1)/rate.
	if min := time.Duration(0.8 * float64(d)); span < min {
		t.Errorf("got arrivals spanning %s, want at least %s", span, min)
	}
	rs.check(t)
}

// TestFixedRateWarmupUnmeasured: the turns of a fixed-rate warm-up reach
// the server on the same schedule but count only as outside the window:
// here the server's first 20 answers (sent in the first 200 ms of a 300 ms
// warm-up) are fallbacks, and the measured window must hold none of them.
func TestFixedRateWarmupUnmeasured(t *testing.T) {
	const rate, warm, d = 100.0, 300 * time.Millisecond, 300 * time.Millisecond
	a := DefaultAnswers()
	rs, url := newRecordingServer(t, 0, func(n uint64) (int, []byte) {
		if n <= 20 {
			return 0, mustMarshal(fallbackAnswer(a.FallbackText))
		}
		return 0, mustMarshal(menuAnswer())
	})
	l := NewLoad(Target{Name: "warm", URL: url}, testTraffic(), a, nil, 0, 5)
	p, err := l.FixedRateAfter(context.Background(), rate, warm, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := rs.n.Load(); got != 60 {
		t.Errorf("got %d requests served, want 60 (30 warm-up, 30 measured)", got)
	}
	if p.Counts.Requests != 30 || p.Counts.Problems() != 0 || p.Latency.Count != 30 {
		t.Errorf("measured window: got %+v and %d latencies, want 30 requests, no problems, 30 latencies", p.Counts, p.Latency.Count)
	}
	if p.Outside.Requests != 30 || p.Outside.Fallback != 20 {
		t.Errorf("warm-up: got %+v, want 30 requests of which 20 fallbacks", p.Outside)
	}
	if _, err := l.FixedRateAfter(context.Background(), rate, -time.Second, d); err == nil {
		t.Error("a negative warm-up: got no error")
	}
	rs.check(t)
}

// TestFixedWindowStartsAfterWarmup: Config.FixedWindow is told of a
// target's fixed-rate window when its warm-up is over, so that what starts
// there (cmd/baton's "baton store, fixed rate" line) covers exactly the
// measured window's turns, none of the warm-up's.
func TestFixedWindowStartsAfterWarmup(t *testing.T) {
	var served atomic.Int64
	menu := mustMarshal(menuAnswer())
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(menu)
	})
	bare := Target{Name: "bare", URL: startServer(t, BareHandler())}
	baton := Target{Name: "baton", URL: startServer(t, h)}
	var mu sync.Mutex
	var atWindow int64 = -1
	var windows []string
	tr := testTraffic()
	cfg := Config{Concurrency: 1, Duration: 200 * time.Millisecond, Warmup: -1, FixedWarmup: 200 * time.Millisecond,
		Rate: 100, Settle: time.Millisecond, Traffic: &tr,
		FixedWindow: func(target string) {
			mu.Lock()
			defer mu.Unlock()
			windows = append(windows, target)
			if target == "baton" {
				atWindow = served.Load()
			}
		}}
	rep, err := Run(context.Background(), cfg, baton, bare)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got, want := strings.Join(windows, ", "), "bare, baton"; got != want {
		t.Errorf("got fixed-rate windows of %s, want %s", got, want)
	}
	if atWindow < 0 {
		t.Fatal("FixedWindow was not told of baton's window")
	}
	inWindow := served.Load() - atWindow
	if window := int64(rep.Baton.Fixed.Counts.Requests); inWindow != window || window == 0 {
		t.Errorf("%d turns served after FixedWindow; want the measured fixed-rate window's %d (> 0), not its warm-up's as well", inWindow, window)
	}
}

// TestFixedRateNoCoordinatedOmission: a server that stalls for a while
// must show the stall in the latencies of the turns scheduled during it,
// not only in the one turn that was in flight.
func TestFixedRateNoCoordinatedOmission(t *testing.T) {
	const stall = 300 * time.Millisecond
	var n atomic.Uint64
	gate := make(chan struct{})
	var once sync.Once
	menu := mustMarshal(menuAnswer())
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 10 {
			time.AfterFunc(stall, func() { once.Do(func() { close(gate) }) })
		}
		if n.Load() >= 10 {
			<-gate // every turn arriving during the stall waits for its end
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(menu)
	}))
	l := NewLoad(Target{Name: "stall", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 4)
	p, err := l.FixedRate(context.Background(), 100, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems() != 0 {
		t.Fatalf("got %d problems (first %q), want 0", p.Problems(), p.FirstProblem)
	}
	// ~30 turns are scheduled during the stall; the one at its start waits
	// the whole stall, so the max is at least the stall, and p90 (the
	// 90th of 100) is among the stalled turns too.
	if p.Latency.Max < stall {
		t.Errorf("got max latency %s, want at least the %s stall", p.Latency.Max, stall)
	}
	if p.Latency.P90 < stall/10 {
		t.Errorf("got p90 %s, want the stall visible (≥ %s)", p.Latency.P90, stall/10)
	}
}

func TestNon200AndTransportErrors(t *testing.T) {
	var n atomic.Uint64
	menu := mustMarshal(menuAnswer())
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch i := n.Add(1); {
		case i%5 == 0:
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
		case i%9 == 0:
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close() // a reset: the client sees a transport error
			}
		case i%11 == 0:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"version":"2.0","template":{"outputs":[]}}`))
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(menu)
		}
	}))
	l := NewLoad(Target{Name: "flaky", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 5)
	p, err := l.FixedRate(context.Background(), 200, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	// POST is not replayable, so the transport never retries: each
	// request the server saw is one the client counted.
	served := n.Load()
	want := Counts{Requests: served}
	for i := uint64(1); i <= served; i++ {
		switch {
		case i%5 == 0:
			want.Non200++
		case i%9 == 0:
			want.Errors++
		case i%11 == 0:
			want.BadBody++
		default:
			want.OK++
		}
	}
	if served != 100 {
		t.Errorf("got %d requests served, want 100", served)
	}
	if p.Counts != want {
		t.Errorf("got counts %+v, want %+v", p.Counts, want)
	}
}

func TestPayloadDecodes(t *testing.T) {
	tr := DefaultTraffic()
	p := newPool(&tr, 7, 0)
	u := p.get(time.Now())
	menu := mustMarshal(menuAnswer())
	_, replies, err := DefaultAnswers().classify(menu)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                      string
		tn                        turn
		block, utterance, trigger string
		tapMenu, tapOption        string
	}{
		{name: "welcome", tn: turn{kind: KindWelcome}, block: "웰컴 블록"},
		{name: "faq", tn: turn{kind: KindFAQ, utterance: `환불은"얼마나\걸려요ㅠ` + "\n"}, block: "폴백 블록", utterance: `환불은"얼마나\걸려요ㅠ`, trigger: "TEXT_INPUT"},
		{name: "number", tn: turn{kind: KindNumber, utterance: "2"}, block: "폴백 블록", utterance: "2", trigger: "TEXT_INPUT"},
		{name: "tap", tn: turn{kind: KindTap, utterance: replies[1].MessageText, extra: replies[1].Extra}, block: "폴백 블록",
			utterance: "교환/반품", trigger: "QUICKREPLY_BUTTON_MESSAGE", tapMenu: "main", tapOption: "ret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tr.appendPayload(nil, u, tt.tn)
			if !json.Valid(body) {
				t.Fatalf("payload is not valid JSON: %s", body)
			}
			got, err := skill.Decode(body)
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct{ field, got, want string }{
				{"user key", got.UserKey(), u.key},
				{"plusfriend key", got.PlusfriendUserKey(), u.plusfriend},
				{"bot id", got.BotID(), tr.BotID},
				{"surface", got.Param("surface"), "Kakaotalk.plusfriend"},
				{"block", got.BlockName(), tt.block},
				{"utterance", got.Utterance(), tt.utterance},
				{"trigger", got.TriggerType(), tt.trigger},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: got %q, want %q", c.field, c.got, c.want)
				}
			}
			if got.IsFriend() != u.friend {
				t.Errorf("isFriend: got %v, want %v", got.IsFriend(), u.friend)
			}
			tap := got.Tap()
			switch {
			case tt.tapMenu == "" && tap != nil:
				t.Errorf("tap: got %+v, want none", tap)
			case tt.tapMenu != "" && (tap == nil || tap.N != tt.tapMenu || tap.O != tt.tapOption):
				t.Errorf("tap: got %+v, want menu %s option %s", tap, tt.tapMenu, tt.tapOption)
			}
		})
	}
}

func TestNextSkipsEscalationReplies(t *testing.T) {
	tr := DefaultTraffic()
	tr.Mix = Mix{Tap: 1}
	u := tr.newUser(1, 1)
	u.welcomed = true
	_, u.replies, _ = DefaultAnswers().classify(mustMarshal(menuAnswer()))
	seen := map[string]bool{}
	for range 500 {
		tn := tr.next(u)
		if tn.kind != KindTap {
			t.Fatalf("got a %s turn, want only taps", tn.kind)
		}
		seen[tn.utterance] = true
	}
	if seen["상담원 연결"] {
		t.Error("got a tap on 상담원 연결, want escalation replies skipped")
	}
	if len(seen) != 6 {
		t.Errorf("got %d distinct taps, want all 6 non-escalation replies", len(seen))
	}
	u.replies = u.replies[6:] // only 상담원 연결 left: fall back to a question
	if tn := tr.next(u); tn.kind != KindFAQ {
		t.Errorf("got a %s turn with nothing tappable, want faq", tn.kind)
	}
}

func TestQuestionsAvoidEscalationKeywords(t *testing.T) {
	for _, q := range DefaultTraffic().Questions {
		for _, kw := range []string{"상담원", "상담사", "사람", "직원"} {
			if strings.Contains(q, kw) {
				t.Errorf("question %q contains escalation keyword %q", q, kw)
			}
		}
	}
}

func TestClassify(t *testing.T) {
	a := DefaultAnswers()
	tests := []struct {
		name    string
		body    string
		want    Outcome
		replies int
	}{
		{"menu", string(mustMarshal(menuAnswer())), OutcomeOK, 7},
		{"fallback", string(mustMarshal(fallbackAnswer(a.FallbackText))), OutcomeFallback, 0},
		{"other operator card", string(mustMarshal(fallbackAnswer("상담원을 연결할까요?"))), OutcomeOK, 0},
		{"rate limited", string(mustMarshal(rateLimitedAnswer(a.RateLimitedText))), OutcomeRateLimited, 0},
		{"callback", `{"version":"2.0","useCallback":true,"data":{"text":"잠시만요"}}`, OutcomeOK, 0},
		{"no outputs", `{"version":"2.0","template":{"outputs":[]}}`, OutcomeBadBody, 0},
		{"not json", `<html>`, OutcomeBadBody, 0},
		{"wrong version", `{"version":"1.0","template":{"outputs":[{"simpleText":{"text":"x"}}]}}`, OutcomeBadBody, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, replies, _ := a.classify([]byte(tt.body))
			if got != tt.want || len(replies) != tt.replies {
				t.Errorf("got %s with %d replies, want %s with %d", got, len(replies), tt.want, tt.replies)
			}
		})
	}
}

func TestBareHandler(t *testing.T) {
	url := startServer(t, BareHandler())
	tests := []struct {
		name   string
		body   string
		status int
		want   Outcome
	}{
		{"payload", `{"userRequest":{"user":{"id":"u1"}}}`, 200, OutcomeOK},
		{"no user", `{"userRequest":{}}`, 200, OutcomeFallback},
		{"too large", `{"x":"` + strings.Repeat("a", maxBody) + `"}`, 413, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(url, "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("got status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got, _, err := DefaultAnswers().classify(body); got != tt.want {
				t.Errorf("got %s (%v), want %s", got, err, tt.want)
			}
		})
	}
}

func TestPoolGrowsAndRests(t *testing.T) {
	tr := DefaultTraffic()
	tr.UserGap = time.Second
	tr.SessionMin, tr.SessionMax = 2, 2
	p := newPool(&tr, 1, 2)
	t0 := time.Unix(1000, 0)
	a, b := p.get(t0), p.get(t0)
	if a == b {
		t.Fatal("got the same user twice while it was out, want two users")
	}
	a.turns = 1
	p.put(a, t0)
	if c := p.get(t0.Add(500 * time.Millisecond)); c == a {
		t.Error("got a resting user, want a new one")
	}
	if c := p.get(t0.Add(time.Second)); c != a {
		t.Error("got a new user, want the rested one back")
	}
	a.turns = 2 // session over
	p.put(a, t0)
	if c := p.get(t0.Add(time.Hour)); c == a {
		t.Error("got a user whose session is over, want a new one")
	}
	if distinct, created := p.stats(); distinct != 4 || created != 4 {
		t.Errorf("got %d distinct of %d created, want 4 of 4", distinct, created)
	}
}

func TestHistogram(t *testing.T) {
	var h histogram
	for i := 1; i <= 10000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	s := h.summary()
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"p50", s.P50, 5 * time.Millisecond}, {"p99", s.P99, 9900 * time.Microsecond},
		{"p99.9", s.P999, 9990 * time.Microsecond}, {"max", s.Max, 10 * time.Millisecond},
	} {
		if diff := c.got - c.want; diff < -c.want/100 || diff > c.want/100 {
			t.Errorf("%s: got %s, want %s ± 1%%", c.name, c.got, c.want)
		}
	}
	for i := range histBuckets - 1 {
		if lowerBound(i) >= lowerBound(i+1) || bucketOf(lowerBound(i)) != i {
			t.Fatalf("bucket %d: bounds %d, %d not increasing or not invertible", i, lowerBound(i), lowerBound(i+1))
		}
	}
}

func TestSlowRunReport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four load phases")
	}
	tr := testTraffic()
	bare := Target{Name: "bare", URL: startServer(t, BareHandler())}
	_, flakyURL := newRecordingServer(t, tr.UserGap, answerEvery)
	cfg := Config{Concurrency: 4, Duration: 300 * time.Millisecond, Warmup: -1, FixedWarmup: -1, Rate: 100, Settle: time.Millisecond, Traffic: &tr}
	rep, err := Run(context.Background(), cfg, Target{Name: "baton", URL: bare.URL}, bare)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Errorf("got %v, want a valid run", err)
	}
	if r := rep.Ratio(); r <= 0 {
		t.Errorf("got ratio %g, want > 0", r)
	}
	if r := rep.CPURatio(); r <= 0 {
		t.Errorf("got CPU ratio %g, want > 0", r)
	}
	var out strings.Builder
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ratio", "p99.9", "rate-limited", "valid run"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	rep, err = Run(context.Background(), cfg, Target{Name: "baton", URL: flakyURL}, bare)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); !errors.Is(err, ErrInvalidRun) || !strings.Contains(err.Error(), "baton saturation") {
		t.Errorf("got %v, want ErrInvalidRun naming baton saturation", err)
	}
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	url := startServer(t, BareHandler())
	if _, err := Run(ctx, Config{Duration: time.Second}, Target{Name: "a", URL: url}, Target{Name: "b", URL: url}); err == nil {
		t.Error("got no error from a canceled run, want one")
	}
}

func BenchmarkAppendPayload(b *testing.B) {
	tr := DefaultTraffic()
	u := tr.newUser(1, 1)
	_, replies, _ := DefaultAnswers().classify(mustMarshal(menuAnswer()))
	tn := turn{kind: KindTap, utterance: replies[0].MessageText, extra: replies[0].Extra}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = tr.appendPayload(buf[:0], u, tn)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkClassify(b *testing.B) {
	a := DefaultAnswers()
	body := mustMarshal(menuAnswer())
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if o, _, err := a.classify(body); o != OutcomeOK {
			b.Fatal(o, err)
		}
	}
}

// BenchmarkTurnBare is one whole client turn against the bare handler on
// loopback: the client's cost plus the bare server's.
func BenchmarkTurnBare(b *testing.B) {
	srv := httptest.NewServer(BareHandler())
	b.Cleanup(srv.Close)
	l := NewLoad(Target{Name: "bare", URL: srv.URL + "/skill"}, testTraffic(), DefaultAnswers(), nil, 0, 1)
	var r recorder
	b.ReportAllocs()
	for b.Loop() {
		u := l.pool.get(time.Now().Add(time.Hour))
		if o, _, _ := l.turn(context.Background(), u, &r); o != OutcomeOK {
			b.Fatal(o)
		}
		l.pool.put(u, time.Now())
	}
}

// BenchmarkBareHandler is the bare server's handler alone (no network).
func BenchmarkBareHandler(b *testing.B) {
	tr := DefaultTraffic()
	body := tr.appendPayload(nil, tr.newUser(1, 1), turn{kind: KindFAQ, utterance: "배송 언제 와요"})
	h := BareHandler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// saturationPhase is a valid 10 s saturation phase of ok turns that took cpu.
func saturationPhase(ok uint64, cpu time.Duration) Phase {
	return Phase{Mode: "saturation", Elapsed: 10 * time.Second, Counts: Counts{Requests: ok, OK: ok}, CPU: cpu}
}

func TestReportFigures(t *testing.T) {
	tr := DefaultTraffic()
	rep := &Report{
		Baton:  Result{Target: Target{Name: "baton"}, Saturation: saturationPhase(70000, 70000*300*time.Microsecond)},
		Bare:   Result{Target: Target{Name: "bare"}, Saturation: saturationPhase(100000, 100000*100*time.Microsecond)},
		Config: Config{Traffic: &tr, Concurrency: 64, Duration: 10 * time.Second, Rate: 1000},
	}
	if got := rep.Ratio(); got != 0.7 {
		t.Errorf("got ratio %g, want 0.7", got)
	}
	if got := rep.CPURatio(); got < 0.3333 || got > 0.3334 {
		t.Errorf("got CPU ratio %g, want 1/3", got)
	}
	if got, want := rep.Baton.Saturation.CPUPerTurn(), 300*time.Microsecond; got != want {
		t.Errorf("got CPU/turn %s, want %s", got, want)
	}
	if got := rep.Baton.Saturation.Cores(); got != 2.1 {
		t.Errorf("got %g cores busy, want 2.1", got)
	}
	var out strings.Builder
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"7000", "10000", "0.700", "0.333", "300µs", "2.10", "valid run"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	rep.Baton.Fixed.Outside.Fallback = 1
	rep.Baton.Fixed.Mode = "fixed"
	if err := rep.Err(); !errors.Is(err, ErrInvalidRun) || !strings.Contains(err.Error(), "baton fixed: 1 fallback") {
		t.Errorf("got %v, want ErrInvalidRun naming one baton fixed-rate fallback", err)
	}
}

// TestTargetProcessCounts: a target in a process of its own (--separate)
// has its CPU added to the client's in every phase and its peak RSS
// reported as the phase's; a process that cannot be read leaves the CPU
// unknown rather than the client's alone.
func TestTargetProcessCounts(t *testing.T) {
	_, url := newRecordingServer(t, 0, answerEvery)
	var reads atomic.Int64
	const step, rss = time.Hour, 123 << 20 // an hour of the target's CPU per reading: far above the client's
	target := Target{Name: "child", URL: url, Process: func() (time.Duration, int64, error) {
		return time.Duration(reads.Add(1)) * step, rss, nil
	}}
	for _, p := range bothPhases(t, NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 5)) {
		if p.CPU < step || p.CPU > 10*step {
			t.Errorf("%s: CPU %v; want the target's readings' difference (a multiple of %v) plus the client's", p.Mode, p.CPU, step)
		}
		if p.MaxRSS != rss {
			t.Errorf("%s: peak RSS %d; want the target process's %d", p.Mode, p.MaxRSS, rss)
		}
	}

	target.Process = func() (time.Duration, int64, error) { return 0, 0, errors.New("process gone") }
	l := NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 6)
	if p, err := l.FixedRate(context.Background(), 50, 100*time.Millisecond); err != nil || p.CPUPerTurn() != 0 {
		t.Errorf("an unreadable target process: got CPU/turn %v (err %v), want unknown (0)", p.CPUPerTurn(), err)
	}
}

// TestTargetProcessReadFailingOnceLeavesCPUUnknown: when one reading of
// the target's process (--separate) fails, at the window's start or at its
// end, the phase's CPU is unknown (0): never a difference with that failed
// reading, which would be the processes' whole CPU since they started (or
// less than nothing).
func TestTargetProcessReadFailingOnceLeavesCPUUnknown(t *testing.T) {
	_, url := newRecordingServer(t, 0, answerEvery)
	const before = 1000 * time.Hour // the server's CPU before the phase
	seed := uint64(11)
	for _, failing := range []int64{1, 2} { // the window's start, its end
		newTarget := func() Target {
			var reads atomic.Int64
			return Target{Name: "child", URL: url, Process: func() (time.Duration, int64, error) {
				if reads.Add(1) == failing {
					return 0, 0, errors.New("read /proc/1234/stat: transient")
				}
				return before, 1 << 20, nil
			}}
		}
		seed++
		fixed, err := NewLoad(newTarget(), testTraffic(), DefaultAnswers(), nil, 0, seed).FixedRate(context.Background(), 50, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		seed++
		sat, err := NewLoad(newTarget(), testTraffic(), DefaultAnswers(), nil, 0, seed).Saturate(context.Background(), 2, 0, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []Phase{fixed, sat} {
			if p.Counts.OK == 0 {
				t.Errorf("%s, reading %d failing: no OK turns", p.Mode, failing)
			}
			if p.CPU != 0 || p.CPUPerTurn() != 0 || p.OwedCPU != 0 {
				t.Errorf("%s, reading %d of the target failing: CPU %v (CPU/turn %v, owed %v); want unknown (0)",
					p.Mode, failing, p.CPU, p.CPUPerTurn(), p.OwedCPU)
			}
		}
	}
}

// TestOwedWorkIsThePhases: a target in its own process that does work
// after the phase's last answer (Target.Owed) has that work's CPU counted
// in the phase, and the wait not counted in the phase's time.
func TestOwedWorkIsThePhases(t *testing.T) {
	_, url := newRecordingServer(t, 0, answerEvery)
	var cpu atomic.Int64 // the target process's CPU time
	var owed atomic.Int32
	const work, wait = time.Hour, 150 * time.Millisecond
	target := Target{Name: "child", URL: url,
		Process: func() (time.Duration, int64, error) { return time.Duration(cpu.Load()), 1, nil },
		Owed: func(ctx context.Context) error {
			owed.Add(1)
			time.Sleep(wait)     // the process writing what it deferred …
			cpu.Add(int64(work)) // … which costs it this much CPU
			return nil
		}}
	phases := bothPhases(t, NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 7))
	if n := owed.Load(); n != 2 {
		t.Errorf("Owed called %d times, want once per phase", n)
	}
	for _, p := range phases {
		if p.CPU < work || p.CPU > work+time.Minute {
			t.Errorf("%s: CPU %v; want the owed work's %v plus the client's", p.Mode, p.CPU, work)
		}
		if p.Elapsed != 100*time.Millisecond {
			t.Errorf("%s: elapsed %v; want the window's 100ms, the wait for owed work not counted", p.Mode, p.Elapsed)
		}
		if p.OwedCPU < work || p.OwedCPU > p.CPU {
			t.Errorf("%s: owed CPU %v of %v; want the owed work's %v, within the phase's CPU", p.Mode, p.OwedCPU, p.CPU, work)
		}
		if c := p.Cores(); c > 10 {
			t.Errorf("%s: %.0f cores busy; want the window's CPU alone over its time (the owed hour left out)", p.Mode, c)
		}
	}
	target.Owed = func(context.Context) error { return errors.New("still owes 3") }
	l := NewLoad(target, testTraffic(), DefaultAnswers(), nil, 0, 8)
	if _, err := l.Saturate(context.Background(), 2, 0, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "still owes 3") {
		t.Errorf("owed work not done: got %v, want its error", err)
	}
}

// bothPhases runs a short saturation phase (2 connections, 100 ms) and a
// short fixed-rate one (50/s, 100 ms) of l.
func bothPhases(t *testing.T, l *Load) []Phase {
	t.Helper()
	sat, err := l.Saturate(context.Background(), 2, 0, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := l.FixedRate(context.Background(), 50, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	return []Phase{sat, fixed}
}
