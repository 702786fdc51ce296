package faq

import (
	"fmt"
	"io"
	"time"
)

// EvalOptions selects what RunEval measures.
type EvalOptions struct {
	// Split is the split reported ("" = every row). Default thresholds are
	// never tuned; dev rows only feed the baseline's threshold, the
	// lexicon and --calibrate.
	Split string
	// AltEntries, when set, is a second entry list (with alternates) that
	// is evaluated too, so both figures are reported.
	AltEntries []Entry
	// Calibrate also tunes thresholds on dev rows, prints them and reports
	// the matcher with them.
	Calibrate bool
	// Lexicon learns a lexicon (wording links and labelled examples) from
	// the dev rows, when there are in-scope dev rows, and makes the matcher
	// with it the one reported first, timed against the baseline and
	// calibrated; the matcher without it is reported too. baton faq eval
	// sets it unless --lexicon=false.
	Lexicon bool
	// Name labels the report.
	Name string
}

// RunEval evaluates the matcher with the shipped defaults and the
// char-bigram BM25 baseline on queries, and writes every figure to w.
func RunEval(w io.Writer, entries []Entry, queries []Query, o EvalOptions) error {
	sets := []struct {
		label   string
		entries []Entry
	}{{"question only", entries}}
	if o.AltEntries != nil {
		sets = append(sets, struct {
			label   string
			entries []Entry
		}{"question + alternates", o.AltEntries})
	}
	var dev []Query
	devIn := 0
	for _, q := range queries {
		if q.Split == "dev" {
			dev = append(dev, q)
			if q.InScope() {
				devIn++
			}
		}
	}
	split := o.Split
	if split == "" {
		split = "all"
	}
	fmt.Fprintf(w, "%s: %d entries, %d queries (%d dev rows), reporting split=%s\n", o.Name, len(entries), len(queries), len(dev), split)
	for _, set := range sets {
		fmt.Fprintf(w, "\n== index: %s\n", set.label)
		t0 := time.Now()
		ix, err := New(set.entries, Options{})
		if err != nil {
			return fmt.Errorf("faq: eval: %w", err)
		}
		fmt.Fprintf(w, "start-up (New, %d entries): %.1f ms\n", len(set.entries), float64(time.Since(t0).Microseconds())/1e3)
		o2 := ix.Options()
		fmt.Fprintf(w, "shipped default thresholds: accept %.4f margin %.4f clarify-min %.4f category-bonus %.4f\n",
			o2.Accept, o2.Margin, o2.ClarifyMin, o2.CategoryBonus)
		base := NewBaseline(set.entries)
		baseNote := "default threshold 0.5 (no dev rows)"
		if len(dev) > 0 {
			base.TuneThreshold(dev)
			baseNote = fmt.Sprintf("threshold %.4f tuned on dev rows", base.Threshold)
		}
		// Warm both up so neither pays first-touch costs in the timing.
		for i, q := range queries {
			if i == 200 {
				break
			}
			ix.Decide(q.Query, q.Category)
			base.Decide(q.Query, q.Category)
		}
		rm := Evaluate("matcher (shipped defaults, no lexicon)", ix, queries, o.Split)
		prim, primR := ix, rm
		var lexR *Report
		if o.Lexicon && devIn > 0 {
			withLex, without, err := LexiconCheck(set.entries, queries)
			if err != nil {
				return fmt.Errorf("faq: eval: %w", err)
			}
			lex := LearnLexicon(set.entries, queries)
			t0 := time.Now()
			lx, err := New(set.entries, Options{Lexicon: lex})
			if err != nil {
				return fmt.Errorf("faq: eval: %w", err)
			}
			use := withLex > without
			fmt.Fprintf(w, "lexicon learned from split=dev rows only: %d in-scope rows (%d bigrams linked), %d out-of-scope examples; New with it %.1f ms\n",
				devIn, lex.Size(), lex.Negatives(), float64(time.Since(t0).Microseconds())/1e3)
			fmt.Fprintf(w, "dev check (4 folds by query id, each fold's lexicon from the others): decision accuracy %.3f with the lexicon, %.3f without: %s (--lexicon=false turns it off)\n",
				withLex, without, map[bool]string{true: "using it", false: "not using it"}[use])
			lo := lx.Options()
			fmt.Fprintf(w, "shipped default thresholds with a lexicon: accept %.4f margin %.4f clarify-min %.4f\n", lo.Accept, lo.Margin, lo.ClarifyMin)
			for i, q := range queries {
				if i == 200 {
					break
				}
				lx.Decide(q.Query, q.Category)
			}
			name := "matcher + dev lexicon (shipped defaults)"
			if !use {
				name = "matcher + dev lexicon (shipped defaults; not chosen by the dev check)"
			}
			r := Evaluate(name, lx, queries, o.Split)
			if use {
				prim, primR = lx, r
			} else {
				lexR = &r
			}
		}
		rb := Evaluate("baseline char-bigram BM25, "+baseNote, base, queries, o.Split)
		if prim != ix {
			primR.Format(w)
		}
		rm.Format(w)
		if lexR != nil {
			lexR.Format(w)
		}
		if o.Calibrate && len(dev) > 0 {
			c := Calibrate(prim, queries)
			if prim != ix {
				if c, err = CalibrateLexicon(set.entries, queries); err != nil {
					return fmt.Errorf("faq: eval: %w", err)
				}
			}
			fmt.Fprintf(w, "calibrated on dev rows: accept %.4f margin %.4f clarify-min %.4f\n", c.Accept, c.Margin, c.ClarifyMin)
			c.Lexicon = prim.opts.Lexicon
			cx, err := New(set.entries, c)
			if err != nil {
				return fmt.Errorf("faq: eval: %w", err)
			}
			Evaluate("first matcher above with calibrated thresholds", cx, queries, o.Split).Format(w)
		}
		rb.Format(w)
		if rb.MeanUS > 0 {
			fmt.Fprintf(w, "mean latency first matcher / baseline: %.2fx\n", primR.MeanUS/rb.MeanUS)
		}
	}
	return nil
}
