package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// reportUsage is the usage line of baton report.
const reportUsage = "usage: baton report [--data ./data] [--config configs/example.yaml] [--since 7d] [--format text|json] [--limit 20]"

// runReport implements `baton report [--data ./data] [--config FILE]
// [--since 7d] [--format text|json] [--limit 20]`: the unanswered-questions
// report for the bot master, read from <data>/baton.db opened read-only
// (serve may be running), with its times in the config's time zone (see
// reportZone). It returns 0 on success, 1 when the database or a named
// config cannot be read and 2 on a usage error.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("baton report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "data directory of baton serve (reads <data>/baton.db)")
	sinceText := fs.String("since", "7d", "how far back to look (s, m, h, d)")
	configPath := fs.String("config", "configs/example.yaml", "config file whose handoff.hours time zone the times are shown in")
	format := fs.String("format", "text", "text or json")
	limit := fs.Int("limit", 20, "entries per list")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	since, err := configs.ParseDuration(*sinceText)
	if problem := reportUsageProblem(fs, since, err, *format, *limit); problem != "" {
		fmt.Fprintln(stderr, "baton report:", problem)
		fmt.Fprintln(stderr, reportUsage)
		return 2
	}
	loc, err := reportZone(*configPath, flagSet(fs, "config"))
	if err != nil {
		fmt.Fprintln(stderr, "baton report:", err)
		return 1
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
	rep = reportIn(rep, loc)
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

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// reportZone returns the time zone the report shows its times in: the
// timezone of the config's handoff.hours (the first by name when several
// name different zones), or configs.DefaultTimezone when the config has no
// hours, or when the config was not named (named is false) and the default
// file does not exist. A config that cannot be loaded otherwise is an error.
func reportZone(path string, named bool) (*time.Location, error) {
	cfg, err := configs.Load(path)
	switch {
	case err != nil && !named && errors.Is(err, os.ErrNotExist):
		cfg = nil
	case err != nil:
		return nil, fmt.Errorf("the time zone comes from --config: %w", err)
	}
	return hoursZone(cfg)
}

// hoursZone returns the time zone of cfg's handoff.hours (the first by name
// when several name different zones), or configs.DefaultTimezone when cfg
// is nil or has no hours: the zone baton report and GET
// /admin/report/unanswered show their times in. It returns an error when
// the zone cannot be loaded.
func hoursZone(cfg *configs.Config) (*time.Location, error) {
	zone := configs.DefaultTimezone
	if cfg != nil {
		names := make([]string, 0, len(cfg.Handoff.Hours))
		for name := range cfg.Handoff.Hours {
			names = append(names, name)
		}
		sort.Strings(names)
		if len(names) > 0 && cfg.Handoff.Hours[names[0]].Timezone != "" {
			zone = cfg.Handoff.Hours[names[0]].Timezone
		}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", zone, err)
	}
	return loc, nil
}

// reportIn returns rep with its times in loc, to the second, so that both
// the text and the JSON (RFC 3339, with the zone's offset) show the bot
// master's local time as the docs show it ("2026-11-23T10:00:00+09:00").
func reportIn(rep store.Unanswered, loc *time.Location) store.Unanswered {
	rep.Since = rep.Since.In(loc).Truncate(time.Second)
	rep.Until = rep.Until.In(loc).Truncate(time.Second)
	noMatch := make([]store.QuestionCount, len(rep.NoMatch))
	for i, q := range rep.NoMatch {
		q.LastAt = q.LastAt.In(loc).Truncate(time.Second)
		noMatch[i] = q
	}
	rep.NoMatch = noMatch
	return rep
}

// reportUsageProblem names what is wrong with report's parsed flags and
// arguments, or returns "" when nothing is: a bare directory ("baton report
// ./data", --data not given) is to be named with --data, as `baton
// validate` asks --config of a bare file.
func reportUsageProblem(fs *flag.FlagSet, since configs.Duration, sinceErr error, format string, limit int) string {
	dataSet := flagSet(fs, "data")
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
	case limit < 1 || limit > reportLimitMax:
		return fmt.Sprintf("--limit %d: want 1 to %d entries per list", limit, reportLimitMax)
	}
	return ""
}

// reportLimitMax bounds the entries per list of baton report's --limit and
// GET /admin/report/unanswered's limit alike.
const reportLimitMax = 500

// writeReportText prints rep for a terminal.
func writeReportText(w io.Writer, rep store.Unanswered) {
	fmt.Fprintf(w, "Unanswered questions %s – %s (%s, UTC%s)\n", rep.Since.Format("2006-01-02 15:04"), rep.Until.Format("2006-01-02 15:04"),
		rep.Since.Location(), rep.Since.Format("-07:00"))
	pct := 0.0
	if rep.Turns > 0 {
		pct = 100 * float64(rep.NoMatchTurns) / float64(rep.Turns)
	}
	fmt.Fprintf(w, "%d user turns, %d without an answer (%.1f%%), %d clarify questions (%d ignored)\n",
		rep.Turns, rep.NoMatchTurns, pct, rep.Clarifies, rep.ClarifyIgnored)
	fmt.Fprintf(w, "User turns: %s (%d typed, %d tapped; %d others left out)\n",
		rep.TurnsCounted, rep.TypedTurns, rep.TappedTurns, rep.NotUserTurns)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nNo answer (add these to the FAQ or as alternates):\ncount\tusers\tlast\tquestion (masked)")
	for _, q := range rep.NoMatch {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", q.Count, q.Users, q.LastAt.Format("01-02 15:04"), reportCell(q.Text))
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
	writeHandoffFigures(tw, rep.Handoffs)
	_ = tw.Flush()
}

// reportCell is s on one line of the text report's table: a line break
// (a question typed over several lines) shows as " ⏎ " and a tab or other
// control character as a space, so that neither starts a new row nor
// shifts a column. The JSON report keeps the text as stored.
func reportCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r != '\n' && unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "\n", " ⏎ ")
}

// writeHandoffFigures prints the per-queue handoff and CSAT figures.
func writeHandoffFigures(tw io.Writer, queues []store.QueueFigures) {
	fmt.Fprintln(tw, "\nHandoffs requested in the window, by queue (wait: request to a human's accept):")
	fmt.Fprintln(tw, "queue\trequested\taccepted\twaiting\tended unaccepted\twait median\twait p90")
	for _, q := range queues {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", q.Queue, q.Requested, q.Accepted, q.Waiting,
			endReasons(q.EndedUnaccepted), seconds(q.WaitMedianSeconds), seconds(q.WaitP90Seconds))
	}
	fmt.Fprintln(tw, "\nCSAT of the human sessions that ended in the window, by queue:")
	fmt.Fprintln(tw, "queue\tsessions ended\tasked\tanswered\tmean\tscores 1/2/3/4/5")
	for _, q := range queues {
		c := q.CSAT
		mean := "-"
		if c.Mean != nil {
			mean = fmt.Sprintf("%.2f", *c.Mean)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%d/%d/%d/%d/%d\n", q.Queue, c.SessionsEnded, c.Asked, c.Answered, mean,
			c.Scores[0], c.Scores[1], c.Scores[2], c.Scores[3], c.Scores[4])
	}
}

// endReasons prints counts by end reason, by name: "user_cancel 2,
// wait_timeout 1", or "-" when there are none.
func endReasons(counts map[string]int) string {
	if len(counts) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(counts))
	for _, r := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", r, counts[r]))
	}
	return strings.Join(parts, ", ")
}

// seconds prints a duration in seconds as Go does ("1m30s"), or "-" for nil.
func seconds(s *int64) string {
	if s == nil {
		return "-"
	}
	return (time.Duration(*s) * time.Second).String()
}
