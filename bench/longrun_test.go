package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// escalationServer answers like Baton around an escalation: "상담원" gets
// the confirm question, the confirm tap and every later turn of that user
// the waiting answer (operator button + 상담 취소), anything else the menu.
// It counts confirm taps per user.
type escalationServer struct {
	mu       sync.Mutex
	waiting  map[string]bool
	confirms map[string]int
}

func (s *escalationServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p struct {
		UserRequest struct {
			Utterance string `json:"utterance"`
			User      struct {
				ID string `json:"id"`
			} `json:"user"`
		} `json:"userRequest"`
	}
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	qr := func(labels ...string) []QuickReply {
		var out []QuickReply
		for _, l := range labels {
			out = append(out, QuickReply{Label: l, Action: "message", MessageText: l})
		}
		return out
	}
	text := func(s string) wireOutput { return wireOutput{SimpleText: &wireText{Text: s}} }
	var ans wireResponse
	s.mu.Lock()
	u := p.UserRequest.User.ID
	switch {
	case p.UserRequest.Utterance == "네, 연결해 주세요" || s.waiting[u]:
		if p.UserRequest.Utterance == "네, 연결해 주세요" {
			s.confirms[u]++
		}
		s.waiting[u] = true
		ans = wireResponse{Version: "2.0", Template: wireTemplate{
			Outputs: []wireOutput{{TextCard: &wireCard{Description: "상담원을 연결해 드릴게요.",
				Buttons: []wireButton{{Label: "상담원 연결", Action: "operator"}}}}},
			QuickReplies: qr("상담 취소", "처음으로")}}
	case p.UserRequest.Utterance == "상담원":
		ans = wireResponse{Version: "2.0", Template: wireTemplate{Outputs: []wireOutput{text("상담원을 연결할까요?")},
			QuickReplies: qr("네, 연결해 주세요", "아니요")}}
	default:
		ans = menuAnswer()
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(mustMarshal(ans))
}

func TestEscalationStages(t *testing.T) {
	srv := &escalationServer{waiting: map[string]bool{}, confirms: map[string]int{}}
	url := startServer(t, srv)
	tr := testTraffic()
	tr.Mix.Escalate = 0.3 // enough escalations for a short test
	tr.SessionMin, tr.SessionMax = 6, 8
	l := NewLoad(Target{Name: "esc", URL: url}, tr, DefaultAnswers(), nil, 0, 3)
	p, err := l.Saturate(context.Background(), 8, 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems() != 0 {
		t.Fatalf("got %d problems (first %q), want 0", p.Problems(), p.FirstProblem)
	}
	for _, k := range []Kind{KindEscalate, KindConfirm, KindWaiting} {
		if p.Kinds[k] == 0 {
			t.Errorf("got no %s turns, want some: %v", k, p.Kinds)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	var confirmed uint64
	for u, n := range srv.confirms {
		if n != 1 {
			t.Errorf("user %s confirmed %d times, want once (a waiting user does not escalate again)", u, n)
		}
		confirmed++
	}
	// Confirms answered after the window count as outside; each confirm
	// acknowledged inside it was counted once.
	if p.Escalated == 0 || p.Escalated > confirmed {
		t.Errorf("got %d acknowledged escalations, want 1..%d (the confirm taps served)", p.Escalated, confirmed)
	}
}

func TestAnsweredMovesStages(t *testing.T) {
	tr := DefaultTraffic()
	qr := func(labels ...string) []QuickReply {
		var out []QuickReply
		for _, l := range labels {
			out = append(out, QuickReply{Label: l})
		}
		return out
	}
	tests := []struct {
		name    string
		from    stage
		kind    Kind
		replies []QuickReply
		want    stage
		ack     bool
	}{
		{"asked to confirm", stageBot, KindEscalate, qr("네, 연결해 주세요", "아니요"), stageConfirming, false},
		{"connected without a question", stageBot, KindEscalate, qr("상담 취소"), stageWaiting, true},
		{"out of hours", stageBot, KindEscalate, qr("메시지 남기기"), stageBot, false},
		{"confirmed", stageConfirming, KindConfirm, qr("상담 취소", "처음으로"), stageWaiting, true},
		{"confirm refused (over max_waiting)", stageConfirming, KindConfirm, qr("메시지 남기기"), stageBot, false},
		{"still waiting", stageWaiting, KindWaiting, qr("상담 취소"), stageWaiting, false},
		{"handoff ended", stageWaiting, KindWaiting, qr("처음으로"), stageBot, false},
		{"an ordinary turn", stageBot, KindFAQ, qr("처음으로"), stageBot, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &user{stage: tt.from}
			ack := tr.answered(u, tt.kind, tt.replies)
			if u.stage != tt.want || ack != tt.ack {
				t.Errorf("got stage %d, acknowledged %v; want %d, %v", u.stage, ack, tt.want, tt.ack)
			}
		})
	}
}

func TestDistinctSendsOneTurnPerUser(t *testing.T) {
	rs, url := newRecordingServer(t, 0, func(uint64) (int, []byte) { return 0, mustMarshal(menuAnswer()) })
	l := NewLoad(Target{Name: "bare", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 4)
	const n = 300
	p, err := l.Distinct(context.Background(), n, 8)
	if err != nil {
		t.Fatal(err)
	}
	if p.Counts.OK != n || p.Problems() != 0 || p.Kinds[KindWelcome] != n {
		t.Fatalf("got %+v, kinds %v; want %d welcome turns, all OK", p.Counts, p.Kinds, n)
	}
	if got := rs.n.Load(); got != n {
		t.Errorf("server got %d requests, want %d", got, n)
	}
	rs.check(t)
	if _, err := l.Distinct(context.Background(), 0, 1); err == nil {
		t.Error("Distinct(0 users): got no error, want one")
	}
}

func TestSoakAndRSSReports(t *testing.T) {
	url := startServer(t, BareHandler())
	l := NewLoad(Target{Name: "bare", URL: url}, testTraffic(), DefaultAnswers(), nil, 0, 5)
	rep, err := Soak(context.Background(), l, 200, 600*time.Millisecond, 200*time.Millisecond, MemorySource{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Windows) != 3 {
		t.Fatalf("got %d windows, want 3", len(rep.Windows))
	}
	for i, w := range rep.Windows {
		if w.Phase.Counts.OK != 40 || w.Memory.RSS <= 0 {
			t.Errorf("window %d: got %d OK turns, RSS %d; want 40 and a positive RSS", i, w.Phase.Counts.OK, w.Memory.RSS)
		}
	}
	var out bytes.Buffer
	if err := rep.Fprint(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RSS after the first window", "change", "SQLite", "CPU/turn"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("soak report lacks %q:\n%s", want, out.String())
		}
	}

	grown := &SoakReport{Tolerance: 0.10, Windows: []SoakMinute{{Memory: Memory{RSS: 100 << 20}}, {Memory: Memory{RSS: 111 << 20}}}}
	if err := grown.Err(); err == nil || errors.Is(err, ErrInvalidRun) {
		t.Errorf("RSS +11%%: got %v, want a growth error", err)
	}
	bad := &SoakReport{Tolerance: 0.10, Windows: []SoakMinute{{Phase: Phase{Counts: Counts{Errors: 1}}}, {}}}
	if err := bad.Err(); !errors.Is(err, ErrInvalidRun) {
		t.Errorf("an error in the soak: got %v, want ErrInvalidRun", err)
	}

	rss, err := MeasureRSS(context.Background(), l, 50, 4, 10*time.Millisecond, func() int64 { return 3 << 20 })
	if err != nil {
		t.Fatal(err)
	}
	rss.Limit = 1 << 40
	if err := rss.Err(); err != nil || rss.Final.RSS <= 0 {
		t.Errorf("got %v, final RSS %d; want a valid report with an RSS", err, rss.Final.RSS)
	}
	rss.Limit = 1
	if err := rss.Err(); err == nil {
		t.Error("RSS over a 1-byte limit: got no error")
	}
	out.Reset()
	if err := rss.Fprint(&out); err != nil || !strings.Contains(out.String(), "MISSED") {
		t.Errorf("RSS report over the limit lacks MISSED (err %v):\n%s", err, out.String())
	}
	if got := rss.Final.C; got != 3<<20 {
		t.Errorf("got C memory %d, want the probe's %d", got, 3<<20)
	}
	if !strings.Contains(out.String(), "SQLite 3.0 MB") {
		t.Errorf("RSS report lacks the probe's figure (SQLite 3.0 MB):\n%s", out.String())
	}
}
