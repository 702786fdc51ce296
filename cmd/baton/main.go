// Command baton is the Kakao i Open Builder skill server that hands
// conversations to humans and takes them back. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: baton <command> [flags]

commands:
  serve      run the skill server (defaults: configs/example.yaml, 127.0.0.1:8080, ./data)
  validate   check a config file: baton validate --config FILE
  chat       talk to a running server like Open Builder does
  faq eval   evaluate the FAQ matcher on a query set
  bench      load benchmark against Baton and a bare Echo handler
  report     unanswered questions for the bot master: baton report [--data ./data] [--since 7d]
  version    the build: version, VCS revision, Go version

run 'baton <command> -h' for the flags of a command.
`

// run dispatches a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(rest, stderr)
	case "validate":
		return runValidate(rest, stdout, stderr)
	case "faq":
		return runFAQ(rest, stdout, stderr)
	case "chat":
		return runChat(rest, stdin, stdout, stderr)
	case "bench":
		return runBench(rest, stdout, stderr)
	case "bench-bare": // the bare handler of baton bench --separate
		return runBenchBare(rest, stderr)
	case "report":
		return runReport(rest, stdout, stderr)
	case "version", "--version":
		return runVersion(rest, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "baton: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// runServe runs `baton serve` until SIGINT or SIGTERM, then drains. SIGHUP
// reloads the config (as POST /admin/reload does).
func runServe(args []string, stderr io.Writer) int {
	applyMemoryLimit()
	applyProcs()
	m := NewMain()
	m.Stderr = stderr
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Taken before serving starts, so a SIGHUP never hits the default
	// action (exit) once the server is up.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(stderr, err)
		_ = m.Close()
		if errors.As(err, new(usageError)) {
			return 2 // a flag the config makes wrong (checkLinkBase)
		}
		return 1
	}
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-hup:
			if _, err := m.Reload(ctx, "SIGHUP"); err != nil {
				m.Logger.Error("config reload on SIGHUP failed", "err", err)
			}
		}
	}
	stop()
	if err := m.Close(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
