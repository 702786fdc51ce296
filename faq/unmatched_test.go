package faq

import (
	"path/filepath"
	"testing"
)

// TestSlowUnmatchedMatchesMerge: the early-stopping walk of unmatched returns
// exactly the full merge's values for every document against the analysed
// ParaKQC queries, in both n-gram fields.
func TestSlowUnmatchedMatchesMerge(t *testing.T) {
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	qs := loadQueries(t, filepath.Join(evalDir, "parakqc", "queries_noisy.jsonl"))
	ix, err := New(es, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		qs = qs[:min(len(qs), 60)]
	}
	s := &scratch{}
	checked := 0
	for _, q := range qs {
		if !ix.analyse(s, q.Query) {
			continue
		}
		for _, fc := range []struct {
			name   string
			f      *field
			q, byI []int32
		}{{"bigram", ix.bigram, s.setB, s.setBI}, {"jamo", ix.jamo, s.setJ, s.setJI}} {
			for d := range int32(len(ix.docEntry)) {
				gd, gq := fc.f.unmatched(d, fc.q, fc.byI)
				wd, wq := fc.f.unmatchedMerge(d, fc.q)
				if gd != wd || gq != wq {
					t.Fatalf("%s, query %q, doc %d: got %v/%v, want %v/%v", fc.name, q.Query, d, gd, gq, wd, wq)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no query was analysed")
	}
}
