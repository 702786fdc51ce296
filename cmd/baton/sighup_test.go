package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/testutil"
)

// TestSlowSIGHUPReloads runs `baton serve` in a child process, edits its
// config file and sends SIGHUP: the process keeps serving with the new
// config version, and an invalid file sent the same way changes nothing.
func TestSlowSIGHUPReloads(t *testing.T) {
	if testing.Short() {
		t.Skip("child process: not in -short")
	}
	path := filepath.Join(t.TempDir(), "baton.yaml")
	writeConfig(t, path, func(s string) string { return s })
	args, _ := json.Marshal([]string{"serve", "--config", path, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--data", t.TempDir()})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BATON_TEST_AS_BATON=1", "BATON_TEST_ARGS="+string(args), "BATON_ADMIN_TOKEN="+e2eAdminToken)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	adminCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for sc.Scan() {
			var line struct {
				Msg   string `json:"msg"`
				Admin string `json:"admin"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "baton serving" {
				adminCh <- line.Admin
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var admin string
	select {
	case admin = <-adminCh:
	case <-done:
		t.Fatal("baton serve exited before serving")
	case <-time.After(60 * time.Second):
		t.Fatal("baton serve did not start within 60s")
	}
	version := func() string {
		resp, err := httpGetAuth("http://"+admin+"/readyz", "")
		if err != nil {
			return "unreachable: " + err.Error()
		}
		var body map[string]string
		_ = json.Unmarshal(resp, &body)
		return body["config_version"]
	}
	v0 := version()

	writeConfig(t, path, func(s string) string {
		return strings.Replace(s, "text: 안녕하세요! 샘플몰 고객센터예요.", "text: 새 인사말입니다.", 1)
	})
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	var v1 string
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		if v1 = version(); v1 == v0 || strings.HasPrefix(v1, "unreachable") {
			return fmt.Errorf("config version %q, want a new one (was %s)", v1, v0)
		}
		return nil
	})

	if err := os.WriteFile(path, []byte("bot: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	// The refused reload is in the history; the process still serves v1.
	testutil.CheckFor(t, 10*time.Second, 20*time.Millisecond, func() error {
		raw, err := httpGetAuth("http://"+admin+"/admin/reloads", e2eAdminToken)
		if err != nil {
			return err
		}
		if !strings.Contains(string(raw), `"result":"invalid"`) {
			return fmt.Errorf("reloads: %s, want an invalid one", raw)
		}
		return nil
	})
	if got := version(); got != v1 {
		t.Errorf("config version after an invalid SIGHUP: got %s, want %s", got, v1)
	}
	select {
	case <-done:
		t.Fatal("baton serve exited after SIGHUP")
	default:
	}
}

// httpGetAuth GETs url with an optional bearer token and returns the body.
func httpGetAuth(url, token string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
