package main

import (
	"os"
	"testing"
)

// testEnv holds the environment variables a test gives one Main through
// Main.Env instead of t.Setenv: Go refuses t.Setenv in a parallel test, and
// the process environment is shared by every test of the binary. A test
// that starts its servers with a testEnv can call t.Parallel.
type testEnv map[string]string

// lookup is Main.Env: the test's variables over the process environment,
// as t.Setenv would leave them.
func (e testEnv) lookup(name string) (string, bool) {
	if v, ok := e[name]; ok {
		return v, true
	}
	return os.LookupEnv(name)
}

// configure is an option of startBatonLogging that hands e to Main.
func (e testEnv) configure(m *Main) { m.Env = e.lookup }

// notify sets the webhook and Slack sinks' variables as setNotifyEnv does.
func (e testEnv) notify(hook, slack *sinkRecorder) {
	e["BATON_NOTIFY_URL"] = hook.srv.URL + "/hook"
	e["BATON_NOTIFY_SECRET"] = e2eNotifySecret
	e["BATON_SLACK_URL"] = slack.srv.URL + "/slack"
}

// startBatonEnv is startBaton with the variables of env.
func startBatonEnv(t testing.TB, configPath, dataDir string, clock *testClock, env testEnv) *Main {
	t.Helper()
	return startBatonLogging(t, configPath, dataDir, clock, discardLogger(), env.configure)
}
