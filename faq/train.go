package faq

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// TrainWeights fits the reranker's logistic weights on the dev rows of
// queries (rows with any other split are ignored, so test rows can never
// leak in): every recalled candidate of a query is a training example,
// labelled 1 when it is the query's expected entry. The fit is Newton's
// method with a small L2 penalty; it is deterministic.
//
// With lex, the lexicon feature is cross-fitted: the dev rows are split in
// two folds by query id and each fold is featurised with a lexicon learned
// from the other fold only, so the weights see lexicon links as they will
// be on unseen queries.
func TrainWeights(sets []TrainSet, lex bool) ([nFeat + 1]float64, error) {
	var xs [][]float64
	var ys, ws []float64
	var groups []group
	for _, set := range sets {
		ixs, err := foldIndexes(set.Entries, set.Queries, lex)
		if err != nil {
			return [nFeat + 1]float64{}, fmt.Errorf("faq: train: %w", err)
		}
		for _, q := range set.Queries {
			if q.Split != "dev" {
				continue
			}
			ix := ixs[foldOf(q)]
			s := ix.scratch.Get().(*scratch)
			n := ix.recall(s, q.Query)
			g := group{gold: -1, w: set.weight()}
			for _, c := range s.cands[:n] {
				y := 0.0
				if q.InScope() && ix.entries[ix.docEntry[c.doc]].ID == *q.ExpectedID {
					y = 1
					if g.gold < 0 {
						g.gold = len(g.xs)
					}
				}
				xs = append(xs, slices.Clone(c.f[:]))
				g.xs = append(g.xs, xs[len(xs)-1])
				ys = append(ys, y)
				ws = append(ws, set.weight())
			}
			if g.gold >= 0 {
				groups = append(groups, g)
			}
			ix.scratch.Put(s)
		}
	}
	if lex { // the lexicon model ranks listwise (see Index.listwise)
		w := fitConditionalLogit(groups, 1.0)
		var out [nFeat + 1]float64
		copy(out[:], w)
		return out, nil
	}
	return [nFeat + 1]float64(fitLogistic(xs, ys, ws, 1.0)), nil
}

// group is one query's recalled candidates with the index of the right one.
type group struct {
	xs   [][]float64
	gold int
	w    float64
}

// fitConditionalLogit fits ranking weights (no bias: it cancels) so that
// the softmax over each group's candidates puts mass on the right one;
// Newton iterations with an L2 penalty lambda.
func fitConditionalLogit(groups []group, lambda float64) []float64 {
	if len(groups) == 0 {
		return make([]float64, nFeat)
	}
	d := len(groups[0].xs[0])
	w := make([]float64, d)
	for iter := 0; iter < 30; iter++ {
		g := make([]float64, d)
		h := make([][]float64, d)
		for a := range h {
			h[a] = make([]float64, d)
		}
		mean := make([]float64, d)
		for _, gr := range groups {
			zs := make([]float64, len(gr.xs))
			zmax := math.Inf(-1)
			for i, x := range gr.xs {
				for k := range x {
					zs[i] += w[k] * x[k]
				}
				zmax = max(zmax, zs[i])
			}
			sum := 0.0
			for i := range zs {
				zs[i] = math.Exp(zs[i] - zmax)
				sum += zs[i]
			}
			clear(mean)
			for i, x := range gr.xs {
				p := zs[i] / sum
				for a := range x {
					mean[a] += p * x[a]
					for b := range x {
						h[a][b] += gr.w * p * x[a] * x[b]
					}
				}
			}
			for a := range mean {
				g[a] += gr.w * (mean[a] - gr.xs[gr.gold][a])
				for b := range mean {
					h[a][b] -= gr.w * mean[a] * mean[b]
				}
			}
		}
		for a := 0; a < d; a++ {
			g[a] += lambda * w[a]
			h[a][a] += lambda
		}
		if newtonStep(w, h, g) {
			break
		}
	}
	return w
}

// TrainSet is one FAQ with its labelled queries for training; only rows
// with split "dev" are used. Weight scales its rows (0 means 1), so a
// small FAQ can count as much as a large one.
type TrainSet struct {
	Entries []Entry
	Queries []Query
	Weight  float64
}

func (t TrainSet) weight() float64 {
	if t.Weight == 0 {
		return 1
	}
	return t.Weight
}

// TrainAccept fits the acceptance model on dev rows: for each query, the
// best candidate under rankWeights with the query-level extras, labelled 1
// when it is the expected entry (0 for every out-of-scope query). lex
// cross-fits the lexicon as in TrainWeights.
func TrainAccept(sets []TrainSet, lex bool, rankWeights [nFeat + 1]float64) ([nAcc + 1]float64, error) {
	var xs [][]float64
	var ys, ws []float64
	for _, set := range sets {
		ixs, err := foldIndexes(set.Entries, set.Queries, lex)
		if err != nil {
			return [nAcc + 1]float64{}, fmt.Errorf("faq: train accept: %w", err)
		}
		for _, q := range set.Queries {
			if q.Split != "dev" {
				continue
			}
			ix := ixs[foldOf(q)]
			ix.weights = rankWeights
			s := ix.scratch.Get().(*scratch)
			var top [3]candidate
			n, _ := ix.rankWith(s, q.Query, q.Category, top[:])
			if n > 0 {
				y := 0.0
				if q.InScope() && ix.entries[top[0].entry].ID == *q.ExpectedID {
					y = 1
				}
				xs = append(xs, slices.Clone(s.acc[:]))
				ys = append(ys, y)
				ws = append(ws, set.weight())
			}
			ix.scratch.Put(s)
		}
	}
	return [nAcc + 1]float64(fitLogistic(xs, ys, ws, 1.0)), nil
}

// nFolds is the number of cross-fitting folds: each fold's lexicon is
// learned from the other folds' dev rows.
const nFolds = 4

// foldOf assigns a query to a cross-fitting fold by a hash of its id
// (the clean and noisy copies of one query share an id and so a fold).
func foldOf(q Query) int {
	return int(fnv32(q.QID) % nFolds)
}

func fnv32(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

// foldIndexes returns the index used for fold 0 and fold 1 queries: the
// same plain index without lex, else each with the lexicon learned from
// the other fold's dev rows.
func foldIndexes(entries []Entry, queries []Query, lex bool) ([nFolds]*Index, error) {
	var out [nFolds]*Index
	for f := range nFolds {
		var o Options
		if lex {
			o.Lexicon = learnLexicon(entries, queries, func(q Query) bool {
				return q.Split == "dev" && foldOf(q) != f
			})
		}
		ix, err := New(entries, o)
		if err != nil {
			return out, err
		}
		out[f] = ix
	}
	return out, nil
}

// fitLogistic fits weights (bias last) for rows xs of equal width by
// Newton iterations with an L2 penalty lambda on the non-bias weights.
func fitLogistic(xs [][]float64, ys, sw []float64, lambda float64) []float64 {
	if len(xs) == 0 {
		return nil
	}
	nf := len(xs[0])
	d := nf + 1
	w := make([]float64, d)
	x := make([]float64, d)
	for iter := 0; iter < 30; iter++ {
		g := make([]float64, d)
		h := make([][]float64, d)
		for a := range h {
			h[a] = make([]float64, d)
		}
		for i := range xs {
			copy(x, xs[i])
			x[nf] = 1
			z := 0.0
			for k := range x {
				z += w[k] * x[k]
			}
			p := sigmoid(z)
			r := (p - ys[i]) * sw[i]
			v := p * (1 - p) * sw[i]
			for a := range x {
				g[a] += r * x[a]
				for b := range x {
					h[a][b] += v * x[a] * x[b]
				}
			}
		}
		for a := 0; a < nf; a++ {
			g[a] += lambda * w[a]
			h[a][a] += lambda
		}
		h[nf][nf] += 1e-9
		if newtonStep(w, h, g) {
			break
		}
	}
	return w
}

// newtonStep moves w by the Newton step h⁻¹g (h and g are overwritten) and
// reports whether the step was small enough to stop.
func newtonStep(w []float64, h [][]float64, g []float64) (converged bool) {
	step := solve(h, g)
	var norm float64
	for k := range w {
		w[k] -= step[k]
		norm += step[k] * step[k]
	}
	return math.Sqrt(norm) < 1e-9
}

// solve returns x with a·x = b by Gaussian elimination with partial
// pivoting (a and b are overwritten).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		b[col], b[p] = b[p], b[col]
		if a[col][col] == 0 {
			continue
		}
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for c := col; c < n; c++ {
				a[r][c] -= f * a[col][c]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for c := r + 1; c < n; c++ {
			s -= a[r][c] * x[c]
		}
		if a[r][r] != 0 {
			x[r] = s / a[r][r]
		}
	}
	return x
}

// writeWeightsGo writes the Go source of weights.go.
func writeWeightsGo(w io.Writer, weights, lexWeights [nFeat + 1]float64, acc, lexAcc [nAcc + 1]float64, o, lo Options) {
	fmt.Fprintf(w, "// Code generated by `go test ./faq -run TestSlowTrain -update`; DO NOT EDIT.\n\npackage faq\n\n")
	fmt.Fprintf(w, "// Shipped default thresholds, calibrated on split=dev rows of\n// testdata/faq-eval/parakqc (clean and noisy).\nconst (\n")
	fmt.Fprintf(w, "\tDefaultAccept        = %.4f\n", o.Accept)
	fmt.Fprintf(w, "\tDefaultMargin        = %.4f\n", o.Margin)
	fmt.Fprintf(w, "\tDefaultClarifyMin    = %.4f\n", o.ClarifyMin)
	fmt.Fprintf(w, "\tDefaultCategoryBonus = %.4f\n)\n\n", o.CategoryBonus)
	fmt.Fprintf(w, "// Shipped default thresholds with a lexicon (cross-fitted on dev rows).\nconst (\n")
	fmt.Fprintf(w, "\tDefaultLexAccept     = %.4f\n", lo.Accept)
	fmt.Fprintf(w, "\tDefaultLexMargin     = %.4f\n", lo.Margin)
	fmt.Fprintf(w, "\tDefaultLexClarifyMin = %.4f\n)\n\n", lo.ClarifyMin)
	fmt.Fprintf(w, "// shippedWeights are the reranker's logistic weights (bias last), trained\n// on split=dev rows only by TrainWeights.\nvar shippedWeights = [nFeat + 1]float64{\n")
	for i := 0; i < nFeat; i++ {
		fmt.Fprintf(w, "\t%.6f, // %s\n", weights[i], featNames[i])
	}
	fmt.Fprintf(w, "\t%.6f, // bias\n}\n\n", weights[nFeat])
	fmt.Fprintf(w, "// shippedLexWeights are the weights used with a Lexicon.\nvar shippedLexWeights = [nFeat + 1]float64{\n")
	for i := 0; i < nFeat; i++ {
		fmt.Fprintf(w, "\t%.6f, // %s\n", lexWeights[i], featNames[i])
	}
	fmt.Fprintf(w, "\t%.6f, // bias\n}\n\n", lexWeights[nFeat])
	for k, a := range [][nAcc + 1]float64{acc, lexAcc} {
		name := "shippedAccept"
		if k == 1 {
			name = "shippedLexAccept"
		}
		fmt.Fprintf(w, "// %s are the acceptance model's weights (bias last).\nvar %s = [nAcc + 1]float64{\n", name, name)
		for i := 0; i < nAcc; i++ {
			fmt.Fprintf(w, "\t%.6f, // %s\n", a[i], accName(i))
		}
		fmt.Fprintf(w, "\t%.6f, // bias\n}\n\n", a[nAcc])
	}
}
