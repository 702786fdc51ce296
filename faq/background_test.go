//go:build !race

package faq

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSlowBackground rebuilds background.bin (with -update) from the FAQ
// questions and dev-split queries of the faq-eval benchmarks.
func TestSlowBackground(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild background.bin")
	}
	var docs [][]uint32
	for _, set := range []string{"parakqc", "qpair"} {
		for _, e := range loadEntries(t, filepath.Join(evalDir, set, "faq.jsonl"), true) {
			for _, s := range append([]string{e.Question}, e.Alternates...) {
				docs = append(docs, termsOf(s))
			}
		}
		for _, q := range devOnly(loadQueries(t, filepath.Join(evalDir, set, "queries.jsonl"))) {
			docs = append(docs, termsOf(q.Query))
		}
	}
	b := encodeBackground(docs)
	t.Logf("%d background documents, %d terms stored", len(docs), len(b)/5)
	if err := os.WriteFile("background.bin", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
