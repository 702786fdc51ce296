package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// runReport implements `baton report [--data ./data] [--since 7d]
// [--format text|json] [--limit 20]`: the unanswered-questions report for
// the bot master, read from <data>/baton.db opened read-only (serve may be
// running). It returns 0 on success, 1 when the database cannot be read and
// 2 on a usage error.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baton report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "data directory of baton serve (reads <data>/baton.db)")
	sinceText := fs.String("since", "7d", "how far back to look (s, m, h, d)")
	format := fs.String("format", "text", "text or json")
	limit := fs.Int("limit", 20, "entries per list")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	since, err := configs.ParseDuration(*sinceText)
	if problem := reportUsageProblem(fs, since, err, *format); problem != "" {
		fmt.Fprintln(stderr, "baton report:", problem)
		fmt.Fprintln(stderr, "usage: baton report [--data ./data] [--since 7d] [--format text|json] [--limit 20]")
		return 2
	}
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, filepath.Join(*data, "baton.db"))
	if err != nil {
		fmt.Fprintln(stderr, "baton report:", err)
		return 1
	}
	defer db.Close()
	rep, err := db.UnansweredReport(ctx, time.Now().Add(-since.D()), *limit)
	if err != nil {
		fmt.Fprintln(stderr, "baton report:", err)
		return 1
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "baton report:", err)
			return 1
		}
		return 0
	}
	writeReportText(stdout, rep)
	return 0
}

// reportUsageProblem names what is wrong with report's parsed flags and
// arguments, or returns "" when nothing is: a bare directory ("baton report
// ./data", --data not given) is to be named with --data, as `baton
// validate` asks --config of a bare file.
func reportUsageProblem(fs *flag.FlagSet, since configs.Duration, sinceErr error, format string) string {
	dataSet := false
	fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	switch {
	case fs.NArg() == 1 && !dataSet:
		return "name the data directory with --data: baton report --data " + fs.Arg(0)
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case sinceErr != nil:
		return fmt.Sprintf("--since: %v", sinceErr)
	case since <= 0:
		return fmt.Sprintf("--since %q must be longer than 0", fs.Lookup("since").Value.String())
	case format != "text" && format != "json":
		return fmt.Sprintf("--format %q: want text or json", format)
	}
	return ""
}

// writeReportText prints rep for a terminal.
func writeReportText(w io.Writer, rep store.Unanswered) {
	fmt.Fprintf(w, "Unanswered questions %s – %s (UTC)\n", rep.Since.Format("2006-01-02 15:04"), rep.Until.Format("2006-01-02 15:04"))
	pct := 0.0
	if rep.Turns > 0 {
		pct = 100 * float64(rep.NoMatchTurns) / float64(rep.Turns)
	}
	fmt.Fprintf(w, "%d user turns, %d without an answer (%.1f%%), %d clarify questions (%d ignored)\n",
		rep.Turns, rep.NoMatchTurns, pct, rep.Clarifies, rep.ClarifyIgnored)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nNo answer (add these to the FAQ or as alternates):\ncount\tusers\tlast\tquestion (masked)")
	for _, q := range rep.NoMatch {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", q.Count, q.Users, q.LastAt.Format("01-02 15:04"), q.Text)
	}
	fmt.Fprintln(tw, "\nPicked after a clarify question (consider more alternates):\ncount\tfaq")
	for _, c := range rep.ClarifyChoices {
		fmt.Fprintf(tw, "%d\t%s\n", c.Count, c.FAQ)
	}
	fmt.Fprintln(tw, "\nNot helpful (the texts.not_helpful quick reply; rewrite these answers):\ncount\tfaq")
	for _, c := range rep.NotHelpful {
		id := c.FAQ
		if id == "" {
			id = "(answer before the window)"
		}
		fmt.Fprintf(tw, "%d\t%s\n", c.Count, id)
	}
	_ = tw.Flush()
}
