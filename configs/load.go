package configs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Load reads, decodes and validates the config file at path. It returns an
// error wrapping the os error when the file cannot be read, and Errors (one
// "file:line:col: message" per mistake) when its content is wrong.
func Load(path string) (*Config, error) {
	return LoadWith(path, Options{})
}

// Options add checks that need more than the config file itself.
type Options struct {
	// Calendar returns nil when a holiday calendar of that name can be
	// loaded (built in, or a file in the holidays directory), else an error
	// saying where it looked. When set, a calendar named in handoff.hours
	// that it rejects is an error at the name's position; when nil, any
	// well-formed name passes here and serve reports a missing one when it
	// compiles the hours.
	Calendar func(name string) error
	// Env looks up the variables of ${VAR} and ${VAR:-default}; nil is
	// os.LookupEnv, the environment serve expands them from.
	Env func(name string) (string, bool)
	// Unset, when set, is called with the name of each ${VAR} without a
	// default that Env lacks (once per use; each use is also a warning),
	// also when a later check then fails the load.
	Unset func(name string)
}

// LoadWith is Load with the extra checks of o.
func LoadWith(path string, o Options) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("configs: read %s: %w", path, err)
	}
	return ParseWith(path, data, o)
}

// Parse decodes and validates data as the config file name (name is used in
// error positions and as Config.Path). The decode is strict: unknown keys,
// wrong types and duplicate keys are errors. ${VAR} and ${VAR:-default} are
// then expanded inside string values, defaults are filled and the whole
// config is cross-validated. Any problem is returned as Errors, sorted by
// position; decode problems stop before validation.
func Parse(name string, data []byte) (*Config, error) {
	return ParseWith(name, data, Options{})
}

// ParseWith is Parse with the extra checks of o.
func ParseWith(name string, data []byte, o Options) (*Config, error) {
	sum := sha256.Sum256(data)
	// A BOM (Windows editors' "UTF-8 with BOM") is no part of the YAML.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkUTF8(name, data); err != nil {
		return nil, err
	}
	t := &tree{file: name, opts: o, src: data}
	body := t.read() // yaml_read.go
	if len(t.errs) > 0 {
		t.errs.sort()
		return nil, t.errs
	}
	if body == nil {
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: "the config is empty"}}
	}
	t.body = body

	t.unknownKeys(t.body, reflect.TypeOf(Config{}))
	if len(t.errs) == 0 {
		t.body = t.typed(t.body, reflect.TypeOf(Config{})) // yaml_text.go
	}
	if len(t.errs) > 0 {
		t.errs = t.errs.unique()
		t.errs.sort()
		return nil, t.errs
	}
	cfg := new(Config)
	if err := decodeNode(t.body, cfg); err != nil {
		t.errs = append(t.errs, t.decodeError(err))
		return nil, t.errs
	}
	t.expandEnv(reflect.ValueOf(cfg).Elem(), nil)
	if len(t.errs) > 0 {
		t.errs.sort()
		return nil, t.errs
	}
	t.applyDefaults(cfg)
	t.validate(cfg)
	if len(t.errs) > 0 {
		t.errs.sort()
		return nil, t.errs
	}
	cfg.Version = hex.EncodeToString(sum[:])[:8]
	cfg.Path = name
	t.warns.sort()
	cfg.Warnings = t.warns
	return cfg, nil
}

var redefinedRE = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):(\d+)\]$`)

// decodeError turns an error from the goccy parser or decoder into an Error
// with a plain-English message at the offending token.
func (t *tree) decodeError(err error) Error {
	e := Error{File: t.file, Line: 1, Col: 1}
	setPos := func(tk *token.Token) {
		if tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
	}
	var (
		ne   *nodeError
		unk  *yaml.UnknownFieldError
		typ  *yaml.TypeError
		node *yaml.UnexpectedNodeTypeError
		ovf  *yaml.OverflowError
		syn  *yaml.SyntaxError
		dup  *yaml.DuplicateKeyError
	)
	switch {
	case errors.As(err, &ne):
		setPos(ne.tok)
		e.Msg = ne.msg + t.where(ne.tok, true)
	case errors.As(err, &unk):
		setPos(unk.Token)
		e.Msg = fmt.Sprintf("unknown key %q%s%s", unk.Token.Value, t.where(unk.Token, false), t.suggest(unk.Token))
	case errors.As(err, &typ):
		setPos(typ.Token)
		hint := quotedHint(typ.Token, typ.DstType)
		if typ.DstType != nil && typ.DstType.Kind() == reflect.Slice {
			hint = listHint(typ.Token) // list_hint.go
		}
		e.Msg = fmt.Sprintf("%s must be %s, not %s%s", t.subject(typ.Token), kindName(typ.DstType), shown(typ.Token), hint)
	case errors.As(err, &node):
		setPos(node.Token)
		hint := ""
		if node.Expected == ast.SequenceType {
			hint = listHint(node.Token) // list_hint.go
		}
		e.Msg = fmt.Sprintf("%s must be %s, not %s%s", t.subject(node.Token), nodeKindName(node.Expected), shown(node.Token), hint)
	case errors.As(err, &ovf):
		setPos(ovf.Token)
		e.Msg = fmt.Sprintf("%s: number %s is out of range", t.subject(ovf.Token), ovf.SrcNum)
	case errors.As(err, &dup):
		setPos(dup.Token)
		e.Msg = "duplicate key: " + dup.Message
	case errors.As(err, &syn):
		setPos(syn.Token)
		if m := redefinedRE.FindStringSubmatch(syn.Message); m != nil {
			e.Msg = fmt.Sprintf("duplicate key %q (first defined at line %s)", m[1], m[2])
		} else if q, ok := runawayQuote(t.src, e.Line, e.Col); ok {
			e.Line, e.Col, e.Msg = q.line, q.col, runawayQuoteMessage(q) // syntax_quote.go
		} else if o, ok := t.unclosedAt(syn.Message, e.Line, e.Col); ok {
			e.Line, e.Col, e.Msg = o.line, o.col, unclosedFlowMessage(o) // syntax_hints.go
		} else if s, ok := overIndented(t.src, e.Line, e.Col); ok && strings.Contains(syn.Message, "mapping value is not allowed in this context") {
			e.Line, e.Col, e.Msg = s.line, s.col, overIndentedMessage(s) // syntax_indent.go
		} else if s, ok := overIndentedAt(t.src, e.Line, e.Col); ok && strings.Contains(syn.Message, "value is not allowed in this context") {
			e.Msg = overIndentedMessage(s) // a comment ended the value above: the parser stopped at the key
		} else if first, holder, ok := underIndented(t.src, e.Line, e.Col); ok && strings.Contains(syn.Message, "value is not allowed in this context") {
			e.Msg = underIndentedMessage(t.src, e.Line, e.Col, first, holder) // syntax_underindent.go
		} else {
			e.Msg = syntaxMessage(syn.Message)
		}
	default:
		e.Msg = err.Error()
	}
	return e
}

// shown quotes a token's text for a message.
func shown(tk *token.Token) string {
	switch tk.Value {
	case "[":
		return "a list"
	case "{":
		return "a mapping"
	}
	if tk.Type == token.MappingValueType || tk.Type == token.SequenceEntryType {
		return "a mapping or list"
	}
	return strconv.Quote(tk.Value)
}

// subject names the key whose value is tk: `key "n" in menus.main.options[0]`.
func (t *tree) subject(tk *token.Token) string {
	p, ok := pathOf(t.body, tk)
	if !ok || len(p) == 0 {
		return "the value"
	}
	last := p[len(p)-1]
	if i, isIdx := last.(int); isIdx {
		return fmt.Sprintf("item %d of %s", i+1, p[:len(p)-1])
	}
	if len(p) == 1 {
		return fmt.Sprintf("key %q", last)
	}
	return fmt.Sprintf("key %q in %s", last, p[:len(p)-1])
}

// where names the mapping that holds tk (" in menu \"main\""), or "" at the
// top level. For a value token (isValue) the key itself is included.
func (t *tree) where(tk *token.Token, isValue bool) string {
	p, ok := pathOf(t.body, tk)
	if !ok {
		return ""
	}
	if isValue {
		return " for " + p.String()
	}
	p = p[:len(p)-1]
	last, isIdx := 0, false
	if len(p) > 0 {
		last, isIdx = p[len(p)-1].(int)
	}
	switch {
	case len(p) == 0:
		return " at the top level"
	case len(p) == 2 && p[0] == "menus":
		return fmt.Sprintf(" in menu %q", p[1])
	case len(p) == 4 && p[0] == "menus" && p[2] == "options" && isIdx:
		return fmt.Sprintf(" in option %d of menu %q", last+1, p[1])
	case len(p) == 2 && p[0] == "faq" && isIdx:
		return fmt.Sprintf(" in FAQ entry %d", last+1)
	}
	return " in " + p.String()
}

// suggest proposes the closest known key for an unknown key token.
func (t *tree) suggest(tk *token.Token) string {
	p, ok := pathOf(t.body, tk)
	if !ok {
		return ""
	}
	ty := typeAt(reflect.TypeOf(Config{}), p[:len(p)-1])
	if ty == nil || ty.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := 0; i < ty.NumField(); i++ {
		if name := yamlName(ty.Field(i)); name != "-" {
			names = append(names, name)
		}
	}
	return didYouMean(tk.Value, names) // suggest_refs.go
}

// typeAt follows p through Go types: struct fields by YAML name, map values,
// slice elements. It returns nil when p leaves the type.
func typeAt(ty reflect.Type, p path) reflect.Type {
	for _, seg := range p {
		for ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		switch ty.Kind() {
		case reflect.Struct:
			var next reflect.Type
			for i := 0; i < ty.NumField(); i++ {
				if yamlName(ty.Field(i)) == seg {
					next = ty.Field(i).Type
				}
			}
			if next == nil {
				return nil
			}
			ty = next
		case reflect.Map, reflect.Slice, reflect.Array:
			ty = ty.Elem()
		default:
			return nil
		}
	}
	for ty.Kind() == reflect.Pointer {
		ty = ty.Elem()
	}
	return ty
}

// editDistance is the edit distance between a and b counting an insertion,
// a deletion, a substitution or a swap of two neighbouring letters as one
// edit (optimal string alignment), so "vpi" is one edit from "vip", as a
// slip of two fingers is one typo.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	before := make([]int, len(rb)+1) // row i-2, for a swap
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
		}
		before, prev, cur = prev, cur, before
	}
	return prev[len(rb)]
}

// kindName describes a Go destination type for a bot master.
func kindName(ty reflect.Type) string {
	if ty == nil {
		return "a different type"
	}
	if ty == reflect.TypeOf(Duration(0)) {
		return "a duration like 30m"
	}
	switch ty.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "a mapping"
	}
	return "a " + ty.String()
}

// nodeKindName describes an expected YAML node type.
func nodeKindName(nt ast.NodeType) string {
	switch nt {
	case ast.SequenceType:
		return "a list"
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.StringType:
		return "text"
	case ast.BoolType:
		return "true or false"
	case ast.IntegerType:
		return "a whole number"
	}
	return "a " + strings.ToLower(nt.String())
}

// checkUTF8 refuses a config that is not UTF-8 at its first bad byte:
// Korean editors on Windows save CP949 (EUC-KR) unless told otherwise, and
// such text would reach users as U+FFFD and never match a block name.
func checkUTF8(name string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return Errors{{File: name, Line: line, Col: col, Msg: fmt.Sprintf("byte 0x%02x is not UTF-8: save the file as UTF-8 (not CP949/EUC-KR)", data[i])}}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return nil
}
