package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	src := "menus:\n  main:\n    text: hi\n    options:\n      - {id: a, label: 가, goto: nowhere}\n      - {id: a, label: 나, home: true}\n"
	if err := os.WriteFile(bad, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join("..", "..", "configs", "example.yaml")
	// The example with its 택배사 전화번호 text option relabelled 배송비, the
	// label of an FAQ option of another menu: typed, 배송비 selects neither.
	exampleSrc, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	const from, to = "label: 택배사 전화번호, text:", "label: 배송비, text:"
	if !bytes.Contains(exampleSrc, []byte(from)) {
		t.Fatalf("the example has no %q to relabel", from)
	}
	warnSrc := bytes.Replace(exampleSrc, []byte(from), []byte(to), 1)
	// The example with its hours naming a calendar "korea": unknown beside
	// the file, known with a --holidays directory holding korea.yaml.
	if !bytes.Contains(exampleSrc, []byte("holidays: [kr]")) {
		t.Fatal("the example names no kr calendar")
	}
	korea := filepath.Join(dir, "korea.yaml")
	if err := os.WriteFile(korea, bytes.ReplaceAll(exampleSrc, []byte("holidays: [kr]"), []byte("holidays: [korea]")), 0o600); err != nil {
		t.Fatal(err)
	}
	calDir := filepath.Join(dir, "calendars")
	kr, err := os.ReadFile(filepath.Join("..", "..", "configs", "holidays", "kr.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	brokenDir := filepath.Join(dir, "broken")
	for _, f := range []struct{ dir, body string }{{calDir, string(kr)}, {brokenDir, "years: [\n"}} {
		if err := os.MkdirAll(f.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.dir, "korea.yaml"), []byte(f.body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A calendar saved as korea.yml: only .yaml files are read, and the
	// error says so.
	ymlDir := filepath.Join(dir, "yml")
	if err := os.MkdirAll(ymlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ymlDir, "korea.yml"), kr, 0o600); err != nil {
		t.Fatal(err)
	}
	// A calendar name one letter off one serve would load: the
	// --holidays directory's korea, the built-in kr.
	kore := filepath.Join(dir, "kore.yaml")
	if err := os.WriteFile(kore, bytes.ReplaceAll(exampleSrc, []byte("holidays: [kr]"), []byte("holidays: [kore]")), 0o600); err != nil {
		t.Fatal(err)
	}
	kt := filepath.Join(dir, "kt.yaml")
	if err := os.WriteFile(kt, bytes.ReplaceAll(exampleSrc, []byte("holidays: [kr]"), []byte("holidays: [kt]")), 0o600); err != nil {
		t.Fatal(err)
	}
	warn := filepath.Join(dir, "warn.yaml")
	if err := os.WriteFile(warn, warnSrc, 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // regexp; empty means no output
		wantStderr string // regexp; empty means no output
	}{
		{"ok", []string{"--config", example}, 0,
			`^ok: ` + regexp.QuoteMeta(example) + ` \(9 menus, \d+ FAQ entries, version [0-9a-f]{8}\)\n$`, ""},
		{"errors", []string{"--config", bad}, 1, "",
			`^` + regexp.QuoteMeta(bad+`:5:33: option "a" in menu "main": goto "nowhere": no such menu`) + `\n` +
				regexp.QuoteMeta(bad+`:6:14: duplicate option id "a" in menu "main" (first used by option 1)`) + `\n$`},
		{"warnings", []string{"--config", warn}, 0,
			`^ok: ` + regexp.QuoteMeta(warn) + ` \(9 menus, \d+ FAQ entries, version [0-9a-f]{8}; 1 warning\)\n$`,
			`^` + regexp.QuoteMeta(warn+`:134:28: warning: label "배송비" is also the label of option 3 of menu "shipping", which does something else: typed, it selects neither (a tap still does); give one of them another label`) + `\n$`},
		{"unknown calendar", []string{"--config", korea}, 1, "",
			`^` + regexp.QuoteMeta(korea+`:591:18: holiday calendar "korea": not built in (kr) and no file `+filepath.Join(dir, "holidays", "korea.yaml")) + `\n$`},
		{"mistyped calendar", []string{"--config", kore, "--holidays", calDir}, 1, "",
			`^` + regexp.QuoteMeta(kore+`:591:18: holiday calendar "kore": not built in (kr) and no file `+filepath.Join(calDir, "kore.yaml")+` (did you mean "korea"?)`) + `\n$`},
		{"mistyped built-in calendar", []string{"--config", kt}, 1, "",
			`^` + regexp.QuoteMeta(kt+`:591:18: holiday calendar "kt": not built in (kr) and no file `+filepath.Join(dir, "holidays", "kt.yaml")+` (did you mean "kr"?)`) + `\n$`},
		{"calendar saved as .yml", []string{"--config", korea, "--holidays", ymlDir}, 1, "",
			`^` + regexp.QuoteMeta(korea+`:591:18: holiday calendar "korea": not built in (kr) and no file `+filepath.Join(ymlDir, "korea.yaml")+`; found `+filepath.Join(ymlDir, "korea.yml")+`: calendars are read from .yaml files only, rename it to korea.yaml`) + `\n$`},
		{"calendar in --holidays", []string{"--config", korea, "--holidays", calDir}, 0, `^ok: `, ""},
		{"broken calendar file", []string{"--config", korea, "--holidays", brokenDir}, 1, "", `korea\.yaml`},
		{"missing file", []string{"--config", filepath.Join(dir, "nope.yaml")}, 1, "", `no such file`},
		{"no flag", nil, 2, "", `^baton validate: --config FILE is required\nusage: baton validate --config FILE`},
		{"file without --config", []string{example}, 2, "",
			`^` + regexp.QuoteMeta(`baton validate: name the file with --config: baton validate --config `+example) + `\nusage:`},
		{"extra argument", []string{"--config", example, "more"}, 2, "", `^baton validate: unexpected argument "more"\nusage:`},
		{"unknown flag", []string{"--conf", example}, 2, "", `flag provided but not defined`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runValidate(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("got exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			check := func(stream, got, want string) {
				if want == "" {
					if got != "" {
						t.Errorf("%s: got %q, want nothing", stream, got)
					}
					return
				}
				if !regexp.MustCompile(want).MatchString(got) {
					t.Errorf("%s: got %q, want a match for %q", stream, got, want)
				}
			}
			check("stdout", stdout.String(), tt.wantStdout)
			check("stderr", stderr.String(), tt.wantStderr)
		})
	}
}

func TestValidateErrorLinesAreOneLineEach(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runValidate([]string{"--config", filepath.Join("..", "..", "configs", "testdata", "invalid", "syntax_error.yaml")}, &stdout, &stderr); code != 1 {
		t.Fatalf("got exit code %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	line := regexp.MustCompile(`^[^:]+:\d+:\d+: \S`)
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("got line %q, want file:line:col: message", l)
		}
	}
}
