//go:build !race

package faq

import (
	"bytes"
	"flag"
	"go/format"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "retrain the reranker on dev rows and rewrite weights.go")

// TestSlowTrain retrains the reranker and recalibrates the thresholds on the
// dev rows of ParaKQC (clean + noisy). With -update it rewrites weights.go.
func TestSlowTrain(t *testing.T) {
	if !*update {
		t.Skip("run with -update to retrain")
	}
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	var qs []Query
	for _, f := range []string{"queries.jsonl", "queries_noisy.jsonl"} {
		qs = append(qs, devOnly(loadQueries(t, filepath.Join(evalDir, "parakqc", f)))...)
	}
	// The shop-style set's dev half teaches the models what a small FAQ
	// looks like; weight 20 makes its 81 rows count about a fifth as much
	// as ParaKQC's ~7,600 dev rows (chosen up front, not tuned). The
	// lexicon models train on ParaKQC only (a lexicon needs many rows).
	shop := TrainSet{
		Entries: loadExampleFAQ(t),
		Queries: devOnly(loadQueries(t, filepath.Join("..", "testdata", "shop-faq", "queries.jsonl"))),
		Weight:  20,
	}
	para := TrainSet{Entries: es, Queries: qs}
	var ws [2][nFeat + 1]float64
	var as [2][nAcc + 1]float64
	var os_ [2]Options
	for k, lex := range []bool{false, true} {
		sets := []TrainSet{para, shop}
		if lex {
			sets = sets[:1]
		}
		w, err := TrainWeights(sets, lex)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < nFeat; i++ {
			t.Logf("lex=%v %-14s %8.3f", lex, featNames[i], w[i])
		}
		t.Logf("lex=%v %-14s %8.3f", lex, "bias", w[nFeat])
		a, err := TrainAccept(sets, lex, w)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < nAcc; i++ {
			t.Logf("lex=%v accept %-14s %8.3f", lex, accName(i), a[i])
		}
		as[k] = a
		var cs []calSet
		for _, set := range sets {
			ixs, err := foldIndexes(set.Entries, set.Queries, lex)
			if err != nil {
				t.Fatal(err)
			}
			for _, ix := range ixs {
				ix.weights, ix.accept = w, a
			}
			cs = append(cs, calSet{ixs, set.Queries, set.weight()})
		}
		o := calibrate(cs)
		t.Logf("lex=%v calibrated: %+v", lex, o)
		ws[k], os_[k] = w, o
	}
	var buf bytes.Buffer
	writeWeightsGo(&buf, ws[0], ws[1], as[0], as[1], os_[0], os_[1])
	src, err := format.Source(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("weights.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
}
