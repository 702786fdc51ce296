package main

import (
	"bytes"
	"compress/gzip"
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
		want string // in the body (a gzipped profile: in the unzipped body)
	}{
		{"/debug/pprof/", "goroutine"},
		// The protobuf profile go tool pprof (and baton bench) reads: its
		// string table names the heap's sample types. (The legacy text
		// form, ?debug=1, prints every allocation stack the test binary
		// has seen, which took ≈ 4 s under -race at the end of the run.)
		{"/debug/pprof/heap", "inuse_space"},
		{"/debug/pprof/goroutine?debug=1", "goroutine profile:"},
		{"/debug/pprof/trace?seconds=0.05", "go 1."}, // the execution trace's header
		{"/debug/pprof/cmdline", ""},
		{"/debug/pprof/symbol", "num_symbols:"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body := get(m.AdminAddrBound(), tt.path)
			if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("admin: %v", err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("admin: unzip the profile: %v", err)
				}
			}
			if code != http.StatusOK || !bytes.Contains(body, []byte(tt.want)) {
				t.Errorf("admin: got %d %.80q, want 200 holding %q", code, body, tt.want)
			}
			if code, _ := get(m.PublicAddr(), tt.path); code != http.StatusNotFound {
				t.Errorf("public: got %d, want 404", code)
			}
		})
	}
}
