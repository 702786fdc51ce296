package faq

import "fmt"

// Calibrate chooses Accept, Margin and ClarifyMin for ix on the dev rows of
// queries (other rows are ignored): it maximises decision accuracy (clarify
// counts as not answered) plus a quarter point for every in-scope clarify
// that lists the right entry, keeping the in-scope clarify rate at most 8%.
// CategoryBonus keeps ix's value. For an index whose Lexicon was learned
// from these same rows use CalibrateLexicon: the lexicon's examples would
// otherwise match their own rows.
func Calibrate(ix *Index, queries []Query) Options {
	return calibrate([]calSet{{[nFolds]*Index{ix, ix, ix, ix}, queries, 1}})
}

// minMargin is the smallest margin calibration may choose: a product
// decision, so that two near-equal candidates are always offered as a
// choice rather than one being answered.
const minMargin = 0.04

// calSet is one FAQ's fold indexes with its queries and row weight.
type calSet struct {
	ixs     [nFolds]*Index
	queries []Query
	weight  float64
}

// calibrate ranks every dev query with the index of its fold.
func calibrate(sets []calSet) Options {
	type row struct {
		top    [3]candidate
		n      int
		accept float64
		want   int32 // expected entry, -1 when out of scope
		ix     *Index
		w      float64
	}
	var rows []row
	inScope := 0.0
	for _, set := range sets {
		for _, q := range set.queries {
			if q.Split != "dev" {
				continue
			}
			ix := set.ixs[foldOf(q)]
			r := row{want: -1, ix: ix, w: set.weight}
			if q.InScope() {
				i, ok := ix.byID[*q.ExpectedID]
				if !ok {
					continue
				}
				r.want = int32(i)
				inScope += set.weight
			}
			s := ix.scratch.Get().(*scratch)
			r.n, r.accept = ix.rankWith(s, q.Query, q.Category, r.top[:])
			ix.scratch.Put(s)
			rows = append(rows, r)
		}
	}
	best := sets[0].ixs[0].opts
	bestU := -1.0
	for a := 0.20; a <= 0.951; a += 0.01 {
		for m := minMargin; m <= 0.301; m += 0.02 {
			for cm := 0.10; cm <= a+0.001; cm += 0.05 {
				o := Options{Accept: a, Margin: m, ClarifyMin: cm, CategoryBonus: best.CategoryBonus}
				var ok, clar, clarHit float64
				for _, r := range rows {
					id := func(e int32) string { return r.ix.entries[e].ID }
					d := decideWith(o, r.top[:r.n], r.accept, id)
					switch {
					case r.want < 0:
						if d.Kind == NoMatch {
							ok += r.w
						}
					case d.Kind == Answer && d.ID == id(r.want):
						ok += r.w
					case d.Kind == Clarify:
						clar += r.w
						for _, c := range d.Candidates {
							if c == id(r.want) {
								clarHit += r.w
							}
						}
					}
				}
				if inScope > 0 && clar > 0.08*inScope {
					continue
				}
				u := ok + 0.25*clarHit
				if u > bestU {
					bestU, best = u, o
				}
			}
		}
	}
	return best
}

// CalibrateLexicon chooses thresholds like Calibrate for the matcher with a
// lexicon learned from the dev rows of queries. The rows are cross-fitted:
// each is ranked by an index whose lexicon was learned from the other
// folds' dev rows only, so the thresholds see lexicon links and examples as
// they will be on unseen queries.
func CalibrateLexicon(entries []Entry, queries []Query) (Options, error) {
	ixs, err := foldIndexes(entries, queries, true)
	if err != nil {
		return Options{}, fmt.Errorf("faq: calibrate: %w", err)
	}
	return calibrate([]calSet{{ixs, queries, 1}}), nil
}

// LexiconCheck compares, on the dev rows of queries, the decision accuracy
// (shipped default thresholds) of the matcher with a lexicon learned from
// the dev rows, cross-fitted as in CalibrateLexicon, with the matcher
// without one. A lexicon learned from a handful of rows can hurt; this
// tells without reading any other split.
func LexiconCheck(entries []Entry, queries []Query) (withLex, without float64, err error) {
	ixs, err := foldIndexes(entries, queries, true)
	if err != nil {
		return 0, 0, fmt.Errorf("faq: lexicon check: %w", err)
	}
	plain, err := New(entries, Options{})
	if err != nil {
		return 0, 0, fmt.Errorf("faq: lexicon check: %w", err)
	}
	var okL, okP, n float64
	for _, q := range queries {
		if q.Split != "dev" {
			continue
		}
		n++
		if decisionRight(ixs[foldOf(q)].Decide(q.Query, q.Category), q) {
			okL++
		}
		if decisionRight(plain.Decide(q.Query, q.Category), q) {
			okP++
		}
	}
	if n == 0 {
		return 0, 0, nil
	}
	return okL / n, okP / n, nil
}

// decisionRight reports whether d is right for q: the expected entry
// answered, or no match for an out-of-scope query.
func decisionRight(d Decision, q Query) bool {
	if q.InScope() {
		return d.Kind == Answer && d.ID == *q.ExpectedID
	}
	return d.Kind == NoMatch
}
