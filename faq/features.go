package faq

import (
	"math"
	"slices"
)

// The reranking features of one (query, candidate document) pair. Every
// feature is scale-free (a ratio or a flag) so that weights learned on one
// FAQ transfer to another of a different size.
const (
	fBigramQ    = iota // bigram BM25 ÷ query self-score: how much of the query the doc covers
	fJamoQ             // jamo-trigram BM25 ÷ query self-score (typo-robust)
	fBigramD           // bigram BM25 ÷ doc self-score: how much of the doc the query covers
	fJamoD             // jamo-trigram BM25 ÷ doc self-score
	fDocMiss           // largest idf of a doc bigram missing from the query (÷ max idf)
	fQueryMiss         // largest idf of a known query bigram missing from the doc
	fDocMissJ          // the same two over jamo trigrams
	fQueryMissJ        //
	fRel               // combined recall score ÷ the best candidate's (1 for the best)
	fNegation          // 1 when exactly one of query and doc is a prohibition ("…지 마")
	fLenRatio          // |log(query jamo length ÷ doc jamo length)|
	fBothQ             // fBigramQ × fBigramD
	fBothJ             // fJamoQ × fJamoD
	fLex               // share of query bigrams absent from the doc that the lexicon links to doc bigrams
	fStemQ             // word-stem BM25 ÷ query self-score
	fStemD             // word-stem BM25 ÷ doc self-score
	fLexS              // fLex over word stems
	fExample           // closest labelled dev example of the doc's entry (Lexicon), as fBothQ + fBothJ; 0 without
	nFeat
)

var featNames = [nFeat]string{
	"bigram_q", "jamo_q", "bigram_d", "jamo_d", "doc_miss", "query_miss",
	"doc_miss_j", "query_miss_j", "rel", "negation", "len_ratio", "both_b", "both_j", "lexicon", "stem_q", "stem_d", "lexicon_stem", "example",
}

// negationMarks are spellings of a prohibition or a negated request in
// space-stripped normalised text. General Korean, not mined from any data.
var negationMarks = [][]rune{[]rune("지마"), []rune("지말"), []rune("말아"), []rune("지않"), []rune("안해도"), []rune("않아도"), []rune("필요없")}

// hasNegation reports whether the space-stripped runes contain a
// negation mark.
func hasNegation(rs []rune) bool {
	for _, m := range negationMarks {
		for i := 0; i+len(m) <= len(rs); i++ {
			if slices.Equal(rs[i:i+len(m)], m) {
				return true
			}
		}
	}
	return false
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// The acceptance model's inputs: the best candidate's reranking features
// followed by these query-level ones.
const (
	aLogit    = nFeat + iota // the reranker's logit of the best candidate
	aGap                     // its probability minus the runner-up's
	aUnknownB                // share of query bigrams the index has never seen
	aUnknownJ                // share of query jamo trigrams the index has never seen
	aLogLen                  // log(1 + query length in characters)
	aNegSim                  // similarity to the closest known out-of-scope example (Lexicon), 0 without
	aNegGap                  // aNegSim minus the best candidate's similarity, 0 without examples
	nAcc
)

func accName(i int) string {
	if i < nFeat {
		return featNames[i]
	}
	return [...]string{"logit", "gap", "unknown_b", "unknown_j", "log_len", "neg_sim", "neg_gap"}[i-nFeat]
}
