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

// TestTrain retrains the reranker and recalibrates the thresholds on the
// dev rows of ParaKQC (clean + noisy). With -update it rewrites weights.go.
func TestTrain(t *testing.T) {
	if !*update {
		t.Skip("run with -update to retrain")
	}
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	var qs []Query
	for _, f := range []string{"queries.jsonl", "queries_noisy.jsonl"} {
		qs = append(qs, devOnly(loadQueries(t, filepath.Join(evalDir, "parakqc", f)))...)
	}
	w, err := TrainWeights(es, qs)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < nFeat; i++ {
		t.Logf("%-14s %8.3f", featNames[i], w[i])
	}
	t.Logf("%-14s %8.3f", "bias", w[nFeat])
	ix, err := New(es, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.weights = w
	o := Calibrate(ix, qs)
	t.Logf("calibrated: %+v", o)
	var buf bytes.Buffer
	writeWeightsGo(&buf, w, o)
	src, err := format.Source(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("weights.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
}
