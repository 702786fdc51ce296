package faq

import (
	"math"
	"sort"
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
	docs    []int32          // document (entry) index
	weights []float32        // full BM25 contribution of the term in that doc
	selfMax []float32        // per doc: score of the doc against itself
	nDocs   int
}

// buildField indexes docs, each given as its list of term hashes (repeats
// count as term frequency).
func buildField(docTerms [][]uint32) *field {
	f := &field{terms: make(map[uint32]int32), nDocs: len(docTerms)}
	type post struct {
		doc int32
		tf  float32
	}
	var lists [][]post
	var total float64
	lens := make([]float64, len(docTerms))
	for d, ts := range docTerms {
		lens[d] = float64(len(ts))
		total += lens[d]
		tf := map[uint32]float32{}
		for _, h := range ts {
			tf[h]++
		}
		keys := make([]uint32, 0, len(tf))
		for h := range tf {
			keys = append(keys, h)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		for _, h := range keys {
			t, ok := f.terms[h]
			if !ok {
				t = int32(len(lists))
				f.terms[h] = t
				lists = append(lists, nil)
			}
			lists[t] = append(lists[t], post{int32(d), tf[h]})
		}
	}
	avg := 1.0
	if len(docTerms) > 0 && total > 0 {
		avg = total / float64(len(docTerms))
	}
	n := float64(len(docTerms))
	f.idf = make([]float32, len(lists))
	f.off = make([]int32, len(lists)+1)
	f.selfMax = make([]float32, len(docTerms))
	for t, l := range lists {
		df := float64(len(l))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		f.idf[t] = float32(idf)
		f.off[t] = int32(len(f.docs))
		for _, p := range l {
			tf := float64(p.tf)
			w := idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*lens[p.doc]/avg))
			f.docs = append(f.docs, p.doc)
			f.weights = append(f.weights, float32(w))
			f.selfMax[p.doc] += float32(w)
		}
	}
	f.off[len(lists)] = int32(len(f.docs))
	return f
}

// score adds the BM25 score of the query terms (deduplicated by the caller or
// not: repeats count once per occurrence) into acc, and returns the query's
// self-score: the sum of idf·(k1+1) over known terms plus a default idf for
// unknown ones, the score a document identical to the query would get.
func (f *field) score(q []uint32, acc []float32) float32 {
	var self float32
	unknownIDF := float32(math.Log(1 + (float64(f.nDocs)+0.5)/0.5))
	for _, h := range q {
		t, ok := f.terms[h]
		if !ok {
			self += unknownIDF * (bm25K1 + 1)
			continue
		}
		self += f.idf[t] * (bm25K1 + 1)
		for i := f.off[t]; i < f.off[t+1]; i++ {
			acc[f.docs[i]] += f.weights[i]
		}
	}
	return self
}
