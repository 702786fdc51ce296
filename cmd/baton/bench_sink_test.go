package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
)

func postToBenchSink(t *testing.T, s *benchSink, body string, secret []byte, idem string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(handoff.SignatureHeader, handoff.Sign(secret, time.Now(), []byte(body)))
	req.Header.Set(handoff.HeaderIdempotency, idem)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBenchSink(t *testing.T) {
	s, err := startBenchSink()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	ok := `{"version":1,"type":"handoff.requested","id":"H1"}`
	tests := []struct {
		name   string
		body   string
		secret []byte
		idem   string
		want   int
	}{
		{"signed", ok, s.secret, "H1", http.StatusNoContent},
		{"repeat", ok, s.secret, "H1", http.StatusNoContent},
		{"wrong secret", `{"type":"handoff.requested","id":"H2"}`, []byte("other"), "H2", http.StatusUnauthorized},
		{"idempotency key is not the id", `{"type":"handoff.requested","id":"H3"}`, s.secret, "H4", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := postToBenchSink(t, s, tt.body, tt.secret, tt.idem); got != tt.want {
				t.Errorf("got status %d, want %d", got, tt.want)
			}
		})
	}
	if got := s.handoffs(); got != 1 {
		t.Errorf("got %d handoffs, want 1", got)
	}
	var out bytes.Buffer
	err = s.report(context.Background(), &out, 1, true)
	if err == nil || !strings.Contains(err.Error(), "rejected 2") {
		t.Errorf("report: got error %v, want the 2 rejected notifications", err)
	}
	if want := "1 handoffs received in 4 POSTs, 2 rejected; escalations acknowledged 1"; !strings.Contains(out.String(), want) {
		t.Errorf("report: got %q, want it to contain %q", out.String(), want)
	}
}

func TestBenchSinkReportCounts(t *testing.T) {
	tests := []struct {
		name      string
		received  int
		escalated uint64
		exact     bool
		wantErr   bool
	}{
		{"equal", 2, 2, true, false},
		{"missing", 1, 2, true, true},
		{"missing in a run with fallbacks", 1, 2, false, true},
		{"extra", 3, 2, true, true},
		{"extra in a run with fallbacks", 3, 2, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &benchSink{ids: map[string]struct{}{}}
			for i := range tt.received {
				s.ids[string(rune('a'+i))] = struct{}{}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // no waiting for handoffs that will never come
			err := s.report(ctx, &bytes.Buffer{}, tt.escalated, tt.exact)
			if got := err != nil; got != tt.wantErr {
				t.Errorf("got error %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
