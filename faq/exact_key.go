package faq

// ExactKey is the form in which the index recognises a query as exactly an
// entry's question or alternate (normalised, without spaces, a trailing
// polite 요 dropped), or "" when nothing is left of text. Two texts with
// one key are one text to the index: when two entries list it, it is left
// to the ranking (configs warns about that at load time).
func ExactKey(text string) string {
	rs, _ := appendNormalizedCompact(nil, nil, text)
	if len(rs) == 0 {
		return ""
	}
	return string(appendExactKey(nil, rs))
}
