package faq

import (
	"math"
	"slices"
)

// BM25 parameters shared by every field.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// field is one BM25 inverted index over hashed terms with flat postings.
// It is immutable after build and safe for concurrent reads.
type field struct {
	terms   map[uint32]int32 // term hash -> term index
	idf     []float32        // per term
	off     []int32          // postings of term t are docs[off[t]:off[t+1]]
	docs    []int32          // document index
	weights []float32        // full BM25 contribution of the term in that doc
	docSelf []float32        // per doc: score of the doc against itself
	// docTerms[docOff[d]:docOff[d+1]] are the distinct term ids of doc d,
	// ascending.
	docOff     []int32
	docTerms   []int32
	docW       []float32 // BM25 weight of each docTerms entry in its doc
	unknownIDF float32
	maxIDF     float32
	bg         *background

	// docByIDF[docOff[d]:docOff[d+1]] are doc d's term ids by descending
	// idf, so unmatched finds the doc's best unmatched term in a step or two.
	docByIDF []int32
	// rank orders all terms by descending idf (ties by id): rank[t] is term
	// t's place and byRank[r] the term at place r.
	rank, byRank []int32
}

// buildField indexes docs, each given as its list of term hashes (repeats
// count as term frequency).
func buildField(docTerms [][]uint32, bg *background) *field {
	f := &field{terms: make(map[uint32]int32), bg: bg}
	var hashes []uint32
	type post struct {
		doc int32
		tf  float32
	}
	var lists [][]post
	var total float64
	lens := make([]float64, len(docTerms))
	perDoc := make([][]int32, len(docTerms))
	for d, ts := range docTerms {
		lens[d] = float64(len(ts))
		total += lens[d]
		sorted := slices.Clone(ts)
		slices.Sort(sorted)
		for i := 0; i < len(sorted); {
			j := i
			for j < len(sorted) && sorted[j] == sorted[i] {
				j++
			}
			h := sorted[i]
			t, ok := f.terms[h]
			if !ok {
				t = int32(len(lists))
				f.terms[h] = t
				lists = append(lists, nil)
				hashes = append(hashes, h)
			}
			lists[t] = append(lists[t], post{int32(d), float32(j - i)})
			perDoc[d] = append(perDoc[d], t)
			i = j
		}
	}
	avg := 1.0
	if len(docTerms) > 0 && total > 0 {
		avg = total / float64(len(docTerms))
	}
	n := float64(len(docTerms))
	f.unknownIDF = float32(math.Log(1 + (n+0.5)/0.5))
	f.idf = make([]float32, len(lists))
	f.off = make([]int32, len(lists)+1)
	f.docSelf = make([]float32, len(docTerms))
	for t, l := range lists {
		df := float64(len(l))
		idf := math.Log(1+(n-df+0.5)/(df+0.5)) * float64(bg.factor(hashes[t]))
		f.idf[t] = float32(idf)
		f.maxIDF = max(f.maxIDF, float32(idf))
		f.off[t] = int32(len(f.docs))
		for _, p := range l {
			tf := float64(p.tf)
			w := idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*lens[p.doc]/avg))
			f.docs = append(f.docs, p.doc)
			f.weights = append(f.weights, float32(w))
			f.docSelf[p.doc] += float32(w)
		}
	}
	f.off[len(lists)] = int32(len(f.docs))
	f.docOff = make([]int32, len(docTerms)+1)
	for d, ts := range perDoc {
		f.docOff[d] = int32(len(f.docTerms))
		slices.Sort(ts)
		f.docTerms = append(f.docTerms, ts...)
		for _, t := range ts {
			ps := f.docs[f.off[t]:f.off[t+1]]
			k, _ := slices.BinarySearch(ps, int32(d))
			f.docW = append(f.docW, f.weights[int(f.off[t])+k])
		}
	}
	f.docOff[len(docTerms)] = int32(len(f.docTerms))
	f.byRank = make([]int32, len(f.idf))
	for t := range f.byRank {
		f.byRank[t] = int32(t)
	}
	slices.SortFunc(f.byRank, func(a, b int32) int {
		switch {
		case f.idf[a] > f.idf[b]:
			return -1
		case f.idf[a] < f.idf[b]:
			return 1
		}
		return int(a - b)
	})
	f.rank = make([]int32, len(f.idf))
	for r, t := range f.byRank {
		f.rank[t] = int32(r)
	}
	f.docByIDF = make([]int32, 0, len(f.docTerms))
	for d := range perDoc {
		f.docByIDF = f.appendByIDF(f.docByIDF, f.docTerms[f.docOff[d]:f.docOff[d+1]])
	}
	return f
}

// appendByIDF appends the term ids ts to dst by descending idf (ties by id).
func (f *field) appendByIDF(dst, ts []int32) []int32 {
	start := len(dst)
	for _, t := range ts {
		dst = append(dst, f.rank[t])
	}
	out := dst[start:]
	slices.Sort(out)
	for i, r := range out {
		out[i] = f.byRank[r]
	}
	return dst
}

// lookup maps query term hashes to term ids (-1 when unknown), appending to
// dst.
func (f *field) lookup(dst []int32, q []uint32) []int32 {
	for _, h := range q {
		t, ok := f.terms[h]
		if !ok {
			t = -1
		}
		dst = append(dst, t)
	}
	return dst
}

// score adds the BM25 score of the query term ids (repeats count) into acc
// and returns the query's self-score: the sum of idf·(k1+1), with the
// unseen-term idf for unknown terms — the score a document identical to
// the query would get.
func (f *field) score(ids []int32, hashes []uint32, acc []float32) float32 {
	var self float32
	for i, t := range ids {
		if t < 0 {
			self += f.unknownIDF * (bm25K1 + 1) * f.bg.factor(hashes[i])
			continue
		}
		self += f.idf[t] * (bm25K1 + 1)
		w := f.weights[f.off[t]:f.off[t+1]]
		for i, d := range f.docs[f.off[t]:f.off[t+1]] {
			acc[d] += w[i]
		}
	}
	return self
}

// selfScore is the query self-score of score without scoring documents.
func (f *field) selfScore(ids []int32, hashes []uint32) float32 {
	var self float32
	for i, t := range ids {
		if t < 0 {
			self += f.unknownIDF * (bm25K1 + 1) * f.bg.factor(hashes[i])
			continue
		}
		self += f.idf[t] * (bm25K1 + 1)
	}
	return self
}

// unmatched returns, for doc d and the ascending distinct known query term
// ids q (qByIDF: the same ids by descending idf), the largest idf of a doc
// term the query lacks and the largest idf of a query term the doc lacks,
// both divided by the field's largest idf. Each side walks its terms from
// the highest idf and stops at the first one the other side lacks: the same
// maxima as a full merge, usually after a step or two.
func (f *field) unmatched(d int32, q, qByIDF []int32) (docSide, querySide float32) {
	dt := f.docTerms[f.docOff[d]:f.docOff[d+1]]
	for _, t := range f.docByIDF[f.docOff[d]:f.docOff[d+1]] {
		if _, in := slices.BinarySearch(q, t); !in {
			docSide = max(docSide, f.idf[t])
			break
		}
	}
	for _, t := range qByIDF {
		if _, in := slices.BinarySearch(dt, t); !in {
			querySide = max(querySide, f.idf[t])
			break
		}
	}
	if f.maxIDF > 0 {
		docSide /= f.maxIDF
		querySide /= f.maxIDF
	}
	return docSide, querySide
}

// unmatchedMerge is unmatched by a full merge of the two sorted term lists:
// the reference the fast walk is tested against.
func (f *field) unmatchedMerge(d int32, q []int32) (docSide, querySide float32) {
	dt := f.docTerms[f.docOff[d]:f.docOff[d+1]]
	i, j := 0, 0
	for i < len(dt) || j < len(q) {
		switch {
		case j >= len(q) || (i < len(dt) && dt[i] < q[j]):
			docSide = max(docSide, f.idf[dt[i]])
			i++
		case i >= len(dt) || q[j] < dt[i]:
			querySide = max(querySide, f.idf[q[j]])
			j++
		default:
			i++
			j++
		}
	}
	if f.maxIDF > 0 {
		docSide /= f.maxIDF
		querySide /= f.maxIDF
	}
	return docSide, querySide
}
