package configs

import (
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml/ast"
)

var durationType = reflect.TypeOf(Duration(0))

// unknownKeys walks the document against the Go type ty and records every
// key that no struct field takes. The strict decoder stops at the first such
// key; this walk lets Parse report all of them at once.
func (t *tree) unknownKeys(n ast.Node, ty reflect.Type) {
	for ty.Kind() == reflect.Pointer {
		ty = ty.Elem()
	}
	if ty == durationType {
		return
	}
	n = unwrap(n)
	switch ty.Kind() {
	case reflect.Struct:
		for _, mv := range mappingValues(n) {
			key := keyString(mv.Key)
			if key == "<<" {
				t.unknownKeys(mv.Value, ty)
				continue
			}
			f, ok := fieldByYAMLName(ty, key)
			if !ok {
				tk := mv.Key.GetToken()
				l, c := 1, 1
				if tk != nil && tk.Position != nil {
					l, c = tk.Position.Line, tk.Position.Column
				}
				hint := flowCommaHint(n, mv) // flow_comma.go
				if hint == "" {
					hint = t.suggest(tk)
				}
				t.errs = append(t.errs, Error{File: t.file, Line: l, Col: c,
					Msg: fmt.Sprintf("unknown key %q%s%s", key, t.where(tk, false), hint)})
				continue
			}
			t.unknownKeys(mv.Value, f.Type)
		}
	case reflect.Map:
		for _, mv := range mappingValues(n) {
			t.unknownKeys(mv.Value, ty.Elem())
		}
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for _, v := range seq.Values {
				t.unknownKeys(v, ty.Elem())
			}
		}
	}
}

// fieldByYAMLName finds the exported field of struct type ty decoded from key.
func fieldByYAMLName(ty reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < ty.NumField(); i++ {
		f := ty.Field(i)
		if f.IsExported() && yamlName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
