package main

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// TestPprofOnAdminOnly fetches each kind of Go profile from the admin
// address and checks that the public address serves none of them.
func TestPprofOnAdminOnly(t *testing.T) {
	t.Parallel()
	m := startBaton(t, exampleConfig, t.TempDir(), nil)
	get := func(base, path string) (int, []byte) {
		t.Helper()
		resp, err := http.Get("http://" + base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return resp.StatusCode, body
	}
	tests := []struct {
		path string
		want string // in the body
	}{
		{"/debug/pprof/", "goroutine"},
		{"/debug/pprof/heap?debug=1", "heap profile:"},
		{"/debug/pprof/goroutine?debug=1", "goroutine profile:"},
		{"/debug/pprof/trace?seconds=0.05", "go 1."}, // the execution trace's header
		{"/debug/pprof/cmdline", ""},
		{"/debug/pprof/symbol", "num_symbols:"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body := get(m.AdminAddrBound(), tt.path)
			if code != http.StatusOK || !bytes.Contains(body, []byte(tt.want)) {
				t.Errorf("admin: got %d %.80q, want 200 holding %q", code, body, tt.want)
			}
			if code, _ := get(m.PublicAddr(), tt.path); code != http.StatusNotFound {
				t.Errorf("public: got %d, want 404", code)
			}
		})
	}
}
