package configs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzNameVar is the variable FuzzLoad sets; the example config's bot name
// is replaced by a reference to it.
const fuzzNameVar = "BATON_FUZZ_BOT_NAME"

// FuzzLoad loads configs from files with an environment variable set, the
// way `baton serve` does. For the fuzzed file itself, Load never panics and
// fails only with positioned Errors naming the file. For the example config
// whose bot name is "${BATON_FUZZ_BOT_NAME:-샘플몰}", the variable's value
// is data, never YAML: Load returns it verbatim as the bot name (the
// default when it is empty), or refuses it with an error on the name's line.
func FuzzLoad(f *testing.F) {
	example, err := os.ReadFile("example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	const nameLine = "  name: 샘플몰 고객센터\n"
	if !bytes.Contains(example, []byte(nameLine)) {
		f.Fatalf("example.yaml lacks %q", nameLine)
	}
	line := 1 + bytes.Count(example[:bytes.Index(example, []byte(nameLine))], []byte("\n"))
	withVar := bytes.Replace(example, []byte(nameLine), []byte(`  name: "${`+fuzzNameVar+`:-샘플몰}"`+"\n"), 1)

	for _, s := range []struct{ data, env string }{
		{"bot: {name: x}\n", "상담"},
		{"bot: {name: \"${" + fuzzNameVar + "}\"}\n", "a: b\nc: d"},
		{"bot:\n  name: ${" + fuzzNameVar + ":-}\n", "}{"},
		{"kakao: {tokens: [\"${" + fuzzNameVar + "\"]}\n", "$$"},
		{string(withVar), "샘플몰\n  evil: true"},
		{"", ""},
	} {
		f.Add([]byte(s.data), s.env)
	}
	dir := f.TempDir()
	templated := filepath.Join(dir, "templated.yaml")
	if err := os.WriteFile(templated, withVar, 0o600); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, env string) {
		if strings.ContainsRune(env, 0) {
			return // not representable in an environment
		}
		t.Setenv(fuzzNameVar, env)
		path := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err != nil {
			checkPositioned(t, err, path, 0)
		}

		cfg, err := Load(templated)
		if err != nil {
			checkPositioned(t, err, templated, line)
			return
		}
		want := env
		if want == "" {
			want = "샘플몰"
		}
		if cfg.Bot.Name != want {
			t.Fatalf("bot name: got %q, want %q (the variable's value, verbatim)", cfg.Bot.Name, want)
		}
	})
}

// checkPositioned fails unless err is non-empty Errors naming path, each at
// a line and column ≥ 1 (and, when line > 0, all on that line).
func checkPositioned(t *testing.T, err error, path string, line int) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("got %T %v, want non-empty Errors", err, err)
	}
	for _, e := range errs {
		if e.File != path || e.Line < 1 || e.Col < 1 {
			t.Fatalf("error %q: got %s:%d:%d, want a position in %s", e.Msg, e.File, e.Line, e.Col, path)
		}
		if line > 0 && e.Line != line {
			t.Fatalf("error %q at line %d, want line %d (the bot name)", e.Msg, e.Line, line)
		}
	}
}
