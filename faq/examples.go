package faq

import "slices"

// negAttach is how many of the best recalled entries an out-of-scope
// example is attached to: a query is compared with the examples attached
// to its own recalled entries only, which keeps Decide's cost independent
// of the number of examples.
const negAttach = 3

// examples are a Lexicon's labelled dev rows compiled against one index:
// in-scope rows are attached to their entry, out-of-scope rows to the
// entries they recall best (the FAQs they are near misses of).
type examples struct {
	b, j *field  // bigram and jamo-trigram fields over every example text
	neg  []bool  // per example: out of scope
	off  []int32 // the examples of entry e are docs[off[e]:off[e+1]]
	docs []int32
}

// exQuery is the per-query state for comparing with the examples.
type exQuery struct {
	qb, qj       []int32 // query term ids of both fields (-1 unknown)
	selfB, selfJ float32
	neg          float64 // the largest out-of-scope similarity seen so far
	// markB[t] and markJ[t] hold gen<<8 | (count of term t in the query)
	// for the current query's gen; bumping gen forgets the previous query
	// without clearing.
	markB, markJ []uint32
	gen          uint32
}

// compileExamples builds the example store of lex for ix; it returns nil
// when lex has no example of ix's entries. ix must be usable by recall.
func (ix *Index) compileExamples(lex *Lexicon) *examples {
	type ex struct {
		text  string
		entry int32 // -1 out of scope
	}
	var all []ex
	for _, p := range lex.pos {
		if e, ok := ix.byID[p.id]; ok {
			all = append(all, ex{p.text, int32(e)})
		}
	}
	for _, t := range lex.neg {
		all = append(all, ex{t, -1})
	}
	if len(all) == 0 {
		return nil
	}
	var bDocs, jDocs [][]uint32
	var rs, js []rune
	var buf []byte
	attach := make([][]int32, len(ix.entries))
	x := &examples{}
	s := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(s)
	for _, e := range all {
		rs, buf = appendNormalizedCompact(rs[:0], buf, e.text)
		js = jamo(js[:0], rs)
		d := int32(len(bDocs))
		bDocs = append(bDocs, charBigrams(nil, rs))
		jDocs = append(jDocs, jamoTrigrams(nil, js))
		x.neg = append(x.neg, e.entry < 0)
		if e.entry >= 0 {
			attach[e.entry] = append(attach[e.entry], d)
			continue
		}
		n := ix.recall(s, e.text)
		var seen []int32
		for _, c := range s.cands[:n] {
			en := ix.docEntry[c.doc]
			if slices.Contains(seen, en) {
				continue
			}
			seen = append(seen, en)
			attach[en] = append(attach[en], d)
			if len(seen) == negAttach {
				break
			}
		}
	}
	bg := defaultBackground()
	x.b, x.j = buildField(bDocs, bg), buildField(jDocs, bg)
	x.off = make([]int32, len(attach)+1)
	for e, ds := range attach {
		x.off[e] = int32(len(x.docs))
		x.docs = append(x.docs, ds...)
	}
	x.off[len(attach)] = int32(len(x.docs))
	return x
}

// prepare looks the query's bigram and jamo-trigram hashes up in the
// example fields.
func (x *examples) prepare(q *exQuery, hB, hJ []uint32) {
	q.qb = x.b.lookup(q.qb[:0], hB)
	q.qj = x.j.lookup(q.qj[:0], hJ)
	q.selfB = x.b.selfScore(q.qb, hB)
	q.selfJ = x.j.selfScore(q.qj, hJ)
	q.neg = 0
	if len(q.markB) != len(x.b.idf) || len(q.markJ) != len(x.j.idf) {
		q.markB, q.markJ = make([]uint32, len(x.b.idf)), make([]uint32, len(x.j.idf))
		q.gen = 0
	}
	q.gen++
	if q.gen >= 1<<24 { // wrapped: forget every mark
		clear(q.markB)
		clear(q.markJ)
		q.gen = 1
	}
	mark(q.qb, q.markB, q.gen)
	mark(q.qj, q.markJ, q.gen)
}

// mark counts the known ids into marks under gen (a count saturates at
// 255).
func mark(ids []int32, marks []uint32, gen uint32) {
	for _, t := range ids {
		if t < 0 {
			continue
		}
		if marks[t]>>8 != gen {
			marks[t] = gen << 8
		}
		if marks[t]&0xff != 0xff {
			marks[t]++
		}
	}
}

// dotMarked is doc d's BM25 score in f for the query counted in marks.
func dotMarked(f *field, d int32, marks []uint32, gen uint32) float32 {
	lo, hi := f.docOff[d], f.docOff[d+1]
	w := f.docW[lo:hi]
	var sum float32
	for i, t := range f.docTerms[lo:hi] {
		if m := marks[t]; m>>8 == gen {
			sum += w[i] * float32(m&0xff)
		}
	}
	return sum
}

// similarity returns the query's largest similarity to an in-scope example
// of entry e and to an out-of-scope example attached to e. Similarity is
// the bigram and jamo-trigram coverage both ways, as fBothQ + fBothJ.
func (x *examples) similarity(q *exQuery, e int32) (pos, neg float64) {
	if q.selfB <= 0 || q.selfJ <= 0 {
		return 0, 0
	}
	for _, d := range x.docs[x.off[e]:x.off[e+1]] {
		vb := dotMarked(x.b, d, q.markB, q.gen)
		vj := dotMarked(x.j, d, q.markJ, q.gen)
		v := float64(vb/q.selfB)*ratio(vb, x.b.docSelf[d]) + float64(vj/q.selfJ)*ratio(vj, x.j.docSelf[d])
		if x.neg[d] {
			neg = max(neg, v)
		} else {
			pos = max(pos, v)
		}
	}
	return pos, neg
}
