package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// faqUsage is the usage of baton faq.
const faqUsage = `usage: baton faq eval --faq F.jsonl --queries Q.jsonl [--split test] [--alts] [--calibrate] [--lexicon=false]
       baton faq eval --config FILE --queries Q.jsonl [--split test]`

// runFAQ runs `baton faq <subcommand>`; only `eval` exists:
//
//	baton faq eval --faq F.jsonl --queries Q.jsonl [--split test] [--alts] [--calibrate] [--lexicon=false]
//	baton faq eval --config FILE --queries Q.jsonl [--split test]
//
// It returns the process exit code: 0 on success or a help request (-h),
// 2 on a usage error (an unknown subcommand or flag, a stray argument), 1
// when a file cannot be read or the queries cannot be evaluated: the file
// has no queries, --split selects none of them, or an expected_id names
// no FAQ entry.
func runFAQ(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, faqUsage)
		return 2
	}
	switch args[0] {
	case "eval":
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, faqUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "baton faq: unknown subcommand %q\n%s\n", args[0], faqUsage)
		return 2
	}
	fs := flag.NewFlagSet("baton faq eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	faqPath := fs.String("faq", "", "FAQ entries as JSON Lines (id, question, alt_questions, topic)")
	cfgPath := fs.String("config", "", "evaluate the faq section of this Baton config instead of --faq")
	queries := fs.String("queries", "", "labelled queries as JSON Lines (qid, query, expected_id, kind, split)")
	split := fs.String("split", "test", `split to report ("all" = every row)`)
	alts := fs.Bool("alts", false, "also index alt_questions and report both")
	calibrate := fs.Bool("calibrate", false, "also tune thresholds on split=dev rows, print and report them")
	lexicon := fs.Bool("lexicon", true, "learn a lexicon from split=dev rows (when the queries have any) and report the matcher with it first; --lexicon=false turns it off")
	fs.Usage = func() {
		fmt.Fprintln(stderr, faqUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "baton faq eval: unexpected argument %q\n%s\n", fs.Arg(0), faqUsage)
		return 2
	}
	if *queries == "" || (*faqPath == "") == (*cfgPath == "") {
		fmt.Fprintln(stderr, "baton faq eval: need --queries and exactly one of --faq or --config")
		return 2
	}
	qs, err := faqReadQueries(*queries)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	o := faq.EvalOptions{Split: *split, Calibrate: *calibrate, Lexicon: *lexicon, Name: *faqPath}
	if o.Split == "all" {
		o.Split = ""
	}
	if problem := faqSplitProblem(qs, o.Split); problem != "" {
		fmt.Fprintf(stderr, "baton faq eval: %s: %s\n", *queries, problem)
		return 1
	}
	var entries []faq.Entry
	if *cfgPath != "" {
		t0 := time.Now()
		cfg, err := configs.Load(*cfgPath)
		if err != nil {
			fmt.Fprintf(stderr, "baton faq eval: %v\n", err)
			return 1
		}
		entries = cfg.FAQEntries()
		t1 := time.Now()
		if _, err := faq.New(entries, faq.Options{}); err != nil {
			fmt.Fprintf(stderr, "baton faq eval: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "start-up: config load %.1f ms, matcher build %.1f ms (%d entries)\n",
			float64(t1.Sub(t0).Microseconds())/1e3, float64(time.Since(t1).Microseconds())/1e3, len(entries))
		o.Name = *cfgPath
	} else {
		entries, err = faqReadEntries(*faqPath, false)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if *alts {
			if o.AltEntries, err = faqReadEntries(*faqPath, true); err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
		}
	}
	if problems := faqUnknownExpected(qs, entries, o.Name); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "baton faq eval: %s: %s\n", *queries, p)
		}
		return 1
	}
	if err := faq.RunEval(stdout, entries, qs, o); err != nil {
		fmt.Fprintf(stderr, "baton faq eval: %v\n", err)
		return 1
	}
	return 0
}

// faqSplitProblem says why qs cannot be reported for split ("" = every
// row), or returns "": the file has no queries, or no row has that split.
// It names the splits the file has, so a typo or a file without split
// fields is plain.
func faqSplitProblem(qs []faq.Query, split string) string {
	if len(qs) == 0 {
		return "no queries (want one JSON object per line: qid, query, expected_id, kind, split)"
	}
	if split == "" {
		return ""
	}
	counts := map[string]int{}
	for _, q := range qs {
		if q.Split == split {
			return ""
		}
		counts[q.Split]++
	}
	without := counts[""]
	delete(counts, "")
	if len(counts) == 0 {
		return fmt.Sprintf(`--split %q selects no row: no row has a "split" field; --split all reports every row`, split)
	}
	var have []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		have = append(have, fmt.Sprintf("%q (%s)", s, faqRows(counts[s])))
	}
	also := ""
	if without > 0 {
		also = fmt.Sprintf(" and %s without one", faqRows(without))
	}
	return fmt.Sprintf("--split %q selects no row; the file has split %s%s; --split all reports every row", split, strings.Join(have, ", "), also)
}

// faqRows is "1 row" or "N rows".
func faqRows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// faqUnknownExpected names every expected_id of qs that is no entry's id
// (its queries could never be answered right), with the qids that carry it
// and the closest id when one looks like a typo of it. name is the FAQ
// file or config.
func faqUnknownExpected(qs []faq.Query, entries []faq.Entry, name string) []string {
	ids := make(map[string]bool, len(entries))
	for _, e := range entries {
		ids[e.ID] = true
	}
	all := slices.Collect(maps.Keys(ids))
	var unknown []string // in order of first use
	rows := map[string][]string{}
	for i, q := range qs {
		if !q.InScope() || ids[*q.ExpectedID] {
			continue
		}
		id := *q.ExpectedID
		if rows[id] == nil {
			unknown = append(unknown, id)
		}
		row := fmt.Sprintf("qid %q", q.QID)
		if q.QID == "" {
			row = fmt.Sprintf("query %d (no qid)", i+1)
		}
		rows[id] = append(rows[id], row)
	}
	const shown = 5
	p := make([]string, 0, len(unknown))
	for _, id := range unknown {
		r := rows[id]
		qids := strings.Join(r[:min(len(r), shown)], ", ")
		if len(r) > shown {
			qids += fmt.Sprintf(" and %d more", len(r)-shown)
		}
		p = append(p, fmt.Sprintf("expected_id %q names no FAQ entry of %s%s; used by %s", id, name, configs.DidYouMean(id, all), qids))
	}
	return p
}

func faqReadEntries(path string, alts bool) ([]faq.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baton faq eval: %w", err)
	}
	defer f.Close()
	es, err := faq.ReadEntries(f, alts)
	if err != nil {
		return nil, fmt.Errorf("baton faq eval: %s: %w", path, err)
	}
	return es, nil
}

func faqReadQueries(path string) ([]faq.Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("baton faq eval: %w", err)
	}
	defer f.Close()
	qs, err := faq.ReadQueries(f)
	if err != nil {
		return nil, fmt.Errorf("baton faq eval: %s: %w", path, err)
	}
	return qs, nil
}
