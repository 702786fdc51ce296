package configs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// warnCutByComment warns when the plain (unquoted) string value at p is
// followed on its last line by blanks and "#" with text right after it
// ("공지 #12 를 보세요", "#오늘의특가"): YAML reads " #" as the start of a
// comment, so the value silently ends before it and users get the text cut
// short. A comment written as "# note" (a blank after "#") is taken as
// meant and not warned about.
func (t *tree) warnCutByComment(p path) {
	_, val, d := t.lookup(p)
	if d != len(p) || val == nil {
		return
	}
	s, ok := unwrap(val).(*ast.StringNode)
	if !ok {
		return
	}
	tk := s.GetToken()
	if tk == nil || tk.Type != token.StringType || tk.Position == nil {
		return
	}
	text := strings.TrimSpace(tk.Origin)
	if text == "" {
		return
	}
	lineNo := tk.Position.Line + strings.Count(text, "\n")
	last := text[strings.LastIndexByte(text, '\n')+1:]
	last = strings.TrimSpace(last)
	line, ok := t.srcLine(lineNo)
	if !ok {
		return
	}
	from := 0 // on the value's own first line, search from its column (a key may hold the same text)
	if lineNo == tk.Position.Line {
		// the byte offset of the column's rune (columns count runes)
		for n := 1; n < tk.Position.Column && from < len(line); n++ {
			_, size := utf8.DecodeRuneInString(line[from:])
			from += size
		}
	}
	i := strings.Index(line[from:], last)
	if i < 0 {
		return
	}
	rest := line[from+i+len(last):]
	trimmed := strings.TrimLeft(rest, " \t")
	if len(trimmed) == len(rest) || !strings.HasPrefix(trimmed, "#") {
		return
	}
	after, _ := utf8.DecodeRuneInString(trimmed[1:])
	if after == utf8.RuneError || after == '#' || unicode.IsSpace(after) {
		return
	}
	if secretPath(p) {
		// Neither the value nor what was cut off it: warnings reach logs
		// and the reload history.
		t.warnAt(p, "%s ends before a \" #\": YAML reads what follows as a comment; quote the whole value (\"...\") to keep it (a comment meant as one is written \"# ...\", with a blank)", p)
		return
	}
	t.warnAt(p, "%s ends at %q: YAML reads the %q after it as a comment; quote the whole value (\"...\") to keep it (a comment meant as one is written \"# ...\", with a blank)", p, s.Value, strings.TrimRight(trimmed, " \t\r"))
}

// secretPath reports whether the value at p may be or hold a secret: a
// token or secret, an API key, or a URL (a path or query may carry a
// token, as a Slack webhook's does). Messages about such a value do not
// quote it.
func secretPath(p path) bool {
	for _, seg := range p {
		switch seg {
		case "secret", "tokens", "rest_api_key", "url", "base_url":
			return true
		}
	}
	return false
}

// srcLine returns line n (1-based) of the file, without its line break.
func (t *tree) srcLine(n int) (string, bool) {
	if n < 1 {
		return "", false
	}
	if t.lines == nil {
		t.lines = strings.Split(string(t.src), "\n")
	}
	if n > len(t.lines) {
		return "", false
	}
	return strings.TrimSuffix(t.lines[n-1], "\r"), true
}
