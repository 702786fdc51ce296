package faq

import (
	"math"
	"sort"
)

// Baseline is the reference char-bigram BM25 the evaluation runs alongside
// the matcher: NFKC + lower case + punctuation dropped, bigrams over the
// space-stripped string, k1=1.2, b=0.75, a plain map-based inverted index,
// score = top BM25 ÷ the query's self-score, one accept threshold.
type Baseline struct {
	entries   []Entry
	docEntry  []int
	postings  map[string]map[int]float64 // bigram -> doc -> tf
	docLen    []float64
	avgLen    float64
	Threshold float64
}

// NewBaseline indexes the question and alternates of entries.
func NewBaseline(entries []Entry) *Baseline {
	b := &Baseline{entries: entries, postings: map[string]map[int]float64{}, Threshold: 0.5}
	var total float64
	for i, e := range entries {
		for _, t := range append([]string{e.Question}, e.Alternates...) {
			d := len(b.docEntry)
			b.docEntry = append(b.docEntry, i)
			grams := baselineBigrams(t)
			for _, g := range grams {
				if b.postings[g] == nil {
					b.postings[g] = map[int]float64{}
				}
				b.postings[g][d]++
			}
			b.docLen = append(b.docLen, float64(len(grams)))
			total += float64(len(grams))
		}
	}
	b.avgLen = 1
	if len(b.docLen) > 0 && total > 0 {
		b.avgLen = total / float64(len(b.docLen))
	}
	return b
}

func baselineBigrams(s string) []string {
	var rs []rune
	for _, r := range Normalize(s) {
		if r != ' ' {
			rs = append(rs, r)
		}
	}
	if len(rs) == 1 {
		return []string{string(rs)}
	}
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

func (b *Baseline) idf(df int) float64 {
	n := float64(len(b.docLen))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// Rank returns the k best entries by BM25 ÷ self-score.
func (b *Baseline) Rank(query, _ string, k int) []Scored {
	grams := baselineBigrams(query)
	scores := map[int]float64{}
	// Self-score: BM25 of the query against itself as a document.
	qtf := map[string]float64{}
	for _, g := range grams {
		qtf[g]++
	}
	var self float64
	qlen := float64(len(grams))
	for g, tf := range qtf {
		self += b.idf(len(b.postings[g])) * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*qlen/b.avgLen))
	}
	for _, g := range grams {
		p := b.postings[g]
		idf := b.idf(len(p))
		for d, tf := range p {
			scores[d] += idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*b.docLen[d]/b.avgLen))
		}
	}
	best := map[int]float64{}
	for d, s := range scores {
		e := b.docEntry[d]
		if s > best[e] {
			best[e] = s
		}
	}
	out := make([]Scored, 0, len(best))
	for e, s := range best {
		out = append(out, Scored{b.entries[e].ID, s / self})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// Decide answers the top entry when its score reaches Threshold.
func (b *Baseline) Decide(query, category string) Decision {
	r := b.Rank(query, category, 1)
	if len(r) == 0 || r[0].Score < b.Threshold {
		d := Decision{Kind: NoMatch}
		if len(r) > 0 {
			d.Score = r[0].Score
		}
		return d
	}
	return Decision{Kind: Answer, ID: r[0].ID, Score: r[0].Score}
}

// TuneThreshold sets Threshold to the value that maximises decision
// accuracy over the split=dev rows of queries (other rows are ignored).
func (b *Baseline) TuneThreshold(queries []Query) {
	type pt struct {
		s  float64
		ok int // +1: in-scope with right top-1; 0: in-scope wrong; -1: OOS
	}
	var pts []pt
	for _, q := range queries {
		if q.Split != "dev" {
			continue
		}
		r := b.Rank(q.Query, q.Category, 1)
		s := math.Inf(-1)
		if len(r) > 0 {
			s = r[0].Score
		}
		switch {
		case !q.InScope():
			pts = append(pts, pt{s, -1})
		case len(r) > 0 && r[0].ID == *q.ExpectedID:
			pts = append(pts, pt{s, 1})
		default:
			pts = append(pts, pt{s, 0})
		}
	}
	b.Threshold = bestThreshold(pts2(pts, func(p pt) (float64, int) { return p.s, p.ok }))
}

func pts2[T any](xs []T, f func(T) (float64, int)) ([]float64, []int) {
	s := make([]float64, len(xs))
	k := make([]int, len(xs))
	for i, x := range xs {
		s[i], k[i] = f(x)
	}
	return s, k
}

// bestThreshold returns the threshold t maximising the number of correct
// decisions when scores >= t are answered: kind +1 is right when answered,
// -1 is right when rejected, 0 is never right.
func bestThreshold(scores []float64, kinds []int) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	// Threshold below everything: all answered.
	correct := 0
	for _, k := range kinds {
		if k == 1 {
			correct++
		}
	}
	best, bestT := correct, math.Inf(-1)
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			switch kinds[idx[j]] {
			case 1:
				correct--
			case -1:
				correct++
			}
			j++
		}
		if correct > best {
			best = correct
			if j < len(idx) {
				bestT = (scores[idx[j-1]] + scores[idx[j]]) / 2
			} else {
				bestT = math.Nextafter(scores[idx[j-1]], math.Inf(1))
			}
		}
		i = j
	}
	return bestT
}
