package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedStore returns the activities of script one reading after
// another, the last one for every reading after it.
type scriptedStore struct {
	mu     sync.Mutex
	script []StoreActivity
	reads  int
}

func (s *scriptedStore) read(context.Context) (StoreActivity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.script[min(s.reads, len(s.script)-1)]
	s.reads++
	return a, nil
}

func TestStoreQuiet(t *testing.T) {
	tests := []struct {
		name      string
		script    []StoreActivity
		wantReads int // readings until quiet; 0: never quiet
	}{
		{"idle: two checkpoints", []StoreActivity{
			{Writes: 10, Checkpoints: 5}, {Writes: 10, Checkpoints: 6}, {Writes: 10, Checkpoints: 7}}, 3},
		{"owed rows and queued writes first", []StoreActivity{
			{Queued: 3, Owed: 100, Writes: 10, Checkpoints: 5},
			{Owed: 40, Writes: 70, Checkpoints: 6},
			{Writes: 110, Checkpoints: 7}, // the last rows written: the checkpoints count from here
			{Writes: 110, Checkpoints: 8},
			{Writes: 110, Checkpoints: 9}}, 5},
		{"a late write restarts the count", []StoreActivity{
			{Writes: 10, Checkpoints: 5}, {Writes: 10, Checkpoints: 6}, {Writes: 11, Checkpoints: 6},
			{Writes: 11, Checkpoints: 7}, {Writes: 11, Checkpoints: 8}}, 5},
		{"writes never stop", []StoreActivity{{Writes: 1}, {Writes: 2, Checkpoints: 3}, {Writes: 3, Checkpoints: 6}, {Writes: 4, Checkpoints: 9}}, 0},
		{"rows owed for good", []StoreActivity{{Owed: 7, Checkpoints: 1}, {Owed: 7, Checkpoints: 5}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scriptedStore{script: tt.script}
			err := StoreQuiet(s.read, time.Millisecond, 100*time.Millisecond)(context.Background())
			if tt.wantReads == 0 {
				if err == nil || !strings.Contains(err.Error(), "not quiet after 100ms") {
					t.Errorf("got %v, want the store not quiet after 100ms", err)
				}
				return
			}
			if err != nil || s.reads != tt.wantReads {
				t.Errorf("got %v after %d readings, want quiet after %d", err, s.reads, tt.wantReads)
			}
		})
	}
	failing := func(context.Context) (StoreActivity, error) { return StoreActivity{}, errors.New("scrape failed") }
	if err := StoreQuiet(failing, time.Millisecond, time.Second)(context.Background()); err == nil || !strings.Contains(err.Error(), "scrape failed") {
		t.Errorf("a failing reading: got %v, want its error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &scriptedStore{script: []StoreActivity{{Owed: 1}}}
	if err := StoreQuiet(s.read, time.Millisecond, time.Hour)(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ctx ended: got %v, want context.Canceled", err)
	}
}

func TestScrapeStoreActivity(t *testing.T) {
	body := strings.Join([]string{
		"# HELP baton_store_writer_queue_depth x", MetricWriterQueue + " 2", MetricCacheDirty + " 17",
		MetricWrites + " 1234", MetricCheckpoints + " 56", `baton_other{q="a"} 9`}, "\n")
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("drop") != "" {
			_, _ = fmt.Fprint(w, strings.Replace(body, MetricWriterQueue+" 2", "", 1))
			return
		}
		_, _ = fmt.Fprint(w, body)
	}))
	got, err := ScrapeStoreActivity(nil, url)(context.Background())
	if want := (StoreActivity{Queued: 2, Owed: 17, Writes: 1234, Checkpoints: 56}); err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	if _, err := ScrapeStoreActivity(nil, url+"?drop=1")(context.Background()); err == nil || !strings.Contains(err.Error(), MetricWriterQueue) {
		t.Errorf("metrics without the queue's gauge: got %v, want an error naming it", err)
	}
}
