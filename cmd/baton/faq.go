package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// runFAQ runs `baton faq <subcommand>`; only `eval` exists:
//
//	baton faq eval --faq F.jsonl --queries Q.jsonl [--split test] [--alts] [--calibrate] [--lexicon=false]
//	baton faq eval --config FILE --queries Q.jsonl [--split test]
//
// It returns the process exit code: 0 on success, 2 on a usage error, 1
// when a file cannot be read.
func runFAQ(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: baton faq eval --faq F.jsonl --queries Q.jsonl [--split test] [--alts] [--calibrate] [--lexicon=false]\n       baton faq eval --config FILE --queries Q.jsonl [--split test]")
		return 2
	}
	fs := flag.NewFlagSet("faq eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	faqPath := fs.String("faq", "", "FAQ entries as JSON Lines (id, question, alt_questions, topic)")
	cfgPath := fs.String("config", "", "evaluate the faq section of this Baton config instead of --faq")
	queries := fs.String("queries", "", "labelled queries as JSON Lines (qid, query, expected_id, kind, split)")
	split := fs.String("split", "test", `split to report ("all" = every row)`)
	alts := fs.Bool("alts", false, "also index alt_questions and report both")
	calibrate := fs.Bool("calibrate", false, "also tune thresholds on split=dev rows, print and report them")
	lexicon := fs.Bool("lexicon", true, "learn a lexicon from split=dev rows (when the queries have any) and report the matcher with it first; --lexicon=false turns it off")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *queries == "" || (*faqPath == "") == (*cfgPath == "") {
		fmt.Fprintln(stderr, "faq eval: need --queries and exactly one of --faq or --config")
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
	var entries []faq.Entry
	if *cfgPath != "" {
		t0 := time.Now()
		cfg, err := configs.Load(*cfgPath)
		if err != nil {
			fmt.Fprintf(stderr, "faq eval: %v\n", err)
			return 1
		}
		entries = cfg.FAQEntries()
		t1 := time.Now()
		if _, err := faq.New(entries, faq.Options{}); err != nil {
			fmt.Fprintf(stderr, "faq eval: %v\n", err)
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
	if err := faq.RunEval(stdout, entries, qs, o); err != nil {
		fmt.Fprintf(stderr, "faq eval: %v\n", err)
		return 1
	}
	return 0
}

func faqReadEntries(path string, alts bool) ([]faq.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("faq eval: %w", err)
	}
	defer f.Close()
	es, err := faq.ReadEntries(f, alts)
	if err != nil {
		return nil, fmt.Errorf("faq eval: %s: %w", path, err)
	}
	return es, nil
}

func faqReadQueries(path string) ([]faq.Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("faq eval: %w", err)
	}
	defer f.Close()
	qs, err := faq.ReadQueries(f)
	if err != nil {
		return nil, fmt.Errorf("faq eval: %s: %w", path, err)
	}
	return qs, nil
}
