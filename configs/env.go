package configs

import (
	"fmt"
	"os"
	"reflect"
	"strings"
)

// expand replaces ${VAR} and ${VAR:-default} in s using lookup; "$$" is a
// literal dollar and any other "$" is kept as is. An unset (or, for ":-",
// empty) variable without a default becomes "", and unset (when not nil) is
// called with its name. It returns an error for a "${" without a closing
// brace or with an invalid variable name.
func expand(s string, lookup func(string) (string, bool), unset func(name string)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated ${ at character %d: close it with } or write $$ for a literal dollar", i+1)
			}
			expr := s[i+2 : i+2+end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if !validEnvName(name) {
				return "", fmt.Errorf("invalid variable name %q in ${%s}: use letters, digits and _ (write $$ for a literal dollar)", name, expr)
			}
			v, ok := lookup(name)
			if hasDef && (!ok || v == "") {
				v = def
			}
			if !ok && !hasDef && unset != nil {
				unset(name)
			}
			b.WriteString(v)
			i += 2 + end
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// validEnvName reports whether name is a shell-style variable name.
func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// expandEnv walks every string reachable from v (struct fields, slice and
// array elements, map values, pointers) and expands it in place. Map keys are
// left alone: they are ids, not values. Errors are recorded on t at the
// string's value position.
func (t *tree) expandEnv(v reflect.Value, p path) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			t.expandEnv(v.Elem(), p)
		}
	case reflect.Struct:
		ty := v.Type()
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			name := yamlName(f)
			if !f.IsExported() || name == "-" {
				continue
			}
			t.expandEnv(v.Field(i), p.with(name))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			t.expandEnv(v.Index(i), p.with(i))
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			elem := reflect.New(v.Type().Elem()).Elem()
			elem.Set(iter.Value())
			t.expandEnv(elem, p.with(fmt.Sprint(k.Interface())))
			v.SetMapIndex(k, elem)
		}
	case reflect.String:
		lookup := t.opts.Env
		if lookup == nil {
			lookup = os.LookupEnv
		}
		t.warnBareVars(p, v.String()) // env_bare.go
		t.warnCutByComment(p)         // comment_cut.go
		s, err := expand(v.String(), lookup, func(name string) {
			t.warnUnsetVar(p, name) // env_unset.go
		})
		if err != nil {
			t.errAt(p, "%v", err)
			return
		}
		v.SetString(s)
	}
}

// yamlName is the YAML key of a struct field.
func yamlName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}
