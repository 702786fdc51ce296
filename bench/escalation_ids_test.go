package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestCodeIn(t *testing.T) {
	card := DefaultAnswers().HandoffCard
	tests := []struct {
		name, template, text, want string
		ok                         bool
	}{
		{"default card", card, "상담원을 연결해 드릴게요. 아래 버튼을 눌러 주세요. (상담번호 A7K2)", "A7K2", true},
		{"code at the end", "상담번호 {code}", "상담번호 Q9W3", "Q9W3", true},
		{"code first", "{code} 번으로 접수", "ZZ22 번으로 접수", "ZZ22", true},
		{"other placeholders around", "대기 {position}번 (상담번호 {code}, {eta})", "대기 3번 (상담번호 HJ45, 약 2분)", "HJ45", true},
		{"another text", card, "상담원을 연결할까요?", "", false},
		{"no code in the template", "상담원을 연결해 드릴게요.", "상담원을 연결해 드릴게요.", "", false},
		{"empty code", card, "상담원을 연결해 드릴게요. 아래 버튼을 눌러 주세요. (상담번호 )", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := codeIn(tt.template, tt.text)
			if got != tt.want || ok != tt.ok {
				t.Errorf("codeIn(%q, %q) = %q, %v; want %q, %v", tt.template, tt.text, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// codeServer answers like Baton around an escalation, as escalationServer
// does, but opens a handoff with a code of its own on each confirm tap and
// shows it in the handoff card (the default texts.handoff_card), as Baton
// does. It records the codes it gave each user.
type codeServer struct {
	mu      sync.Mutex
	waiting map[string]string   // user → code of the open handoff
	codes   map[string][]string // user → every code opened
	n       int
}

func (s *codeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	var ans wireResponse
	s.mu.Lock()
	u := p.UserRequest.User.ID
	code, waiting := s.waiting[u]
	switch {
	case p.UserRequest.Utterance == "네, 연결해 주세요" && !waiting:
		s.n++
		code = fmt.Sprintf("C%03d", s.n)
		s.waiting[u] = code
		s.codes[u] = append(s.codes[u], code)
		fallthrough
	case waiting:
		ans = wireResponse{Version: "2.0", Template: wireTemplate{
			Outputs: []wireOutput{{TextCard: &wireCard{Description: "상담원을 연결해 드릴게요. 아래 버튼을 눌러 주세요. (상담번호 " + code + ")",
				Buttons: []wireButton{{Label: "상담원 연결", Action: "operator"}}}}},
			QuickReplies: qr("상담 취소", "처음으로")}}
	case p.UserRequest.Utterance == "상담원":
		ans = wireResponse{Version: "2.0", Template: wireTemplate{Outputs: []wireOutput{{SimpleText: &wireText{Text: "상담원을 연결할까요?"}}},
			QuickReplies: qr("네, 연결해 주세요", "아니요")}}
	default:
		ans = menuAnswer()
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(mustMarshal(ans))
}

// TestEscalationsNameUserAndCode: each acknowledged escalation of a phase
// is recorded with its user and the handoff code its answer showed, warm-up
// included, so that `baton bench` can check the notify sink received
// exactly those handoffs, not merely as many.
func TestEscalationsNameUserAndCode(t *testing.T) {
	srv := &codeServer{waiting: map[string]string{}, codes: map[string][]string{}}
	url := startServer(t, srv)
	tr := testTraffic()
	tr.Mix.Escalate = 0.3
	tr.SessionMin, tr.SessionMax = 6, 8
	l := NewLoad(Target{Name: "esc", URL: url}, tr, DefaultAnswers(), nil, 0, 3)
	p, err := l.Saturate(context.Background(), 8, 100*time.Millisecond, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems() != 0 {
		t.Fatalf("got %d problems (first %q), want 0", p.Problems(), p.FirstProblem)
	}
	if p.Escalated == 0 || uint64(len(p.Escalations)) != p.Escalated {
		t.Fatalf("got %d escalations recorded for %d acknowledged, want as many, and some", len(p.Escalations), p.Escalated)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	opened := map[Escalation]bool{}
	for u, codes := range srv.codes {
		for _, c := range codes {
			opened[Escalation{User: u, Code: c}] = true
		}
	}
	seen := map[Escalation]bool{}
	for _, e := range p.Escalations {
		if !opened[e] {
			t.Errorf("escalation %+v: the server opened no such handoff (want the user and the code it showed)", e)
		}
		if seen[e] {
			t.Errorf("escalation %+v recorded twice", e)
		}
		seen[e] = true
	}
	// Every confirm tap was answered before the phase returned, so every
	// handoff the server opened was acknowledged.
	if len(seen) != len(opened) {
		t.Errorf("got %d distinct escalations recorded, want the %d handoffs opened", len(seen), len(opened))
	}
}
