package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/baton-chat/baton/configs"
)

// runValidate implements `baton validate --config FILE`. It prints
// "ok: FILE (N menus, M FAQ entries, version V)" and returns 0 when the file
// loads, prints each problem as one "file:line:col: message" line to stderr
// and returns 1 when it does not, and returns 2 on a usage error.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baton validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "config file to check (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: baton validate --config FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *path == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	cfg, err := configs.Load(*path)
	if err != nil {
		validatePrintErrors(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "ok: %s (%d menus, %d FAQ entries, version %s)\n", *path, len(cfg.Menus), len(cfg.FAQ), cfg.Version)
	return 0
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
