package configs

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// tree is the parsed YAML of one file, kept after decoding so validation can
// point at the key or value it complains about.
type tree struct {
	file string
	body ast.Node
	errs Errors
	// warns are problems that do not fail the load (Config.Warnings).
	warns Errors
	opts  Options
	src   []byte   // the file's bytes, for syntax errors the parser misplaces
	lines []string // src split at line breaks, filled by srcLine on first use
	// hours are the fill pairs of the hours placeholders (HoursFills),
	// filled by filledRunes on first use.
	hours []string
}

// path addresses a node: string segments are mapping keys, int segments are
// sequence indexes.
type path []any

// String renders p as "menus.main.options[2]".
func (p path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, s)
		}
	}
	return b.String()
}

// with returns a copy of p extended by segs; p itself is never aliased.
func (p path) with(segs ...any) path {
	q := make(path, 0, len(p)+len(segs))
	return append(append(q, p...), segs...)
}

// unwrap looks through anchors and tags to the node that carries the value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// mappingValues returns the key/value pairs of a mapping node, or nil.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch v := unwrap(n).(type) {
	case *ast.MappingNode:
		return v.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}
	}
	return nil
}

// keyString is the text of a mapping key as the decoder sees it.
func keyString(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	if s, ok := unwrap(k).(*ast.StringNode); ok {
		return s.Value
	}
	if mk, ok := k.(*ast.MappingKeyNode); ok && mk.Value != nil {
		return keyString(mk.Value.(ast.MapKeyNode))
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// lookup follows p from the document body. It returns the key token of the
// last segment when that segment is a mapping key, the node found, and how
// many segments matched (len(p) when the whole path exists).
func (t *tree) lookup(p path) (key *token.Token, val ast.Node, depth int) {
	val = t.body
	for i, seg := range p {
		var next ast.Node
		var nextKey *token.Token
		switch s := seg.(type) {
		case string:
			for _, mv := range mappingValues(val) {
				if keyString(mv.Key) == s {
					nextKey, next = mv.Key.GetToken(), mv.Value
					break
				}
			}
		case int:
			if seq, ok := unwrap(val).(*ast.SequenceNode); ok && s >= 0 && s < len(seq.Values) {
				next = seq.Values[s]
			}
		}
		if next == nil {
			return key, val, i
		}
		key, val = nextKey, next
	}
	return key, val, len(p)
}

// has reports whether p exists in the file (a key written with any value).
func (t *tree) has(p path) bool {
	_, _, d := t.lookup(p)
	return d == len(p)
}

// keys returns the keys of the mapping at p in file order.
func (t *tree) keys(p path) []string {
	_, n, d := t.lookup(p)
	if d != len(p) {
		return nil
	}
	var ks []string
	for _, mv := range mappingValues(n) {
		ks = append(ks, keyString(mv.Key))
	}
	return ks
}

// nodePos is where a node starts: for a block mapping, its first key.
func nodePos(n ast.Node) (line, col int) {
	n = unwrap(n)
	if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 {
		n = m.Values[0].Key
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		n = mv.Key
	}
	if n == nil {
		return 0, 0
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// valuePos is the position of the value at p, or of the nearest part of p
// that exists (a missing key is reported at the mapping that lacks it).
func (t *tree) valuePos(p path) (line, col int) {
	key, val, d := t.lookup(p)
	if d < len(p) && key != nil && key.Position != nil {
		return key.Position.Line, key.Position.Column
	}
	if l, c := nodePos(val); l > 0 {
		return l, c
	}
	if key != nil && key.Position != nil {
		return key.Position.Line, key.Position.Column
	}
	return 1, 1
}

// keyPos is the position of the key that ends p (or of the value when p ends
// in a sequence index).
func (t *tree) keyPos(p path) (line, col int) {
	key, _, d := t.lookup(p)
	if _, idx := p[len(p)-1].(int); idx || d < len(p) || key == nil || key.Position == nil {
		return t.valuePos(p)
	}
	return key.Position.Line, key.Position.Column
}

// errAt records an error at the value of p.
func (t *tree) errAt(p path, format string, args ...any) {
	l, c := t.valuePos(p)
	t.errs = append(t.errs, Error{File: t.file, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)})
}

// warnAt records a warning at the value at p.
func (t *tree) warnAt(p path, format string, args ...any) {
	l, c := t.valuePos(p)
	t.warns = append(t.warns, Error{File: t.file, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)})
}

// errAtKey records an error at the key that ends p.
func (t *tree) errAtKey(p path, format string, args ...any) {
	l, c := t.keyPos(p)
	t.errs = append(t.errs, Error{File: t.file, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)})
}

// pathOf finds the path to the mapping key or value whose token is tk.
// It returns ok=false when tk is not a key or value token in the tree.
func pathOf(n ast.Node, tk *token.Token) (p path, ok bool) {
	n = unwrap(n)
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		for _, mv := range mappingValues(v) {
			k := keyString(mv.Key)
			if mv.Key != nil && sameToken(mv.Key.GetToken(), tk) {
				return path{k}, true
			}
			if mv.Value != nil && sameToken(unwrap(mv.Value).GetToken(), tk) {
				return path{k}, true
			}
			if sub, ok := pathOf(mv.Value, tk); ok {
				return append(path{k}, sub...), true
			}
		}
	case *ast.SequenceNode:
		for i, e := range v.Values {
			if sameToken(unwrap(e).GetToken(), tk) {
				return path{i}, true
			}
			if sub, ok := pathOf(e, tk); ok {
				return append(path{i}, sub...), true
			}
		}
	}
	return nil, false
}

func sameToken(a, b *token.Token) bool {
	if a == nil || b == nil {
		return false
	}
	if a == b {
		return true
	}
	return a.Position != nil && b.Position != nil && a.Position.Offset == b.Position.Offset &&
		a.Position.Line == b.Position.Line && a.Value == b.Value
}
