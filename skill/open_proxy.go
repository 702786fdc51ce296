package skill

import "net/http"

// proxyHeaders are the request headers a reverse proxy adds (Caddy adds
// X-Forwarded-For, -Proto and -Host by itself; nginx adds them, or
// X-Real-IP, with proxy_set_header, as docs/ops.md's recipe does).
var proxyHeaders = [...]string{"Forwarded", "X-Forwarded-For", "X-Real-Ip", "X-Forwarded-Host", "X-Forwarded-Proto", "Via"}

// proxiedWhileOpen returns the name of the proxy header r carries when
// /skill has no tokens, and "" otherwise (tokens configured, or a request
// straight from a local client). An open /skill is allowed only on a
// loopback --addr, for local clients (baton chat, curl, tests); a reverse
// proxy to that address would make it public, so a request that came
// through one is refused whatever the listen address.
func (s *Server) proxiedWhileOpen(r *http.Request) string {
	if len(s.tokens.Load().values) > 0 {
		return ""
	}
	for _, h := range proxyHeaders {
		if _, ok := r.Header[h]; ok {
			return h
		}
	}
	return ""
}

// refuseProxied answers a request proxiedWhileOpen refused: 401, nothing
// read or stored, and a log line saying why and what to configure.
func (s *Server) refuseProxied(reqID, header string) {
	s.metrics.answers.WithLabelValues("unauthorized").Inc()
	s.logger.Warn("skill: refused a request that came through a reverse proxy: kakao.tokens is empty, so /skill "+
		"answers local clients only; set BATON_SKILL_TOKEN (and BATON_SKILL_TEST_TOKEN) and the same values as "+
		"헤더값 / 테스트 헤더값 in 챗봇 관리자센터", "req", reqID, "header", header)
}
