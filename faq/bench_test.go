package faq

import (
	"path/filepath"
	"testing"
)

// BenchmarkDecide measures one Decide on the 800-entry ParaKQC index,
// cycling through the noisy queries.
func BenchmarkDecide(b *testing.B) {
	es := loadEntries(b, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	qs := loadQueries(b, filepath.Join(evalDir, "parakqc", "queries_noisy.jsonl"))
	ix, err := New(es, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ix.Decide(qs[i%len(qs)].Query, "")
		i++
	}
}

// BenchmarkDecideBaseline is the char-bigram BM25 baseline on the same
// queries, for comparison.
func BenchmarkDecideBaseline(b *testing.B) {
	es := loadEntries(b, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	qs := loadQueries(b, filepath.Join(evalDir, "parakqc", "queries_noisy.jsonl"))
	base := NewBaseline(es)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		base.Decide(qs[i%len(qs)].Query, "")
		i++
	}
}

// BenchmarkNew measures building the 800-entry index (start-up cost).
func BenchmarkNew(b *testing.B) {
	es := loadEntries(b, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(es, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideLexicon is Decide with a lexicon learned from ParaKQC dev
// rows.
func BenchmarkDecideLexicon(b *testing.B) {
	es := loadEntries(b, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	qs := loadQueries(b, filepath.Join(evalDir, "parakqc", "queries_noisy.jsonl"))
	ix, err := New(es, Options{Lexicon: LearnLexicon(es, qs)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ix.Decide(qs[i%len(qs)].Query, "")
		i++
	}
}
