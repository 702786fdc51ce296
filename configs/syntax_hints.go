package configs

import (
	"fmt"
	"regexp"
	"strings"
)

// syntaxHints adds, to the goccy parser's message (matched as a
// substring, first match wins), what a bot master should check: the parser names the token it
// choked on, not the everyday mistake that put it there.
var syntaxHints = []struct{ match, hint string }{
	{"mapping value is not allowed in this context", `quote a value that holds ": " (text: "안내: ..."), or check the indentation of this line and the one before`},
	{"value is not allowed in this context", `check the indentation (the keys of one mapping, and the "-" items of one list, line up) and that a quoted value is quoted whole ("...", nothing after the closing quote)`},
	{"non-map value is specified", `put a space after the colon (key: value) and check the indentation`},
	{"',' or '}' must be specified", "quote a value that holds , { } [ ] # or a quote, or starts with * & ! | > % @ or `"},
	{"',' or ']' must be specified", "quote a value that holds , { } [ ] # or a quote, or starts with * & ! | > % @ or `"},
	{"is a reserved character", "quote a value that starts with @ or `"},
	{"could not find end character of", "close the quote at the end of its value, on this line"},
	{"could not find alias", `a value that starts with * names an anchor (&name): quote it ("*추천 상품")`},
}

// syntaxMessage rewrites a goccy syntax error message for a bot master.
func syntaxMessage(msg string) string {
	if strings.HasPrefix(msg, "found character '\t'") {
		return "YAML syntax error: a tab character: YAML indents with spaces only; replace the tab with spaces"
	}
	for _, h := range syntaxHints {
		if strings.Contains(msg, h.match) {
			return "YAML syntax error: " + msg + "; " + h.hint
		}
	}
	return "YAML syntax error: " + msg
}

// flowOpen is a { or [ of a flow mapping or list, at a 1-based line and
// column (in runes, as the parser counts).
type flowOpen struct {
	ch        rune
	line, col int
}

// unclosedFlow finds the innermost { or [ opened on a line before line and
// not closed by line:col, reading data as a bot master writes it: a # after
// a space (or at a line's start) begins a comment, a quote that begins a
// value ends at its closing quote or at the end of its line, and the text
// of a block scalar (| or >) is skipped. The parser reports a
// flow mapping left open (by a "#" or an unclosed quote inside it) where it
// finally gave up, often many lines below; the opening bracket is where the
// mistake is.
func unclosedFlow(data []byte, line, col int) (flowOpen, bool) {
	var stack []flowOpen
	block := -1 // the indent of the key of a block scalar (| or >) being skipped
	for i, text := range strings.Split(string(data), "\n") {
		ln := i + 1
		if ln > line {
			break
		}
		indent := len(text) - len(strings.TrimLeft(text, " "))
		if block >= 0 {
			if strings.TrimSpace(text) == "" || indent > block {
				continue
			}
			block = -1
		}
		rs := []rune(text)
		var quote rune
		prev := ' ' // the last non-space rune outside quotes, ' ' at the start
		end := len(rs)
		for j, r := range rs {
			if ln == line && j+1 >= col {
				end = j
				break
			}
			if quote != 0 {
				if r == quote {
					quote = 0
					prev = r
				}
				continue
			}
			switch {
			case r == '#' && (j == 0 || rs[j-1] == ' ' || rs[j-1] == '\t'):
				end = j
			case (r == '"' || r == '\'') && strings.ContainsRune(" :,[{-", prev):
				quote = r
			case r == '{' || r == '[':
				stack = append(stack, flowOpen{ch: r, line: ln, col: j + 1})
			case (r == '}' || r == ']') && len(stack) > 0:
				stack = stack[:len(stack)-1]
			}
			if end == j {
				break
			}
			if r != ' ' && r != '\t' {
				prev = r
			}
		}
		if blockScalarRE.MatchString(string(rs[:end])) {
			block = indent
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].line < line {
			return stack[i], true
		}
	}
	return flowOpen{}, false
}

// blockScalarRE matches a line whose value starts a block scalar (| or >).
var blockScalarRE = regexp.MustCompile(`(^|[:\s-])\s*[|>][-+0-9]*\s*$`)

// unclosedFlowMessage is the message for a flow bracket left open.
func unclosedFlowMessage(o flowOpen) string {
	closing := '}'
	if o.ch == '[' {
		closing = ']'
	}
	return fmt.Sprintf(`YAML syntax error: the %c here is not closed: add the %c, or if it is there, find what hides it (" #" starts a comment; a quote left open runs on) and quote that value`, o.ch, closing)
}

// unclosedAt returns the flow bracket left open before line:col when msg is
// the parser's complaint about a missing } or ].
func (t *tree) unclosedAt(msg string, line, col int) (flowOpen, bool) {
	want := '{'
	switch {
	case strings.Contains(msg, "',' or '}' must be specified"):
	case strings.Contains(msg, "',' or ']' must be specified"):
		want = '['
	default:
		return flowOpen{}, false
	}
	o, ok := unclosedFlow(t.src, line, col)
	if !ok || o.ch != want {
		return flowOpen{}, false
	}
	return o, true
}
