package faq

import (
	_ "embed"
	"encoding/binary"
	"math"
	"slices"
	"sync"
)

// background.bin is a table of general-Korean n-gram weights: for every
// character bigram and jamo trigram that is common in a background corpus
// (the ParaKQC and Question_pair FAQ questions and their dev-split queries;
// never test rows), a factor in [0, 1) by which its in-index idf is scaled.
// It lets a 30-entry FAQ know that "싶어" or "어요" say little, which its
// own idf cannot. Rebuild with `go test ./faq -run TestSlowBackground -update`.
//
//go:embed background.bin
var backgroundBin []byte

// background is the decoded table: ascending hashes with their factors.
type background struct {
	hashes  []uint32
	factors []float32
}

// defaultBackground decodes the embedded table once.
var defaultBackground = sync.OnceValue(func() *background { return decodeBackground(backgroundBin) })

// bgFactorLevels is the quantisation of a factor into one byte.
const bgFactorLevels = 255

func decodeBackground(b []byte) *background {
	n := len(b) / 5
	bg := &background{hashes: make([]uint32, n), factors: make([]float32, n)}
	for i := 0; i < n; i++ {
		bg.hashes[i] = binary.LittleEndian.Uint32(b[i*5:])
		bg.factors[i] = float32(b[i*5+4]) / bgFactorLevels
	}
	return bg
}

// factor returns the scaling of term hash h (1 for terms not in the table).
func (bg *background) factor(h uint32) float32 {
	if bg == nil {
		return 1
	}
	i, ok := slices.BinarySearch(bg.hashes, h)
	if !ok {
		return 1
	}
	return bg.factors[i]
}

// Background table construction: a term's factor is its background idf
// divided by the idf of a term in bgRareShare of the documents, capped at
// 1; only terms with a factor below 1 are stored.
const bgRareShare = 0.002

// encodeBackground builds background.bin from documents given as their
// term hash lists.
func encodeBackground(docs [][]uint32) []byte {
	df := map[uint32]int{}
	var u []uint32
	for _, d := range docs {
		u = append(u[:0], d...)
		slices.Sort(u)
		for _, h := range slices.Compact(u) {
			df[h]++
		}
	}
	n := float64(len(docs))
	idf := func(df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }
	capIDF := idf(math.Max(1, bgRareShare*n))
	var hs []uint32
	for h, c := range df {
		if idf(float64(c)) < capIDF {
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	out := make([]byte, 0, 5*len(hs))
	for _, h := range hs {
		f := idf(float64(df[h])) / capIDF
		out = binary.LittleEndian.AppendUint32(out, h)
		out = append(out, byte(math.Round(f*bgFactorLevels)))
	}
	return out
}

// termsOf returns the bigram and jamo-trigram hashes of text.
func termsOf(text string) []uint32 {
	rs := compact(nil, Normalize(text))
	if len(rs) == 0 {
		return nil
	}
	hs := charBigrams(nil, rs)
	return jamoTrigrams(hs, jamo(nil, rs))
}
