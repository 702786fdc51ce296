package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestValidateEnvFile: a config whose ${VAR}s are set only where serve runs
// validates in CI with one note naming them and --env-file as the way to
// check with them; given in an env file they expand, so the checks of their
// values (a pii webhook's https URL and secret) run; the environment wins
// over the file; an env file that cannot be read is a usage error.
func TestValidateEnvFile(t *testing.T) {
	src, err := os.ReadFile(shippedExample)
	if err != nil {
		t.Fatal(err)
	}
	const from = `url: "${BATON_NOTIFY_URL:-}", secret: "${BATON_NOTIFY_SECRET:-}"`
	const to = `url: "${BATON_VTEST_NOTIFY_URL}", secret: "${BATON_VTEST_NOTIFY_SECRET}"`
	if !bytes.Contains(src, []byte(from)) {
		t.Fatalf("the example has no %q", from)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ci.yaml")
	if err := os.WriteFile(cfg, bytes.Replace(src, []byte(from), []byte(to), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	envFile := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := envFile("good.env", "# representative values for CI\nexport BATON_VTEST_NOTIFY_URL=\"https://hooks.example.com/baton\"\n\nBATON_VTEST_NOTIFY_SECRET = 'not the real one'\n")
	plain := envFile("plain.env", "BATON_VTEST_NOTIFY_URL=http://hooks.example.com/baton\nBATON_VTEST_NOTIFY_SECRET=x\n")
	urlOnly := envFile("url.env", "BATON_VTEST_NOTIFY_URL=https://hooks.example.com/baton\n")
	broken := envFile("broken.env", "BATON_VTEST_NOTIFY_URL=https://hooks.example.com/baton\nnot a pair\n")

	noteNone := regexp.QuoteMeta(cfg+": note: 2 variables without a default not set here, so expanded to nothing: BATON_VTEST_NOTIFY_SECRET, BATON_VTEST_NOTIFY_URL; ") + `.*--env-file FILE .*`
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantStdout string // regexp; empty means no output
		wantStderr string // regexp; empty means no output
	}{
		{"unset: warnings and one note", nil, nil, 0, `; 2 warnings\)\n$`,
			`(?s)^` + regexp.QuoteMeta(cfg) + `:614:26: warning: \$\{BATON_VTEST_NOTIFY_URL\} is not set.*\n` + regexp.QuoteMeta(cfg) + `:614:63: warning: .*\n` + noteNone + `\n$`},
		{"env file sets them", nil, []string{"--env-file", good}, 0, `^ok: .*version [0-9a-f]{8}\)\n$`, ""},
		{"env file values are checked", nil, []string{"--env-file", plain}, 1, "",
			`^` + regexp.QuoteMeta(cfg+`:614:26: notify 1 (webhook) has pii: true, so its url http://hooks.example.com must be https`) + `\n$`},
		{"env file lacks one", nil, []string{"--env-file", urlOnly}, 1, "",
			`(?s)pii: true and an empty secret.*\n` + regexp.QuoteMeta(cfg+": note: 1 variable without a default not set here, so expanded to nothing: BATON_VTEST_NOTIFY_SECRET; neither the environment nor the --env-file files set them") + `.*\n$`},
		{"later file wins", nil, []string{"--env-file", plain, "--env-file", good}, 0, `^ok: `, ""},
		{"environment wins", map[string]string{"BATON_VTEST_NOTIFY_URL": "https://env.example.com/baton"}, []string{"--env-file", plain}, 0, `^ok: `, ""},
		{"malformed env file", nil, []string{"--env-file", broken}, 2, "", `^baton validate: ` + regexp.QuoteMeta(broken) + `:2: want NAME=value`},
		{"missing env file", nil, []string{"--env-file", filepath.Join(dir, "nope.env")}, 2, "", `no such file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := runValidate(append([]string{"--config", cfg}, tt.args...), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("got exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			for _, c := range []struct{ stream, got, want string }{{"stdout", stdout.String(), tt.wantStdout}, {"stderr", stderr.String(), tt.wantStderr}} {
				if c.want == "" {
					if c.got != "" {
						t.Errorf("%s: got %q, want nothing", c.stream, c.got)
					}
				} else if !regexp.MustCompile(c.want).MatchString(c.got) {
					t.Errorf("%s: got %q, want a match for %q", c.stream, c.got, c.want)
				}
			}
		})
	}
}

// TestValidateNoteOnlyForUnsetVars: the shipped example, whose ${VAR}s all
// have defaults, gets no note without any environment.
func TestValidateNoteOnlyForUnsetVars(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runValidate([]string{"--config", shippedExample}, &stdout, &stderr); code != 0 {
		t.Fatalf("got exit code %d, want 0 (stderr %q)", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "note:") {
		t.Errorf("stderr: got %q, want no note", stderr.String())
	}
}
