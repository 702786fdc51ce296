package configs

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// typed walks n against the Go type ty it decodes into and returns the
// node to put in n's place:
//
//   - a value a text field (or a text map key) takes is kept as written:
//     YAML reads an unquoted 0101234 as the YAML 1.1 octal number 33436,
//     1.10 as 1.1 and True as true, and the decoder would hand the text
//     field "33436" — a phone number, a block name or a keyword the bot
//     master never wrote (!!str does not help: the decoder formats the
//     number it read). Such a value becomes the text it was written as.
//   - a whole-number field refuses a fraction (max_waiting: 2.5), which the
//     decoder would cut to 2 without a word: an error at the value.
//
// Types that decode themselves (Duration) and aliases (their anchor is
// walked where it is written) are left alone.
func (t *tree) typed(n ast.Node, ty reflect.Type) ast.Node {
	if n == nil || ty == nil {
		return n
	}
	for ty.Kind() == reflect.Pointer {
		ty = ty.Elem()
	}
	if decodesItself(ty) {
		return n
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		v.Value = t.typed(v.Value, ty)
		return v
	case *ast.TagNode:
		if ty.Kind() == reflect.String && tagOf(v) == "!!str" {
			if s := asWritten(v.Value); s != nil {
				return s
			}
		}
		v.Value = t.typed(v.Value, ty)
		return v
	}
	switch ty.Kind() {
	case reflect.String:
		if s := asWritten(n); s != nil {
			return s
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		t.wholeNumber(n)
	case reflect.Struct:
		for _, mv := range mappingValues(n) {
			if f, ok := fieldByYAMLName(ty, keyString(mv.Key)); ok {
				mv.Value = t.typed(mv.Value, f.Type)
			}
		}
	case reflect.Map:
		for _, mv := range mappingValues(n) {
			if ty.Key().Kind() == reflect.String {
				if k, ok := t.typed(mv.Key, ty.Key()).(ast.MapKeyNode); ok {
					mv.Key = k
				}
			}
			mv.Value = t.typed(mv.Value, ty.Elem())
		}
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for i, e := range seq.Values {
				seq.Values[i] = t.typed(e, ty.Elem())
			}
		}
	}
	return n
}

// decodesItself reports whether values of ty decode themselves (a YAML or
// text unmarshaler), as Duration does.
func decodesItself(ty reflect.Type) bool {
	pt := reflect.PointerTo(ty)
	for _, m := range []string{"UnmarshalYAML", "UnmarshalText"} {
		if _, ok := pt.MethodByName(m); ok {
			return true
		}
	}
	return false
}

// asWritten is a text node of the scalar n as written in the file when YAML
// reads it as something else (a number, true or false), else nil.
func asWritten(n ast.Node) *ast.StringNode {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode, *ast.BoolNode:
	default:
		return nil
	}
	tk := n.GetToken()
	if tk == nil {
		return nil
	}
	return ast.String(tk)
}

// wholeNumber records an error for a value with a fraction (or an infinity)
// written for a whole-number field; the decoder would cut it.
func (t *tree) wholeNumber(n ast.Node) {
	var f float64
	switch v := n.(type) {
	case *ast.FloatNode:
		f = v.Value
	case *ast.InfinityNode:
		f = v.Value
	case *ast.NanNode:
		f = math.NaN()
	case *ast.StringNode: // "2.5" quoted: the decoder parses it as a float
		x, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			return // refused by the decoder as text
		}
		f = x
	default:
		return
	}
	if !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f) {
		return
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return
	}
	t.errs = append(t.errs, Error{File: t.file, Line: tk.Position.Line, Col: tk.Position.Column,
		Msg: fmt.Sprintf("%s must be a whole number, not %s", t.subject(tk), shown(tk))})
}
