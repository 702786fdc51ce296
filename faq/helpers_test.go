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
