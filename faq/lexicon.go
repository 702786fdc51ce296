package faq

import (
	"cmp"
	"slices"
)

// Lexicon is a learned bigram translation table: for a character bigram of
// a user's wording, the bigrams FAQ questions use for the same thing
// ("눈이" → "강설"), each with an association strength in (0, 1]. Learn one
// with LearnLexicon from labelled dev rows and pass it in Options; the zero
// Options has none.
type Lexicon struct {
	assoc  map[uint32][]lexLink // query bigram -> doc bigrams, strongest first
	assocS map[uint32][]lexLink // query word stem -> doc word stems
	pairs  int                  // training pairs seen
	// neg are the texts of the out-of-scope dev rows: questions known to
	// have no FAQ. A query close to one of them ("라인 말고 카카오톡") is
	// less likely to be answered by its best FAQ.
	neg []string
	// pos are the in-scope dev rows: wordings known to ask for an entry.
	pos []example
}

type example struct {
	text, id string
}

type lexLink struct {
	doc uint32
	a   float32
}

// Lexicon tuning: links seen fewer than lexMinCount times or weaker than
// lexMinAssoc are dropped; at most lexMaxLinks are kept per bigram;
// association = count ÷ (times the query bigram was unmatched + lexSmooth).
// Chosen on dev halves (TestSlowDevFold: lexicon from one half of the dev
// rows, scored on the other).
const (
	lexMinCount = 1
	lexMinAssoc = 0.1
	lexMaxLinks = 8
	lexSmooth   = 1
)

// LearnLexicon learns a Lexicon from the rows of queries whose split is
// "dev" (every other row is ignored, so test rows cannot leak in): for each
// in-scope (query, expected entry) pair it counts how often a query bigram
// that the entry's texts lack co-occurs with an entry bigram the query
// lacks; the out-of-scope dev rows are kept as examples of questions that
// have no FAQ. Deterministic.
func LearnLexicon(entries []Entry, queries []Query) *Lexicon {
	return learnLexicon(entries, queries, func(q Query) bool { return q.Split == "dev" })
}

func learnLexicon(entries []Entry, queries []Query, use func(Query) bool) *Lexicon {
	lex := &Lexicon{}
	lex.assoc, lex.pairs = learnLinks(entries, queries, use, bigramTerms)
	lex.assocS, _ = learnLinks(entries, queries, use, stemTerms)
	for _, q := range queries {
		switch {
		case !use(q) || Normalize(q.Query) == "":
		case q.InScope():
			lex.pos = append(lex.pos, example{q.Query, *q.ExpectedID})
		default:
			lex.neg = append(lex.neg, q.Query)
		}
	}
	return lex
}

// bigramTerms and stemTerms extract the terms the two lexicon channels
// link.
func bigramTerms(dst []uint32, text string) []uint32 {
	return charBigrams(dst, compact(nil, Normalize(text)))
}

func stemTerms(dst []uint32, text string) []uint32 {
	sp, _ := appendNormalized(nil, nil, text, true)
	return stems(dst, sp)
}

// learnLinks counts, over the used (query, expected entry) pairs, how often
// a query term the entry's texts lack co-occurs with an entry term the
// query lacks, and keeps the strong links.
func learnLinks(entries []Entry, queries []Query, use func(Query) bool, terms func([]uint32, string) []uint32) (map[uint32][]lexLink, int) {
	byID := make(map[string]int, len(entries))
	for i, e := range entries {
		byID[e.ID] = i
	}
	docSets := make([][]uint32, len(entries))
	for i, e := range entries {
		hs := terms(nil, e.Question)
		for _, a := range e.Alternates {
			hs = terms(hs, a)
		}
		slices.Sort(hs)
		docSets[i] = slices.Compact(hs)
	}
	type pair struct{ q, d uint32 }
	count := map[pair]int{}
	seen := map[uint32]int{}
	assoc := map[uint32][]lexLink{}
	pairs := 0
	var qs []uint32
	for _, q := range queries {
		if !use(q) || !q.InScope() {
			continue
		}
		e, ok := byID[*q.ExpectedID]
		if !ok {
			continue
		}
		pairs++
		qs = terms(qs[:0], q.Query)
		slices.Sort(qs)
		qs = slices.Compact(qs)
		ds := docSets[e]
		for _, a := range qs {
			if _, in := slices.BinarySearch(ds, a); in {
				continue
			}
			seen[a]++
			for _, b := range ds {
				if _, in := slices.BinarySearch(qs, b); in {
					continue
				}
				count[pair{a, b}]++
			}
		}
	}
	for p, c := range count {
		if c < lexMinCount {
			continue
		}
		a := float32(c) / float32(seen[p.q]+lexSmooth)
		if a < lexMinAssoc {
			continue
		}
		assoc[p.q] = append(assoc[p.q], lexLink{p.d, a})
	}
	for q, ls := range assoc {
		slices.SortFunc(ls, func(x, y lexLink) int {
			if c := cmp.Compare(y.a, x.a); c != 0 {
				return c
			}
			return cmp.Compare(x.doc, y.doc)
		})
		if len(ls) > lexMaxLinks {
			ls = ls[:lexMaxLinks]
		}
		assoc[q] = ls
	}
	return assoc, pairs
}

// Negatives returns the number of out-of-scope examples the lexicon holds.
func (l *Lexicon) Negatives() int {
	if l == nil {
		return 0
	}
	return len(l.neg)
}

// Size returns the number of query bigrams with at least one link.
func (l *Lexicon) Size() int {
	if l == nil {
		return 0
	}
	return len(l.assoc)
}
