//go:build !race

package faq

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestSlowEvalPrint(t *testing.T) {
	if os.Getenv("FAQ_EVAL_PRINT") == "" {
		t.Skip("set FAQ_EVAL_PRINT=1")
	}
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	for _, qf := range []string{"queries.jsonl", "queries_noisy.jsonl"} {
		qs := loadQueries(t, filepath.Join(evalDir, "parakqc", qf))
		ix, err := New(es, Options{})
		if err != nil {
			t.Fatal(err)
		}
		lx, err := New(es, Options{Lexicon: LearnLexicon(es, qs)})
		if err != nil {
			t.Fatal(err)
		}
		b := NewBaseline(es)
		b.TuneThreshold(devOnly(qs))
		for _, sp := range []string{"dev", "test"} {
			r := Evaluate(qf+" "+sp+" matcher", ix, qs, sp)
			r.Format(os.Stdout)
			r = Evaluate(qf+" "+sp+" matcher+lexicon", lx, qs, sp)
			r.Format(os.Stdout)
			r = Evaluate(qf+" "+sp+" baseline", b, qs, sp)
			r.Format(os.Stdout)
		}
	}
}

// TestSlowDevFold prints figures for tuning that never touch test rows: the
// lexicon is learned on dev fold 0 and evaluated on dev fold 1.
func TestSlowDevFold(t *testing.T) {
	if os.Getenv("FAQ_DEVFOLD") == "" {
		t.Skip("set FAQ_DEVFOLD=1")
	}
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	for _, qf := range []string{"queries.jsonl", "queries_noisy.jsonl"} {
		qs := devOnly(loadQueries(t, filepath.Join(evalDir, "parakqc", qf)))
		var f1 []Query
		for _, q := range qs {
			if fnv32(q.QID)&1 == 1 {
				f1 = append(f1, q)
			}
		}
		lex := learnLexicon(es, qs, func(q Query) bool { return fnv32(q.QID)&1 == 0 })
		for _, o := range []Options{{}, {Lexicon: lex}} {
			ix, err := New(es, o)
			if err != nil {
				t.Fatal(err)
			}
			r := Evaluate(fmt.Sprintf("%s dev-fold1 lex=%v", qf, o.Lexicon != nil), ix, f1, "dev")
			r.Format(os.Stdout)
		}
	}
}
