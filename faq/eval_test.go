//go:build !race

package faq

import (
	"os"
	"path/filepath"
	"testing"
)

func loadEntries(t testing.TB, path string, alts bool) []Entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := ReadEntries(f, alts)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func loadQueries(t testing.TB, path string) []Query {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qs, err := ReadQueries(f)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

var evalDir = filepath.Join("..", "testdata", "faq-eval")

func devOnly(qs []Query) []Query {
	var out []Query
	for _, q := range qs {
		if q.Split == "dev" {
			out = append(out, q)
		}
	}
	return out
}

func TestEvalPrint(t *testing.T) {
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
		b := NewBaseline(es)
		b.TuneThreshold(devOnly(qs))
		for _, sp := range []string{"dev", "test"} {
			r := Evaluate(qf+" "+sp+" matcher", ix, qs, sp)
			r.Format(os.Stdout)
			r = Evaluate(qf+" "+sp+" baseline", b, qs, sp)
			r.Format(os.Stdout)
		}
	}
}
