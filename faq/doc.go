// Package faq normalises colloquial Korean, indexes FAQ questions and decides,
// for one utterance, whether to answer, ask the user to choose between close
// candidates (clarify) or say there is no match. It is pure and deterministic:
// no I/O, no clock, safe for concurrent reads. It imports no other Baton package.
//
// Pipeline (see README.md): Normalize (NFKC, lower case, punctuation and
// ㅋㅋ/ㅠㅠ tails dropped), then two BM25 fields over the space-stripped text —
// character bigrams and jamo trigrams (typo-robust), with idf scaled by an
// embedded table of general-Korean n-gram weights — recall the 12 best
// texts (8 with a Lexicon); a reranker over scale-free features (coverage
// both ways, unmatched high-idf terms on either side, word-stem BM25,
// negation mismatch, length ratio, and with an optional Lexicon learned from
// labelled dev rows its bigram and stem links and the closest labelled
// example of the candidate's entry) orders them; an acceptance model on the
// best candidate (with a Lexicon, also its similarity to known out-of-scope
// examples attached to the recalled entries) gives Decision.Score, which
// thresholds into Answer / Clarify / NoMatch; a best entry that shares no
// topic n-gram with the utterance (only endings, question words or fillers
// from a hand-written list of general Korean function words) scores 0 and is
// never answered. Weights
// and default thresholds are trained on split=dev rows only by
// `go test ./faq -run TestSlowTrain -update` (weights.go is generated).
package faq
