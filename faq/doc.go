// Package faq normalises colloquial Korean, indexes FAQ questions and decides,
// for one utterance, whether to answer, ask the user to choose between close
// candidates (clarify) or say there is no match. It is pure and deterministic:
// no I/O, no clock, safe for concurrent reads. It imports no other Baton package.
//
// Pipeline (see README.md): Normalize (NFKC, lower case, punctuation and
// ㅋㅋ/ㅠㅠ tails dropped), then two BM25 fields over the space-stripped text —
// character bigrams and jamo trigrams (typo-robust), with idf scaled by an
// embedded table of general-Korean n-gram weights — recall the 12 best
// texts; a reranker over scale-free features (coverage both ways, unmatched
// high-idf terms on either side, word-stem BM25, negation mismatch, length
// ratio, and with an optional learned Lexicon its bigram and stem links)
// orders them; an acceptance model on the best candidate gives
// Decision.Score, which thresholds into Answer / Clarify / NoMatch. Weights
// and default thresholds are trained on split=dev rows only by
// `go test ./faq -run TestTrain -update` (weights.go is generated).
package faq
