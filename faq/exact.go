package faq

import "unicode/utf8"

// An utterance that is exactly one of an entry's texts — its question or an
// alternate, normalised and without spaces, a trailing polite 요 ignored
// ("전화번호요" is "전화번호") — is answered from that entry, whatever the
// ranking says: a bot master who lists "전화번호" as an alternate of the
// customer-service entry has said what a lone "전화번호" means, though
// another entry's text ("전화번호 바꾸기") may share more n-grams with it. A
// text that two entries list is left to the ranking.

// politeTail is the particle a noun takes as a polite fragment answer.
const politeTail = '요'

// appendExactKey appends to dst the exact key of rs, compact normalised
// runes: their UTF-8 without a trailing politeTail (unless it is all).
func appendExactKey(dst []byte, rs []rune) []byte {
	if n := len(rs); n > 1 && rs[n-1] == politeTail {
		rs = rs[:n-1]
	}
	for _, r := range rs {
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// addExact records rs, a compact normalised text of entry e, as an exact
// key; a key of two entries is marked ambiguous (-1).
func (ix *Index) addExact(rs []rune, e int32) {
	if ix.exact == nil {
		ix.exact = make(map[string]int32)
	}
	k := string(appendExactKey(nil, rs))
	if prev, ok := ix.exact[k]; ok && prev != e {
		e = -1
	}
	ix.exact[k] = e
}

// exactEntry returns the entry whose text the query analysed in s is
// exactly, if exactly one entry has it. It does not allocate.
func (ix *Index) exactEntry(s *scratch) (int32, bool) {
	if len(s.runes) == 0 {
		return 0, false
	}
	s.key = appendExactKey(s.key[:0], s.runes)
	e, ok := ix.exact[string(s.key)]
	return e, ok && e >= 0
}
