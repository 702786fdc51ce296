// Package faq normalises colloquial Korean, indexes FAQ questions and decides,
// for one utterance, whether to answer, ask the user to choose between close
// candidates (clarify) or say there is no match. It is pure and deterministic:
// no I/O, no clock, safe for concurrent reads. It imports no other Baton package.
package faq
