package configs

import (
	"fmt"
	"regexp"
	"strings"
)

// indentSlip is a key indented deeper than the key above it, whose value
// sits on that key's line.
type indentSlip struct {
	key       string // the deeper key
	line, col int    // where it is (1-based, runes)
	above     string // the key above it
	aboveLine int
	aboveCol  int // its indent + 1
}

// deepKeyRE matches a line that is a key of Baton's config (an ASCII name)
// followed by its colon.
var deepKeyRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):(\s|$)`)

// overIndented finds the slip behind the parser's "mapping value is not
// allowed in this context" at line:col when the plain value there holds
// no ": " on its own line: the next line that is not blank or a comment
// is a key indented deeper than the value's key, so YAML reads it as more
// of that value and the parser complains at the value, a line above the
// mistake. A line below that is not an ASCII key (Korean text with a
// colon) is left to the colon-in-a-value hint.
func overIndented(data []byte, line, col int) (indentSlip, bool) {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return indentSlip{}, false
	}
	rs := []rune(lines[line-1])
	if col < 1 || col > len(rs) {
		return indentSlip{}, false
	}
	value := string(rs[col-1:])
	if i := strings.Index(value, " #"); i >= 0 {
		value = value[:i]
	}
	value = strings.TrimSpace(value)
	if value == "" || strings.ContainsAny(value[:1], `"'{[|>`) ||
		strings.Contains(value, ": ") || strings.HasSuffix(value, ":") {
		return indentSlip{}, false
	}
	prefix := string(rs[:col-1])
	key := strings.TrimLeft(prefix, " -")
	aboveIndent := len([]rune(prefix)) - len([]rune(key))
	key = strings.TrimSpace(key)
	if !strings.HasSuffix(key, ":") {
		return indentSlip{}, false
	}
	key = strings.TrimSpace(strings.TrimSuffix(key, ":"))
	for i := line; i < len(lines); i++ {
		text := lines[i]
		body := strings.TrimLeft(text, " ")
		if strings.TrimSpace(body) == "" || strings.HasPrefix(body, "#") {
			continue
		}
		indent := len(text) - len(body)
		m := deepKeyRE.FindStringSubmatch(body)
		if indent <= aboveIndent || m == nil {
			return indentSlip{}, false
		}
		return indentSlip{key: m[1], line: i + 1, col: indent + 1,
			above: key, aboveLine: line, aboveCol: aboveIndent + 1}, true
	}
	return indentSlip{}, false
}

// valueLineRE matches the start of a line holding a key (an item's key
// too, after "- ") and a value after it: group 1 runs up to the value.
var valueLineRE = regexp.MustCompile(`^( *(?:- +)?[A-Za-z_][A-Za-z0-9_]*: +)[^ #]`)

// overIndentedAt finds the same slip as overIndented when the parser
// stops at the deeper key itself, at line:col, rather than at the value
// above it: so it does when a comment ends that value — a comment line
// between the two (the lines skipped may be blank, too), or a comment
// after the value on its own line. The key above is the nearest line
// above that is not blank or a comment.
func overIndentedAt(data []byte, line, col int) (indentSlip, bool) {
	lines := strings.Split(string(data), "\n")
	if line < 2 || line > len(lines) {
		return indentSlip{}, false
	}
	text := lines[line-1]
	body := strings.TrimLeft(text, " ")
	if len(text)-len(body)+1 != col || !deepKeyRE.MatchString(body) {
		return indentSlip{}, false
	}
	for i := line - 2; i >= 0; i-- {
		above := strings.TrimLeft(lines[i], " ")
		if strings.TrimSpace(above) == "" || strings.HasPrefix(above, "#") {
			continue
		}
		m := valueLineRE.FindStringSubmatch(lines[i])
		if m == nil {
			return indentSlip{}, false
		}
		s, ok := overIndented(data, i+1, len(m[1])+1) // the prefix is spaces, "- " and an ASCII key
		return s, ok && s.line == line && s.col == col
	}
	return indentSlip{}, false
}

// overIndentedMessage is the message for a key indented too deep.
func overIndentedMessage(s indentSlip) string {
	fix := fmt.Sprintf("indent it %d spaces to line it up with %q (or fewer, if it belongs higher up)", s.aboveCol-1, s.above)
	if s.aboveCol == 1 {
		fix = fmt.Sprintf("start it at the beginning of the line, as %q does", s.above)
	}
	return fmt.Sprintf("YAML syntax error: %q is indented %d spaces, more than %q on line %d (%d), so it reads as more of that value: %s",
		s.key, s.col-1, s.above, s.aboveLine, s.aboveCol-1, fix)
}
