package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/baton-chat/baton/bench"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The soak's child `baton serve` is this test binary run as baton
// (TestMain, BATON_TEST_AS_BATON).
func init() {
	serveCommand = func(args []string) (*exec.Cmd, error) {
		js, err := json.Marshal(args)
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "BATON_TEST_AS_BATON=1", "BATON_TEST_ARGS="+string(js))
		return cmd, nil
	}
}

func TestMemoryCollectorScraped(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(newMemoryCollector(), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	runtime.GC() // the live heap is known after a first collection
	m, err := bench.ScrapeMemory(nil, metricsURL("http://"+ln.Addr().String())).Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.GoTotal <= 0 || m.HeapLive <= 0 || m.C < 0 || m.Goroutines <= 0 {
		t.Errorf("got %+v; want a positive RSS, Go total, live heap and goroutines and a known SQLite figure", m)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && (m.RSSAnon <= 0 || m.RSSFile <= 0) {
		t.Errorf("got anon %d, file %d; want the Linux RSS split", m.RSSAnon, m.RSSFile)
	}
}

func TestMetricsURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://127.0.0.1:9090", "http://127.0.0.1:9090/metrics"},
		{"http://127.0.0.1:9090/", "http://127.0.0.1:9090/metrics"},
		{"http://127.0.0.1:9090/metrics", "http://127.0.0.1:9090/metrics"},
	} {
		if got := metricsURL(tt.in); got != tt.want {
			t.Errorf("metricsURL(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
