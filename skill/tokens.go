package skill

import (
	"crypto/subtle"
	"net/http"
)

// defaultTokenHeader is the header that carries the skill token when the
// config names none.
const defaultTokenHeader = "X-Baton-Token"

// tokenSet is the accepted skill token header and values. It is never
// changed after it is built: SetTokens swaps in a whole new one.
type tokenSet struct {
	header string
	values [][]byte
}

// SetTokens replaces the accepted token header and values (kakao.tokens and
// kakao.token_header) for the requests that start after it; a request
// already past the check keeps its answer. Empty values are dropped, an
// empty list leaves /skill open and an empty header means X-Baton-Token.
// Whether an open /skill is allowed (only on a loopback address) is the
// caller's rule. Safe to call while serving.
func (s *Server) SetTokens(header string, tokens []string) {
	if header == "" {
		header = defaultTokenHeader
	}
	ts := &tokenSet{header: http.CanonicalHeaderKey(header)}
	for _, t := range tokens {
		if t != "" {
			ts.values = append(ts.values, []byte(t))
		}
	}
	s.tokens.Store(ts)
}

// authorized reports whether the request carries one of the tokens. It reads
// the set in force with one atomic load and compares the header with every
// token in constant time, so the time taken says nothing about which
// token, or how much of one, matched.
func (s *Server) authorized(r *http.Request) bool {
	ts := s.tokens.Load()
	if len(ts.values) == 0 {
		return true
	}
	got := []byte(r.Header.Get(ts.header))
	ok := 0
	for _, t := range ts.values {
		ok |= subtle.ConstantTimeCompare(got, t)
	}
	return ok == 1
}
