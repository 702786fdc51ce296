package configs

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"unicode/utf8"
)

// expand replaces ${VAR} and ${VAR:-default} in s using lookup; "$$" is a
// literal dollar and any other "$" is kept as is. An unset (or, for ":-",
// empty) variable without a default becomes "", and unset (when not nil) is
// called with its name. A default is itself expanded, so it may name another
// variable: ${A:-${B}} is A, else B (else ""); the "}" that closes ${ is the
// one that matches it. It returns an error for a "${" without a closing
// brace or with an invalid variable name, also in a default not used.
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
			end := closingBrace(s, i+2)
			if end < 0 {
				return "", &expandError{at: i, msg: "unterminated ${: close it with } or write $$ for a literal dollar"}
			}
			expr := s[i+2 : end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if !validEnvName(name) {
				return "", &expandError{at: i, msg: fmt.Sprintf("invalid variable name %q in ${%s}: use letters, digits and _ (write $$ for a literal dollar)", name, expr)}
			}
			v, ok := lookup(name)
			if hasDef {
				use := !ok || v == ""
				var warn func(string)
				if use {
					warn = unset
				}
				d, err := expand(def, lookup, warn)
				if err != nil {
					if ee, isEE := err.(*expandError); isEE {
						ee.at += i + 2 + len(name) + 2 // "${" name ":-"
					}
					return "", err
				}
				if use {
					v = d
				}
			}
			if !ok && !hasDef && unset != nil {
				unset(name)
			}
			b.WriteString(v)
			i = end
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// closingBrace is the index of the "}" that closes the "${" whose text
// starts at from in s, skipping "$$" and nested "${...}"; -1 when none does.
func closingBrace(s string, from int) int {
	depth := 0
	for k := from; k < len(s); k++ {
		switch {
		case s[k] == '$' && k+1 < len(s) && s[k+1] == '$':
			k++
		case s[k] == '$' && k+1 < len(s) && s[k+1] == '{':
			depth++
			k++
		case s[k] == '}':
			if depth == 0 {
				return k
			}
			depth--
		}
	}
	return -1
}

// expandError is an error of expand at byte at of the string: the "${" it
// is about.
type expandError struct {
	at  int
	msg string
}

func (e *expandError) Error() string { return e.msg }

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
			if ee, ok := err.(*expandError); ok {
				if l, c, ok := t.dollarPos(p, v.String(), ee.at); ok {
					t.errs = append(t.errs, Error{File: t.file, Line: l, Col: c, Msg: ee.msg})
					return
				}
			}
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

// dollarPos is the file position of the "${" at byte at of s, the string
// value at p: the value's text in the file holds the same "${" in the same
// order, whatever its style (plain, quoted, or a block scalar whose lines
// start below its "|" or ">"), so it is the same one counted from the value's
// start. ok is false when the file does not show it (a value the decoder
// built otherwise).
func (t *tree) dollarPos(p path, s string, at int) (line, col int, ok bool) {
	n := strings.Count(s[:at], "${") + 1
	vl, vc := t.valuePos(p)
	if _, found := t.srcLine(vl); !found {
		return 0, 0, false
	}
	for l := vl; ; l++ {
		text, found := t.srcLine(l)
		if !found {
			return 0, 0, false
		}
		from := 0
		if l == vl {
			from = runeOffset(text, vc-1)
		}
		for {
			i := strings.Index(text[from:], "${")
			if i < 0 {
				break
			}
			from += i
			if n--; n == 0 {
				return l, utf8.RuneCountInString(text[:from]) + 1, true
			}
			from += 2
		}
	}
}

// runeOffset is the byte offset of rune col (0-based) of s, or len(s).
func runeOffset(s string, col int) int {
	for i := range s {
		if col == 0 {
			return i
		}
		col--
	}
	return len(s)
}
