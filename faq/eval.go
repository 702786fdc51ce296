package faq

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"time"
)

// Query is one labelled utterance of an evaluation set (the faq-eval JSONL
// format). ExpectedID is empty for an out-of-scope query.
type Query struct {
	QID        string  `json:"qid"`
	Query      string  `json:"query"`
	ExpectedID *string `json:"expected_id"`
	Kind       string  `json:"kind"`
	Split      string  `json:"split"`
	Category   string  `json:"category,omitempty"`
}

// InScope reports whether the query has an expected entry.
func (q Query) InScope() bool { return q.ExpectedID != nil && *q.ExpectedID != "" }

// faqLine is one line of faq.jsonl.
type faqLine struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Alts     []string `json:"alt_questions"`
	Topic    string   `json:"topic"`
	Category string   `json:"category"`
}

// ReadEntries decodes a faq.jsonl stream. With alts the alt_questions become
// Alternates; otherwise only question is kept. The topic (or category)
// becomes the Category.
func ReadEntries(r io.Reader, alts bool) ([]Entry, error) {
	var out []Entry
	err := readJSONL(r, func(line int, b []byte) error {
		var l faqLine
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("faq: read entries: line %d: %w", line, err)
		}
		e := Entry{ID: l.ID, Question: l.Question, Answer: l.Answer, Category: l.Category}
		if e.Category == "" {
			e.Category = l.Topic
		}
		if alts {
			e.Alternates = l.Alts
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// ReadQueries decodes a queries.jsonl stream.
func ReadQueries(r io.Reader) ([]Query, error) {
	var out []Query
	err := readJSONL(r, func(line int, b []byte) error {
		var q Query
		if err := json.Unmarshal(b, &q); err != nil {
			return fmt.Errorf("faq: read queries: line %d: %w", line, err)
		}
		out = append(out, q)
		return nil
	})
	return out, err
}

func readJSONL(r io.Reader, fn func(line int, b []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		if err := fn(line, b); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("faq: read jsonl: %w", err)
	}
	return nil
}

// Scored is one ranked entry id with its score.
type Scored struct {
	ID    string
	Score float64
}

// System is what Evaluate measures: a ranker with a decision rule.
type System interface {
	// Rank returns up to k entries, best first; Score orders in-scope
	// above out-of-scope (higher = more confident).
	Rank(query, category string, k int) []Scored
	// Decide is the answer / clarify / no-match verdict.
	Decide(query, category string) Decision
}

// Report holds the figures of one evaluation run.
type Report struct {
	Name        string
	Queries     int // queries of the split
	InScope     int
	OOS         int
	Top1        float64 // over in-scope queries of the split
	MRR5        float64
	Hit5        float64
	AUROC       float64 // Decision.Score, in-scope vs out-of-scope
	DecisionAcc float64 // in-scope answered right + OOS rejected (clarify = not answered)
	AnsweredOK  float64 // fraction of in-scope answered with the right entry
	AnsweredBad float64 // fraction of in-scope answered with a wrong entry
	ClarifyRate float64 // fraction of in-scope queries that got Clarify
	ClarifyHit  float64 // fraction of in-scope clarifies listing the right entry
	OOSRejected float64 // fraction of OOS queries that got NoMatch
	OOSAnswered float64 // fraction of OOS queries that got Answer
	// At90 is the fraction of in-scope queries whose top-1 is right and
	// whose Decision.Score clears the threshold that rejects at least 90%
	// of out-of-scope queries (a point of the curve, not a tuned
	// threshold).
	At90   float64
	MeanUS float64 // mean Decide + Rank latency per query, µs
	P99US  float64
}

// Evaluate runs sys over the queries of split ("" = all) and computes the
// figures. Ranking figures come from Rank, the decision figures and the
// confidence (AUROC, At90) from Decide; latency is measured around the one
// Decide call per query.
func Evaluate(name string, sys System, queries []Query, split string) Report {
	r := Report{Name: name}
	type scoredQ struct {
		score float64
		in    bool
		ok    bool // top-1 is the expected entry
	}
	var sq []scoredQ
	var lat []float64
	var clarifies, clarifyHit int
	var decOK int
	var ansOK, ansBad, oosRej, oosAns int
	for _, q := range queries {
		if split != "" && q.Split != split {
			continue
		}
		r.Queries++
		ranked := sys.Rank(q.Query, q.Category, 5)
		t0 := time.Now()
		d := sys.Decide(q.Query, q.Category)
		lat = append(lat, float64(time.Since(t0).Nanoseconds())/1e3)
		top := math.Inf(-1)
		if len(ranked) > 0 {
			top = d.Score
		}
		if q.InScope() {
			r.InScope++
			want := *q.ExpectedID
			for i, s := range ranked {
				if s.ID == want {
					if i == 0 {
						r.Top1++
					}
					r.MRR5 += 1 / float64(i+1)
					r.Hit5++
					break
				}
			}
			sq = append(sq, scoredQ{top, true, len(ranked) > 0 && ranked[0].ID == want})
			switch d.Kind {
			case Answer:
				if d.ID == want {
					ansOK++
					decOK++
				} else {
					ansBad++
				}
			case Clarify:
				clarifies++
				for _, c := range d.Candidates {
					if c == want {
						clarifyHit++
					}
				}
			}
		} else {
			r.OOS++
			sq = append(sq, scoredQ{top, false, false})
			switch d.Kind {
			case NoMatch:
				oosRej++
				decOK++
			case Answer:
				oosAns++
			}
		}
	}
	if r.InScope > 0 {
		n := float64(r.InScope)
		r.Top1 /= n
		r.MRR5 /= n
		r.Hit5 /= n
		r.AnsweredOK = float64(ansOK) / n
		r.AnsweredBad = float64(ansBad) / n
		r.ClarifyRate = float64(clarifies) / n
	}
	if clarifies > 0 {
		r.ClarifyHit = float64(clarifyHit) / float64(clarifies)
	}
	if r.OOS > 0 {
		r.OOSRejected = float64(oosRej) / float64(r.OOS)
		r.OOSAnswered = float64(oosAns) / float64(r.OOS)
	}
	if r.Queries > 0 {
		r.DecisionAcc = float64(decOK) / float64(r.Queries)
	}
	// AUROC by rank statistic; ties count half.
	var pos, neg []float64
	var oosScores []float64
	for _, s := range sq {
		if s.in {
			pos = append(pos, s.score)
		} else {
			neg = append(neg, s.score)
			oosScores = append(oosScores, s.score)
		}
	}
	r.AUROC = auroc(pos, neg)
	// 90% rejection point: the smallest threshold t such that at least 90%
	// of OOS top scores are < t; answered-correct = in-scope with right
	// top-1 and score >= t.
	if len(oosScores) > 0 {
		sort.Float64s(oosScores)
		k := int(math.Ceil(0.9*float64(len(oosScores)))) - 1
		t := math.Nextafter(oosScores[k], math.Inf(1))
		var ok int
		for _, s := range sq {
			if s.in && s.ok && s.score >= t {
				ok++
			}
		}
		if r.InScope > 0 {
			r.At90 = float64(ok) / float64(r.InScope)
		}
	}
	if len(lat) > 0 {
		var sum float64
		for _, v := range lat {
			sum += v
		}
		r.MeanUS = sum / float64(len(lat))
		sort.Float64s(lat)
		r.P99US = lat[int(math.Ceil(0.99*float64(len(lat))))-1]
	}
	return r
}

func auroc(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return 0
	}
	type pt struct {
		s   float64
		pos bool
	}
	all := make([]pt, 0, len(pos)+len(neg))
	for _, s := range pos {
		all = append(all, pt{s, true})
	}
	for _, s := range neg {
		all = append(all, pt{s, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s < all[j].s })
	// Sum of ranks of positives with average ranks for ties.
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].s == all[i].s {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks are 1-based: (i+1 + j)/2
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += avg
			}
		}
		i = j
	}
	np, nn := float64(len(pos)), float64(len(neg))
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// Format writes the report as aligned text.
func (r Report) Format(w io.Writer) {
	fmt.Fprintf(w, "%s: %d queries (%d in-scope, %d out-of-scope)\n", r.Name, r.Queries, r.InScope, r.OOS)
	fmt.Fprintf(w, "  top-1 %.3f  MRR@5 %.3f  hit@5 %.3f  AUROC %.3f\n", r.Top1, r.MRR5, r.Hit5, r.AUROC)
	fmt.Fprintf(w, "  decision accuracy %.3f  answered-correct %.3f  answered-wrong %.3f  clarify %.3f (right entry listed %.3f)\n",
		r.DecisionAcc, r.AnsweredOK, r.AnsweredBad, r.ClarifyRate, r.ClarifyHit)
	fmt.Fprintf(w, "  OOS rejected %.3f  OOS answered %.3f  answered-correct at >=90%% OOS rejection %.3f\n",
		r.OOSRejected, r.OOSAnswered, r.At90)
	fmt.Fprintf(w, "  latency mean %.1f µs  p99 %.1f µs\n", r.MeanUS, r.P99US)
}
