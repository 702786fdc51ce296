package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shippedExample is the shipped reference config, relative to cmd/baton.
// It runs consultation one_on_one, so all its queues target notify.
const shippedExample = "../../configs/example.yaml"

// sangdamtalkEdits turn the shipped example into a 상담톡 channel: the
// operator button goes to 상담톡 and the vip queue to its happytalk dealer
// (a one_on_one channel may not target a dealer).
var sangdamtalkEdits = []struct{ from, to string }{
	{"\n  consultation: one_on_one\n", "\n  consultation: sangdamtalk\n"},
	{"\n    vip: {target: notify,", "\n    vip: {target: \"dealer:happytalk\","},
}

// sangdamtalkExample returns src (the shipped example) switched to 상담톡,
// or an error naming the edit the example no longer allows.
func sangdamtalkExample(src string) (string, error) {
	for _, e := range sangdamtalkEdits {
		if strings.Count(src, e.from) != 1 {
			return "", fmt.Errorf("example config: want exactly one %q to switch it to 상담톡", strings.TrimSpace(e.from))
		}
		src = strings.Replace(src, e.from, e.to, 1)
	}
	return src, nil
}

// writeSangdamtalkExample writes the shipped example switched to 상담톡 into
// dir and returns its path.
func writeSangdamtalkExample(dir string) (string, error) {
	b, err := os.ReadFile(shippedExample)
	if err != nil {
		return "", fmt.Errorf("read example config: %w", err)
	}
	src, err := sangdamtalkExample(string(b))
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "example-sangdamtalk.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		return "", fmt.Errorf("write 상담톡 example config: %w", err)
	}
	return path, nil
}

// runTests runs the tests with exampleConfig written to a temporary
// directory, removed afterwards.
func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "baton-e2e-config")
	if err != nil {
		fmt.Fprintln(os.Stderr, "config dir:", err)
		return 2
	}
	defer os.RemoveAll(dir)
	if exampleConfig, err = writeSangdamtalkExample(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}
