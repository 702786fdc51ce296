package faq

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Options tunes the decision. The zero value means the shipped defaults; any
// field left zero takes its default.
type Options struct {
	// Accept is the minimum calibrated score (0..1) of the best candidate
	// for an Answer.
	Accept float64
	// Margin: when the runner-up's score is within Margin of the best one
	// (and at least ClarifyMin), the decision is Clarify instead of Answer.
	Margin float64
	// ClarifyMin is the minimum score of every candidate offered in a
	// Clarify.
	ClarifyMin float64
	// CategoryBonus is added to the score of entries whose category equals
	// the requested one.
	CategoryBonus float64
	// Lexicon, when set, adds what LearnLexicon learned from labelled rows
	// — wording links and in-scope and out-of-scope examples — to the
	// reranker and the acceptance model, which then use the weights and
	// default thresholds trained with a lexicon.
	Lexicon *Lexicon
}

func (o Options) withDefaults() Options {
	acc, mar, cmin := DefaultAccept, DefaultMargin, DefaultClarifyMin
	if o.Lexicon != nil {
		acc, mar, cmin = DefaultLexAccept, DefaultLexMargin, DefaultLexClarifyMin
	}
	if o.Accept == 0 {
		o.Accept = acc
	}
	if o.Margin == 0 {
		o.Margin = mar
	}
	if o.ClarifyMin == 0 {
		o.ClarifyMin = cmin
	}
	if o.CategoryBonus == 0 {
		o.CategoryBonus = DefaultCategoryBonus
	}
	return o
}

// ErrDuplicateID is returned by New when two entries share an id.
var ErrDuplicateID = errors.New("faq: duplicate entry id")

// recallK is how many documents the cheap n-gram recall passes to the
// reranker.
const recallK = 12

// recallKLex is the recall depth with a lexicon: its features cost more per
// candidate, and the learned links already pull the right entry up.
const recallKLex = 8

// Index is an immutable FAQ index: build one per config version with New and
// share it; Decide is safe for concurrent use.
type Index struct {
	opts    Options
	weights [nFeat + 1]float64 // reranker weights, bias last
	accept  [nAcc + 1]float64  // acceptance model weights, bias last
	// listwise selects the reranker's form: a softmax over the recalled
	// candidates trained as a conditional logit (with a lexicon, where it
	// measured better on dev folds) or a pointwise logistic (without).
	listwise bool
	k        int // recall depth: recallK, or recallKLex with a lexicon
	entries  []Entry
	byID     map[string]int
	// Documents are the indexed texts (question and alternates).
	docEntry []int32
	docJamo  []float32 // jamo length
	docNeg   []bool
	bigram   *field
	jamo     *field
	stem     *field
	// lex maps a query bigram hash to bigram-field terms it stands for;
	// lexS does the same for word stems.
	lex  map[uint32][]lexTerm
	lexS map[uint32][]lexTerm
	// ex holds the lexicon's labelled examples (nil without).
	ex *examples
	// exact maps the exact key of each question and alternate to its
	// entry, for keys of one entry only (exact.go).
	exact map[string]int32
	// docTurns marks the documents whose text turns something down
	// ("X 말고 Y", "X 하지 마"; contrast.go).
	docTurns []bool
	scratch  sync.Pool
}

type lexTerm struct {
	term int32
	a    float32
}

// expansion is one lexicon link of the current query: unique query bigram
// qi (index into scratch.setQ) may stand for term.
type expansion struct {
	qi   int32
	qt   int32 // the query bigram's own term id, -1 when unknown
	term int32
	a    float32
}

// scratch is the per-call working memory, pooled so Decide does not
// allocate in the steady state.
type scratch struct {
	accB, accJ   []float32
	accS         []float32
	exQ          exQuery // the query against the examples
	spaced       []rune
	hS           []uint32
	idS          []int32
	setS         []int32
	runes, jamos []rune
	buf          []byte
	hB, hJ       []uint32
	idB, idJ     []int32
	setB, setJ   []int32
	lb, ls       lexQuery // per-query lexicon state of the two channels
	best         []float32
	cands        [recallK]cand
	acc          [nAcc]float64 // acceptance features of the last ranked query

	// setBI and setJI are setB and setJ by descending idf.
	setBI, setJI []int32
	// fmask marks the runes of the query inside function words, jmask the
	// same per jamo (topicEvidence).
	fmask, jmask []bool
	// key is the query's exact key (exact.go).
	key []byte
	// negT are the query's turned-down topic bigrams (contrast.go), negH
	// their hashes.
	negT []int32
	negH []uint32
	// wished is where the wished-for part of s.runes starts after a
	// contrast's second pass (0 otherwise); exactEntry reads from there.
	wished int
}

// cand is one recalled document with its features.
type cand struct {
	doc      int32
	combined float32
	f        [nFeat]float64
}

// New indexes entries (question and alternates). It fails with
// ErrDuplicateID on a repeated id and with an error on an entry without id
// or question.
func New(entries []Entry, opts Options) (*Index, error) {
	ix := &Index{opts: opts.withDefaults(), byID: make(map[string]int, len(entries)), weights: shippedWeights, accept: shippedAccept}
	if opts.Lexicon != nil {
		ix.weights, ix.accept = shippedLexWeights, shippedLexAccept
		ix.listwise = true
	}
	ix.k = recallK
	if opts.Lexicon != nil {
		ix.k = recallKLex
	}
	var bDocs, jDocs [][]uint32
	var rs, js, sp []rune
	var sDocs [][]uint32
	var nbuf []byte
	for i, e := range entries {
		if e.ID == "" {
			return nil, fmt.Errorf("faq: entry %d: empty id", i)
		}
		if e.Question == "" {
			return nil, fmt.Errorf("faq: entry %s: empty question", e.ID)
		}
		if _, dup := ix.byID[e.ID]; dup {
			return nil, fmt.Errorf("faq: entry %s: %w", e.ID, ErrDuplicateID)
		}
		ix.byID[e.ID] = i
		for k := -1; k < len(e.Alternates); k++ {
			t := e.Question
			if k >= 0 {
				t = e.Alternates[k]
			}
			rs, nbuf = appendNormalizedCompact(rs[:0], nbuf, t)
			if len(rs) == 0 {
				continue
			}
			js = jamo(js[:0], rs)
			sp, nbuf = appendNormalized(sp[:0], nbuf, t, true)
			sDocs = append(sDocs, stems(nil, sp))
			bDocs = append(bDocs, charBigrams(nil, rs))
			jDocs = append(jDocs, jamoTrigrams(nil, js))
			ix.addExact(rs, int32(i))
			ix.docEntry = append(ix.docEntry, int32(i))
			ix.docJamo = append(ix.docJamo, float32(len(js)))
			ix.docNeg = append(ix.docNeg, hasNegation(rs))
			ix.docTurns = append(ix.docTurns, turnsDown(rs, sp))
		}
	}
	labelled := map[string]bool{}
	for i, e := range entries {
		for _, t := range e.Labels {
			rs, nbuf = appendNormalizedCompact(rs[:0], nbuf, t)
			if len(rs) == 0 {
				continue
			}
			k := string(appendExactKey(nil, rs))
			if _, taken := ix.exact[k]; taken && !labelled[k] {
				continue
			}
			labelled[k] = true
			ix.addExact(rs, int32(i))
		}
	}
	ix.entries = slices.Clone(entries)
	bg := defaultBackground()
	ix.bigram = buildField(bDocs, bg)
	ix.jamo = buildField(jDocs, bg)
	ix.stem = buildField(sDocs, nil)
	if opts.Lexicon != nil {
		ix.lex = compileLinks(opts.Lexicon.assoc, ix.bigram)
		ix.lexS = compileLinks(opts.Lexicon.assocS, ix.stem)
	}
	n := len(bDocs)
	ix.scratch.New = func() any {
		return &scratch{accB: make([]float32, n), accJ: make([]float32, n), accS: make([]float32, n)}
	}
	if opts.Lexicon != nil {
		ix.ex = ix.compileExamples(opts.Lexicon)
	}
	return ix, nil
}

// Entry returns the entry with id.
func (ix *Index) Entry(id string) (Entry, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Entry{}, false
	}
	return ix.entries[i], true
}

// Len returns the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// Options returns the effective options (defaults filled in).
func (ix *Index) Options() Options { return ix.opts }

// candidate is one scored entry.
type candidate struct {
	entry int32
	score float64
	ci    int32 // index in scratch.cands
	z     float64
}

// Decide returns Answer, Clarify (2–3 candidates) or NoMatch for query.
// Entries of category, when non-empty, get a small bonus. A query that is
// exactly the text of one entry's question or alternate is answered from
// that entry with Score 1 (exact.go).
func (ix *Index) Decide(query, category string) Decision {
	var top [3]candidate
	s := ix.scratch.Get().(*scratch)
	n, acc := ix.rankWith(s, query, category, top[:])
	// (after a contrast, the exact text is the wished-for part's: "취소
	// 말고 반품할래요" is exactly "반품할래요" unless that entry is the one
	// turned down)
	e, exact := ix.exactEntry(s)
	if exact && len(s.negT) > 0 && ix.turnedDown(s, e) {
		exact = false
	}
	ix.scratch.Put(s)
	if exact {
		return Decision{Kind: Answer, ID: ix.entries[e].ID, Score: 1}
	}
	return decideWith(ix.opts, top[:n], acc, func(e int32) string { return ix.entries[e].ID })
}

// decideWith turns the ranked candidates and the acceptance probability of
// the best one into a Decision. Score is the acceptance probability.
func decideWith(o Options, top []candidate, accept float64, id func(int32) string) Decision {
	if len(top) == 0 {
		return Decision{Kind: NoMatch}
	}
	best := top[0]
	score := clamp01(accept)
	if accept < o.ClarifyMin && accept < o.Accept {
		return Decision{Kind: NoMatch, Score: score}
	}
	nClose := 0
	for _, c := range top[1:] {
		if best.score-c.score <= o.Margin {
			nClose++
		}
	}
	if nClose > 0 && accept >= o.ClarifyMin {
		ids := make([]string, 0, 1+nClose)
		ids = append(ids, id(best.entry))
		for _, c := range top[1 : 1+nClose] {
			ids = append(ids, id(c.entry))
		}
		return Decision{Kind: Clarify, Candidates: ids, Score: score}
	}
	if accept >= o.Accept {
		return Decision{Kind: Answer, ID: id(best.entry), Score: score}
	}
	return Decision{Kind: NoMatch, Score: score}
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// Rank returns up to k entries, best first, with the reranker's
// probability that each answers the query (none for k ≤ 0).
func (ix *Index) Rank(query, category string, k int) []Scored {
	if k <= 0 {
		return nil
	}
	top := make([]candidate, k)
	s := ix.scratch.Get().(*scratch)
	n, _ := ix.rankWith(s, query, category, top)
	ix.scratch.Put(s)
	out := make([]Scored, n)
	for i := range out {
		out[i] = Scored{ix.entries[top[i].entry].ID, top[i].score}
	}
	return out
}

// rankWith fills top with the best distinct entries, best first, and
// returns how many it filled and the acceptance probability of the best
// (its features are left in s.acc).
func (ix *Index) rankWith(s *scratch, query, category string, top []candidate) (int, float64) {
	s.wished = 0
	n, acc, redo := ix.rankOnce(s, query, category, top, nil)
	if !redo {
		return n, acc
	}
	// The best entry is about what the query turns down ("배송 조회 말고
	// 배송비요"): rank again without the turned-down word and its mark, the
	// turned-down entries still barred (contrast.go). Allocates, on such
	// queries only.
	negStart, _, posStart, _ := contrastSplit(s.runes, s.spaced, s.fmask)
	keep := slices.Clone(s.negH)
	q := string(s.runes[:negStart]) + " " + string(s.runes[posStart:])
	n, acc, _ = ix.rankOnce(s, q, category, top, keep)
	s.wished = negStart
	return n, acc
}

// rankOnce is one pass of rankWith. keep, when not nil, are the hashes of
// the bigrams a first pass found turned down; redo reports that the best
// entry before the topic gate is turned down by the query.
func (ix *Index) rankOnce(s *scratch, query, category string, top []candidate, keep []uint32) (int, float64, bool) {
	nc := ix.recall(s, query)
	if keep != nil {
		s.negT, s.negH = s.negT[:0], s.negH[:0]
		for _, h := range keep {
			if t, ok := ix.bigram.terms[h]; ok {
				s.negT, s.negH = append(s.negT, t), append(s.negH, h)
			}
		}
	}
	n := 0
	var zs [recallK]float64
	zmax, sum := math.Inf(-1), 0.0
	for i := range s.cands[:nc] {
		zs[i] = ix.logit(&s.cands[i].f)
		zmax = max(zmax, zs[i])
	}
	if ix.listwise {
		for i := range zs[:nc] {
			sum += math.Exp(zs[i] - zmax)
		}
	}
	var ps [recallK]float64
	best := 0
	for i := range s.cands[:nc] {
		p := sigmoid(zs[i])
		if ix.listwise {
			p = math.Exp(zs[i]-zmax) / sum
		}
		if category != "" && ix.entries[ix.docEntry[s.cands[i].doc]].Category == category {
			p += ix.opts.CategoryBonus
		}
		ps[i] = p
		if p > ps[best] {
			best = i
		}
	}
	// When any recalled entry shares a topic with the query, an entry that
	// shares only endings, generic predicates, question words or fillers
	// with it (no topic evidence) is not ranked: "환불하고 싶어요" must not be
	// torn between 반품 and "탈퇴하고 싶어요", and "반품 방법 알려주세요" is
	// return-how although "세탁 방법 알려주세요" scores higher. An entry
	// about what the query turns down ("X 말고 Y", contrast.go) has no
	// evidence either. When no entry has any, all stay ranked and the
	// acceptance is 0 below (recall ran markTopic).
	var ev [recallK]int8 // 0 unknown, 1 evidence, -1 none
	evidence := func(i int) bool {
		if ev[i] == 0 {
			e := ix.docEntry[s.cands[i].doc]
			ev[i] = -1
			for k := range s.cands[:nc] {
				if k != i && ev[k] != 0 && ix.docEntry[s.cands[k].doc] == e {
					ev[i] = ev[k]
					return ev[i] > 0
				}
			}
			if ix.entryTopicEvidence(s, e, s.cands[i].doc) && (len(s.negT) == 0 || !ix.turnedDown(s, e)) {
				ev[i] = 1
			}
		}
		return ev[i] > 0
	}
	if keep == nil && nc > 0 && len(s.negT) > 0 && ix.turnedDown(s, ix.docEntry[s.cands[best].doc]) {
		return 0, 0, true
	}
	topEv := nc > 0 && evidence(best)
	anyEv := topEv
	for i := range s.cands[:nc] {
		if anyEv {
			break
		}
		anyEv = evidence(i)
	}
	for i := range s.cands[:nc] {
		if anyEv && !evidence(i) {
			continue
		}
		e := ix.docEntry[s.cands[i].doc]
		n = insertTop(top, n, candidate{entry: e, score: ps[i], ci: int32(i), z: zs[i]})
	}
	if n == 0 {
		return 0, 0, false
	}
	a := &s.acc
	copy(a[:nFeat], s.cands[top[0].ci].f[:])
	a[aLogit] = top[0].z
	a[aGap] = top[0].score
	if n > 1 {
		a[aGap] -= top[1].score
	}
	a[aUnknownB] = unknownShare(s.idB)
	a[aUnknownJ] = unknownShare(s.idJ)
	a[aLogLen] = math.Log1p(float64(len(s.runes)))
	a[aNegSim], a[aNegGap] = 0, 0
	if ix.ex != nil {
		best := 0.0
		for i := range s.cands[:nc] {
			best = max(best, s.cands[i].f[fBothQ]+s.cands[i].f[fBothJ])
		}
		a[aNegSim], a[aNegGap] = s.exQ.neg, s.exQ.neg-best
	}
	z := ix.accept[nAcc]
	for i, v := range a {
		z += ix.accept[i] * v
	}
	if !anyEv {
		// Sharing only endings, question words or fillers is no evidence
		// at all, however the relative features look.
		return n, 0, false
	}
	return n, sigmoid(z), false
}

func unknownShare(ids []int32) float64 {
	if len(ids) == 0 {
		return 0
	}
	u := 0
	for _, t := range ids {
		if t < 0 {
			u++
		}
	}
	return float64(u) / float64(len(ids))
}

// logit is the reranker: the log-odds that the document answers the query.
func (ix *Index) logit(f *[nFeat]float64) float64 {
	z := ix.weights[nFeat]
	for i, v := range f {
		z += ix.weights[i] * v
	}
	return z
}

// analyse normalises the query and fills the n-gram ids of s; it returns
// false when nothing is left.
func (ix *Index) analyse(s *scratch, query string) bool {
	s.spaced, s.buf = appendNormalized(s.spaced[:0], s.buf, query, true)
	s.runes = s.runes[:0]
	for _, r := range s.spaced {
		if r != ' ' {
			s.runes = append(s.runes, r)
		}
	}
	if len(s.runes) == 0 {
		return false
	}
	s.jamos = jamo(s.jamos[:0], s.runes)
	s.hB = charBigrams(s.hB[:0], s.runes)
	s.hJ = jamoTrigrams(s.hJ[:0], s.jamos)
	s.idB = ix.bigram.lookup(s.idB[:0], s.hB)
	s.idJ = ix.jamo.lookup(s.idJ[:0], s.hJ)
	s.hS = stems(s.hS[:0], s.spaced)
	s.idS = ix.stem.lookup(s.idS[:0], s.hS)
	s.setB = knownSet(s.setB[:0], s.idB)
	s.setJ = knownSet(s.setJ[:0], s.idJ)
	s.setBI = ix.bigram.appendByIDF(s.setBI[:0], s.setB)
	s.setJI = ix.jamo.appendByIDF(s.setJI[:0], s.setJ)
	if ix.lex != nil {
		s.lb.expand(ix.lex, ix.bigram, s.hB, s.setB)
		s.setS = knownSet(s.setS[:0], s.idS)
		s.ls.expand(ix.lexS, ix.stem, s.hS, s.setS)
	}
	return true
}

// knownSet appends the distinct known ids of ids, ascending.
func knownSet(dst, ids []int32) []int32 {
	for _, t := range ids {
		if t >= 0 {
			dst = append(dst, t)
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// recall scores every document with both n-gram fields, keeps the recallK
// best by combined score in s.cands with their features, and returns how
// many it kept (best first).
func (ix *Index) recall(s *scratch, query string) int {
	if !ix.analyse(s, query) {
		return 0
	}
	clear(s.accB)
	clear(s.accJ)
	selfB := ix.bigram.score(s.idB, s.hB, s.accB)
	selfJ := ix.jamo.score(s.idJ, s.hJ, s.accJ)
	clear(s.accS)
	selfS := ix.stem.score(s.idS, s.hS, s.accS)
	if selfB <= 0 || selfJ <= 0 {
		return 0
	}
	invB, invJ := 1/selfB, 1/selfJ
	n := 0
	for d, vj := range s.accJ {
		if vj == 0 {
			continue
		}
		c := s.accB[d]*invB + vj*invJ
		if n == ix.k && c <= s.cands[n-1].combined {
			continue
		}
		i := n
		if n < ix.k {
			n++
		} else {
			i = n - 1
		}
		for i > 0 && s.cands[i-1].combined < c {
			s.cands[i].doc, s.cands[i].combined = s.cands[i-1].doc, s.cands[i-1].combined
			i--
		}
		s.cands[i].doc, s.cands[i].combined = int32(d), c
	}
	if n == 0 {
		return 0
	}
	if ix.ex != nil {
		ix.ex.prepare(&s.exQ, s.hB, s.hJ)
	}
	markTopic(s)
	s.negT, s.negH = contrastTerms(s.negT, s.negH, s.runes, s.spaced, s.fmask, s.idB, s.hB)
	qNeg := hasNegation(s.runes)
	qLen := float64(len(s.jamos))
	best := float64(s.cands[0].combined)
	for i := range s.cands[:n] {
		c := &s.cands[i]
		d := c.doc
		f := &c.f
		f[fBigramQ] = float64(s.accB[d] * invB)
		f[fJamoQ] = float64(s.accJ[d] * invJ)
		f[fBigramD] = ratio(s.accB[d], ix.bigram.docSelf[d])
		f[fJamoD] = ratio(s.accJ[d], ix.jamo.docSelf[d])
		a, b := ix.bigram.unmatched(d, s.setB, s.setBI)
		f[fDocMiss], f[fQueryMiss] = float64(a), float64(b)
		a, b = ix.jamo.unmatched(d, s.setJ, s.setJI)
		f[fDocMissJ], f[fQueryMissJ] = float64(a), float64(b)
		f[fRel] = float64(c.combined) / best
		f[fNegation] = 0
		if qNeg != ix.docNeg[d] {
			f[fNegation] = 1
		}
		f[fLenRatio] = math.Abs(math.Log(qLen / float64(ix.docJamo[d])))
		f[fBothQ] = f[fBigramQ] * f[fBigramD]
		f[fBothJ] = f[fJamoQ] * f[fJamoD]
		f[fLex] = s.lb.score(ix.bigram, d)
		f[fLexS] = s.ls.score(ix.stem, d)
		f[fStemQ] = 0
		if selfS > 0 {
			f[fStemQ] = float64(s.accS[d] / selfS)
		}
		f[fStemD] = ratio(s.accS[d], ix.stem.docSelf[d])
		f[fExample] = 0
		if ix.ex != nil {
			var neg float64
			f[fExample], neg = ix.ex.similarity(&s.exQ, ix.docEntry[d])
			s.exQ.neg = max(s.exQ.neg, neg)
		}
	}
	return n
}

// compileLinks maps lexicon links onto the terms of field f, dropping
// links to terms the index does not have.
func compileLinks(assoc map[uint32][]lexLink, f *field) map[uint32][]lexTerm {
	out := make(map[uint32][]lexTerm, len(assoc))
	for q, links := range assoc {
		var ts []lexTerm
		for _, l := range links {
			if t, ok := f.terms[l.doc]; ok {
				ts = append(ts, lexTerm{t, l.a})
			}
		}
		if len(ts) > 0 {
			out[q] = ts
		}
	}
	return out
}

// lexQuery is the per-query state of one lexicon channel.
type lexQuery struct {
	uniq []uint32    // distinct query term hashes
	exp  []expansion // their links, sorted by term
	raw  []expansion // the links before sorting
	keys []uint64    // term<<32 | index into raw, for sorting
	best []float32
}

// expand collects the links of the query terms hs (known ids in the
// ascending set) that point at terms the query does not already have.
func (lq *lexQuery) expand(links map[uint32][]lexTerm, f *field, hs []uint32, set []int32) {
	lq.raw = lq.raw[:0]
	lq.uniq = append(lq.uniq[:0], hs...)
	slices.Sort(lq.uniq)
	lq.uniq = slices.Compact(lq.uniq)
	for qi, h := range lq.uniq {
		ls := links[h]
		if len(ls) == 0 {
			continue
		}
		qt, ok := f.terms[h]
		if !ok {
			qt = -1
		}
		for _, l := range ls {
			if _, in := slices.BinarySearch(set, l.term); in {
				continue // the query already has the linked term
			}
			lq.raw = append(lq.raw, expansion{int32(qi), qt, l.term, l.a})
		}
	}
	// Sorting integer keys is much cheaper than sorting the structs with a
	// comparison function.
	lq.keys = lq.keys[:0]
	for i, e := range lq.raw {
		lq.keys = append(lq.keys, uint64(uint32(e.term))<<32|uint64(i))
	}
	slices.Sort(lq.keys)
	lq.exp = lq.exp[:0]
	for _, k := range lq.keys {
		lq.exp = append(lq.exp, lq.raw[uint32(k)])
	}
}

// score is the share of distinct query terms that doc d lacks but that
// the lexicon links, with its strength, to a term d has and the query
// lacks. exp is sorted by term, so the doc's ascending term list is
// merge-joined with it.
func (lq *lexQuery) score(f *field, d int32) float64 {
	if len(lq.exp) == 0 {
		return 0
	}
	dt := f.docTerms[f.docOff[d]:f.docOff[d+1]]
	if cap(lq.best) < len(lq.uniq) {
		lq.best = make([]float32, len(lq.uniq))
	}
	best := lq.best[:len(lq.uniq)]
	clear(best)
	i, j := 0, 0
	for i < len(dt) && j < len(lq.exp) {
		switch e := &lq.exp[j]; {
		case dt[i] < e.term:
			i++
		case e.term < dt[i]:
			j++
		default:
			if e.a > best[e.qi] {
				if _, in := slices.BinarySearch(dt, e.qt); e.qt < 0 || !in {
					best[e.qi] = e.a
				}
			}
			j++
		}
	}
	var sum float32
	for _, b := range best {
		sum += b
	}
	return float64(sum) / float64(len(best))
}

func ratio(a, b float32) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a / b)
}

// insertTop inserts c into the sorted top list of length n (capacity
// len(top)), keeping one candidate per entry, and returns the new length.
func insertTop(top []candidate, n int, c candidate) int {
	for i := 0; i < n; i++ {
		if top[i].entry == c.entry {
			if c.score <= top[i].score {
				return n
			}
			copy(top[i:n-1], top[i+1:n])
			n--
			break
		}
	}
	if n == len(top) && c.score <= top[n-1].score {
		return n
	}
	i := n
	if n < len(top) {
		n++
	} else {
		i = n - 1
	}
	for i > 0 && top[i-1].score < c.score {
		top[i] = top[i-1]
		i--
	}
	top[i] = c
	return n
}
