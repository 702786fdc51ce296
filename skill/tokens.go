package skill

import (
	"crypto/subtle"
	"net/http"
)

// logRefusedToken logs why a request was refused when tokens are set: the
// token header missing (챗봇 관리자센터 sends another key, or none, or a
// proxy drops it) or its value matching none of kakao.tokens (헤더값 and the
// config differ, e.g. after a rotation). Neither the value nor the tokens
// are logged.
func (s *Server) logRefusedToken(r *http.Request, reqID string) {
	h := s.tokens.Load().header
	if r.Header.Get(h) == "" {
		s.logger.Warn("skill: refused a request without the token header: in 챗봇 관리자센터 > 스킬, 헤더값 입력 "+
			"(and 테스트 헤더값 입력) must use this key (kakao.token_header), and a proxy in front must pass it on",
			"req", reqID, "header", h)
		return
	}
	s.logger.Warn("skill: refused a request whose token matches none of kakao.tokens: the value of 헤더값 "+
		"(or 테스트 헤더값) in 챗봇 관리자센터 is not in kakao.tokens; when rotating, keep the old value listed "+
		"until the new one is deployed (docs/ops.md)", "req", reqID, "header", h)
}

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
//
// With no tokens /skill is open, which is allowed only on a loopback --addr
// for local clients (baton chat, curl, tests); a reverse proxy to that
// address would make it public, so a request that came through one is
// refused, and via names the proxy header it carries (otherwise "").
func (s *Server) authorized(r *http.Request) (ok bool, via string) {
	ts := s.tokens.Load()
	if len(ts.values) == 0 {
		for _, h := range proxyHeaders {
			if _, found := r.Header[h]; found {
				return false, h
			}
		}
		return true, ""
	}
	got := []byte(r.Header.Get(ts.header))
	match := 0
	for _, t := range ts.values {
		match |= subtle.ConstantTimeCompare(got, t)
	}
	return match == 1, ""
}

// proxyHeaders are the request headers a reverse proxy adds: Caddy adds
// X-Forwarded-For, -Proto and -Host by itself; nginx adds them, or
// X-Real-IP, with proxy_set_header, as docs/ops.md's recipe does. An open
// /skill refuses a request carrying any of them (authorized).
var proxyHeaders = [...]string{"Forwarded", "X-Forwarded-For", "X-Real-Ip", "X-Forwarded-Host", "X-Forwarded-Proto", "Via"}
