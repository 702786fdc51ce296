package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
)

// runValidate implements `baton validate --config FILE`. It prints
// "ok: FILE (N menus, M FAQ entries, version V)" and returns 0 when the file
// loads (each warning printed to stderr as "file:line:col: warning: message"
// and counted in the ok line), prints each problem as one "file:line:col: message" line to stderr
// and returns 1 when it does not, and returns 2 on a usage error (an
// --env-file that cannot be read included). ${VAR}s are expanded from the
// environment, then from the --env-file files; the ones neither sets are
// named once more in a "FILE: note:" line after the warnings or errors.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baton validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "config file to check (required)")
	holidays := fs.String("holidays", "", "holiday calendar directory, as serve's --holidays (default: holidays/ beside --config)")
	var envFiles []string
	fs.Func("env-file", "NAME=value lines giving the ${VAR}s set only where serve runs (CI without the secrets); the environment wins; repeatable, a later file wins", func(v string) error {
		envFiles = append(envFiles, v)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baton validate --config FILE [--holidays DIR] [--env-file FILE]...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *path == "" || fs.NArg() > 0 {
		switch {
		case *path == "" && fs.NArg() == 1: // baton validate FILE
			fmt.Fprintf(stderr, "baton validate: name the file with --config: baton validate --config %s\n", fs.Arg(0))
		case fs.NArg() > 0:
			fmt.Fprintf(stderr, "baton validate: unexpected argument %q\n", fs.Arg(0))
		default:
			fmt.Fprintln(stderr, "baton validate: --config FILE is required")
		}
		fs.Usage()
		return 2
	}
	// The calendars serve would load: a calendar file that does not parse
	// is reported on its own, and a calendar the hours name that is neither
	// built in nor a file there is a config error at the name.
	if flagSet(fs, "holidays") {
		if err := checkHolidaysFlag("baton validate", *holidays); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	dir := *holidays
	if dir == "" {
		dir = filepath.Join(filepath.Dir(*path), "holidays")
	}
	env, err := validateEnv(envFiles)
	if err != nil {
		fmt.Fprintln(stderr, "baton validate:", err)
		return 2
	}
	var unset unsetVars
	cfg, err := loadWithCalendarsOpts(*path, dir, configs.Options{Env: env, Unset: unset.add})
	if err != nil {
		validatePrintErrors(stderr, err)
		unset.note(stderr, *path, len(envFiles) > 0)
		return 1
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, warningLine(w))
	}
	unset.note(stderr, *path, len(envFiles) > 0)
	warned := ""
	switch n := len(cfg.Warnings); n {
	case 0:
	case 1:
		warned = "; 1 warning"
	default:
		warned = fmt.Sprintf("; %d warnings", n)
	}
	fmt.Fprintf(stdout, "ok: %s (%d menus, %d FAQ entries, version %s%s)\n", *path, len(cfg.Menus), len(cfg.FAQ), cfg.Version, warned)
	return 0
}

// loadWithCalendars loads the config at path as `baton validate` and a
// reload check it: against the holiday calendars serve would load from dir
// (built in, or dir/<name>.yaml), so a calendar the hours name that is
// neither is a config error (file:line:col) at the name, with a "did you
// mean" when it looks like a typo of one that is. A calendar file
// that does not parse is returned as its own error.
func loadWithCalendars(path, dir string) (*configs.Config, error) {
	return loadWithCalendarsOpts(path, dir, configs.Options{})
}

// loadWithCalendarsOpts is loadWithCalendars with the further options o
// (its Calendar is replaced).
func loadWithCalendarsOpts(path, dir string, o configs.Options) (*configs.Config, error) {
	cals, err := handoff.LoadCalendars(dir, configs.HolidayCalendars())
	if err != nil {
		return nil, err
	}
	known := cals.Names()
	o.Calendar = func(name string) error {
		if slices.Contains(known, name) {
			return nil
		}
		if hint := handoff.YMLHint(dir, name); hint != "" {
			return fmt.Errorf("not built in (%s) and no file %s%s", strings.Join(builtinCalendars(), ", "),
				filepath.Join(dir, name+".yaml"), hint)
		}
		return fmt.Errorf("not built in (%s) and no file %s%s", strings.Join(builtinCalendars(), ", "),
			filepath.Join(dir, name+".yaml"), configs.DidYouMean(name, known))
	}
	return configs.LoadWith(path, o)
}

// warningLine formats a config warning as "file:line:col: warning: message".
func warningLine(w configs.Error) string {
	return fmt.Sprintf("%s:%d:%d: warning: %s", w.File, w.Line, w.Col, w.Msg)
}

// validatePrintErrors writes one line per config error (or the error itself
// when the file could not be read).
func validatePrintErrors(w io.Writer, err error) {
	var errs configs.Errors
	if !errors.As(err, &errs) {
		fmt.Fprintln(w, err)
		return
	}
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
	}
}

// builtinCalendars names the holiday calendars built into the binary.
func builtinCalendars() []string {
	var names []string
	entries, _ := fs.ReadDir(configs.HolidayCalendars(), ".")
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	return names
}
