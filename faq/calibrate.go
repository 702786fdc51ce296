package faq

// Calibrate chooses Accept, Margin and ClarifyMin for ix on the dev rows of
// queries (other rows are ignored): it maximises decision accuracy (clarify
// counts as not answered) plus a quarter point for every in-scope clarify
// that lists the right entry, keeping the in-scope clarify rate at most 8%.
// CategoryBonus keeps ix's value.
func Calibrate(ix *Index, queries []Query) Options {
	return calibrate([2]*Index{ix, ix}, queries)
}

// calibrate ranks every dev query with the index of its fold.
func calibrate(ixs [2]*Index, queries []Query) Options {
	type row struct {
		top    [3]candidate
		n      int
		accept float64
		want   int32 // expected entry, -1 when out of scope
	}
	var rows []row
	inScope := 0
	ix := ixs[0]
	for _, q := range queries {
		if q.Split != "dev" {
			continue
		}
		ix := ixs[foldOf(q)]
		r := row{want: -1}
		if q.InScope() {
			i, ok := ix.byID[*q.ExpectedID]
			if !ok {
				continue
			}
			r.want = int32(i)
			inScope++
		}
		s := ix.scratch.Get().(*scratch)
		r.n, r.accept = ix.rankWith(s, q.Query, q.Category, r.top[:])
		ix.scratch.Put(s)
		rows = append(rows, r)
	}
	best := ix.opts
	bestU := -1.0
	id := func(e int32) string { return ix.entries[e].ID }
	for a := 0.20; a <= 0.951; a += 0.01 {
		for m := 0.0; m <= 0.301; m += 0.02 {
			for cm := 0.10; cm <= a+0.001; cm += 0.05 {
				o := Options{Accept: a, Margin: m, ClarifyMin: cm, CategoryBonus: ix.opts.CategoryBonus}
				var ok, clar, clarHit int
				for _, r := range rows {
					d := decideWith(o, r.top[:r.n], r.accept, id)
					switch {
					case r.want < 0:
						if d.Kind == NoMatch {
							ok++
						}
					case d.Kind == Answer && d.ID == id(r.want):
						ok++
					case d.Kind == Clarify:
						clar++
						for _, c := range d.Candidates {
							if c == id(r.want) {
								clarHit++
							}
						}
					}
				}
				if inScope > 0 && float64(clar) > 0.08*float64(inScope) {
					continue
				}
				u := float64(ok) + 0.25*float64(clarHit)
				if u > bestU {
					bestU, best = u, o
				}
			}
		}
	}
	return best
}
