//go:build !race

package faq

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestDebugErrors(t *testing.T) {
	if os.Getenv("FAQ_DEBUG") == "" {
		t.Skip()
	}
	es := loadEntries(t, filepath.Join(evalDir, "parakqc", "faq.jsonl"), false)
	qs := devOnly(loadQueries(t, filepath.Join(evalDir, "parakqc", "queries.jsonl")))
	lex := learnLexicon(es, qs, func(q Query) bool { return foldOf(q) == 0 })
	ix, _ := New(es, Options{Lexicon: lex})
	q2 := map[string]string{}
	for _, e := range es {
		q2[e.ID] = e.Question
	}
	n, m := 0, 0
	for _, q := range qs {
		if foldOf(q) != 1 {
			continue
		}
		r := ix.Rank(q.Query, "", 3)
		d := ix.Decide(q.Query, "")
		if q.InScope() && len(r) > 0 && r[0].ID != *q.ExpectedID && n < 40 {
			n++
			rank := -1
			for i, x := range r {
				if x.ID == *q.ExpectedID {
					rank = i
				}
			}
			fmt.Printf("Q %s\n  got  %.2f %s\n  want %s (rank %d)\n", q.Query, r[0].Score, q2[r[0].ID], q2[*q.ExpectedID], rank)
		}
		if !q.InScope() && d.Kind == Answer && m < 40 {
			m++
			fmt.Printf("OOS %s [%s]\n  got %.2f %s\n", q.Query, q.Kind, d.Score, q2[d.ID])
		}
	}
}
