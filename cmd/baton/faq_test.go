package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunFAQUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no subcommand", nil, 2},
		{"unknown subcommand", []string{"train"}, 2},
		{"no queries", []string{"eval", "--faq", "x.jsonl"}, 2},
		{"both faq and config", []string{"eval", "--faq", "x", "--config", "y", "--queries", "q"}, 2},
		{"missing file", []string{"eval", "--faq", filepath.Join(t.TempDir(), "none.jsonl"), "--queries", filepath.Join(t.TempDir(), "none.jsonl")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := runFAQ(tt.args, &out, &errb); got != tt.want {
				t.Errorf("runFAQ(%q) got exit %d, want %d (stderr %q)", tt.args, got, tt.want, errb.String())
			}
		})
	}
}

func TestRunFAQEvalShop(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	args := []string{"eval", "--config", filepath.Join("..", "..", "configs", "example.yaml"),
		"--queries", filepath.Join("..", "..", "testdata", "shop-faq", "queries.jsonl"), "--split", "all"}
	if got := runFAQ(args, &out, &errb); got != 0 {
		t.Fatalf("runFAQ got exit %d, want 0; stderr %q", got, errb.String())
	}
	// The shop queries have dev rows, so the dev check runs; on 81 rows it
	// keeps the matcher without a lexicon.
	for _, want := range []string{"start-up: config load", "matcher (shipped defaults, no lexicon)", "dev check", "not using it", "baseline char-bigram BM25", "top-1", "decision accuracy", "answered-correct at >=90% OOS rejection", "latency mean"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSlowRunFAQEvalLexiconFlag(t *testing.T) {
	faqPath := filepath.Join("..", "..", "testdata", "faq-eval", "parakqc", "faq.jsonl")
	queries := filepath.Join("..", "..", "testdata", "faq-eval", "parakqc", "queries.jsonl")
	tests := []struct {
		name    string
		extra   []string
		want    []string
		notWant string
	}{
		{"default learns the dev lexicon", nil, []string{"lexicon learned from split=dev rows only", "using it", "matcher + dev lexicon (shipped defaults)"}, "not using it"},
		{"--lexicon=false", []string{"--lexicon=false"}, []string{"matcher (shipped defaults, no lexicon)"}, "lexicon learned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() {
				t.Skip("full ParaKQC evaluation")
			}
			var out, errb bytes.Buffer
			args := append([]string{"eval", "--faq", faqPath, "--queries", queries}, tt.extra...)
			if got := runFAQ(args, &out, &errb); got != 0 {
				t.Fatalf("runFAQ got exit %d, want 0; stderr %q", got, errb.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(out.String(), tt.notWant) {
				t.Errorf("output has %q:\n%s", tt.notWant, out.String())
			}
		})
	}
}
