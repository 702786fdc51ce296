package configs

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// loadSchema reads configs/baton.schema.json.
func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("baton.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("baton.schema.json is not JSON: %v", err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema: got %v, want draft 2020-12", s["$schema"])
	}
	return s
}

// resolve follows a local $ref ("#/$defs/x") and returns the schema it names.
func resolve(t *testing.T, root, s map[string]any) map[string]any {
	t.Helper()
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		if !ok {
			t.Fatalf("unsupported $ref %q", ref)
		}
		def, ok := root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok {
			t.Fatalf("$ref %q: no such definition", ref)
		}
		s = def
	}
}

// offDurationType is OffDuration, a string ("off" or a duration) in YAML.
var offDurationType = reflect.TypeOf(OffDuration(0))

// TestSchemaMatchesGoTypes walks Config by its yaml tags beside the schema:
// every key the decoder accepts is in the schema with the right basic type,
// and the schema has no key the decoder would reject.
func TestSchemaMatchesGoTypes(t *testing.T) {
	root := loadSchema(t)
	var walk func(at string, ty reflect.Type, s map[string]any)
	walk = func(at string, ty reflect.Type, s map[string]any) {
		s = resolve(t, root, s)
		for ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		want := ""
		switch {
		case ty == durationType, ty == offDurationType:
			want = "string"
			if _, ok := s["pattern"]; !ok {
				t.Errorf("%s: a duration without a pattern in the schema", at)
			}
		case ty.Kind() == reflect.String:
			want = "string"
		case ty.Kind() == reflect.Bool:
			want = "boolean"
		case ty.Kind() == reflect.Int:
			want = "integer"
		case ty.Kind() == reflect.Slice:
			want = "array"
		case ty.Kind() == reflect.Map, ty.Kind() == reflect.Struct:
			want = "object"
		default:
			t.Errorf("%s: Go type %v has no schema mapping in this test", at, ty)
			return
		}
		if got := s["type"]; got != want {
			t.Errorf("%s: schema type %v, want %s (Go %v)", at, got, want, ty)
			return
		}
		switch {
		case ty == durationType, ty == offDurationType:
		case ty.Kind() == reflect.Slice:
			items, ok := s["items"].(map[string]any)
			if !ok {
				t.Errorf("%s: array without items", at)
				return
			}
			walk(at+"[]", ty.Elem(), items)
		case ty.Kind() == reflect.Map:
			if s["additionalProperties"] == false {
				// A map whose keys the loader knows (event_api.events):
				// the schema lists them, each with the map's value type.
				props, _ := s["properties"].(map[string]any)
				if len(props) == 0 {
					t.Errorf("%s: map with additionalProperties false and no properties", at)
				}
				for k, ps := range props {
					walk(at+"."+k, ty.Elem(), ps.(map[string]any))
				}
				return
			}
			val, ok := s["additionalProperties"].(map[string]any)
			if !ok {
				t.Errorf("%s: map without an additionalProperties schema", at)
				return
			}
			walk(at+".*", ty.Elem(), val)
		case ty.Kind() == reflect.Struct:
			if s["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties must be false (the decoder is strict)", at)
			}
			props, _ := s["properties"].(map[string]any)
			goKeys := map[string]bool{}
			for i := 0; i < ty.NumField(); i++ {
				f := ty.Field(i)
				name := yamlName(f)
				if !f.IsExported() || name == "-" {
					continue
				}
				goKeys[name] = true
				ps, ok := props[name].(map[string]any)
				if !ok {
					t.Errorf("%s.%s: Go field %s.%s is missing from baton.schema.json", at, name, ty.Name(), f.Name)
					continue
				}
				walk(at+"."+name, f.Type, ps)
			}
			for name := range props {
				if !goKeys[name] {
					t.Errorf("%s.%s: in baton.schema.json but %s has no such yaml field", at, name, ty.Name())
				}
			}
		}
	}
	walk("config", reflect.TypeOf(Config{}), root)
}

// schemaErrors validates doc (decoded YAML) against s and returns every
// violation. It covers the draft 2020-12 keywords baton.schema.json uses:
// $ref (local, without sibling assertions: TestSchemaRefsHaveNoSiblingAssertions),
// type, enum, const, not, allOf, anyOf, oneOf, if/then/else, pattern,
// min/maxLength, min/maxItems, items, required, dependentRequired,
// min/maxProperties, properties, patternProperties, additionalProperties,
// propertyNames and numeric bounds.
func schemaErrors(t *testing.T, root, s map[string]any, at string, doc any) []string {
	t.Helper()
	s = resolve(t, root, s)
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	valid := func(sub any) bool {
		m, ok := sub.(map[string]any)
		return !ok || len(schemaErrors(t, root, m, at, doc)) == 0
	}
	if not, ok := s["not"]; ok && valid(not) {
		fail("matches a forbidden schema")
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, schemaErrors(t, root, sub.(map[string]any), at, doc)...)
		}
	}
	if anyOf, ok := s["anyOf"].([]any); ok && !slices.ContainsFunc(anyOf, valid) {
		var why []string
		for _, sub := range anyOf {
			why = append(why, schemaErrors(t, root, sub.(map[string]any), at, doc)...)
		}
		fail("matches none of anyOf (%s)", strings.Join(why, "; "))
	}
	if oneOf, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, sub := range oneOf {
			if valid(sub) {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of oneOf, want 1", n)
		}
	}
	if cond, ok := s["if"]; ok {
		if valid(cond) {
			if th, ok := s["then"].(map[string]any); ok {
				errs = append(errs, schemaErrors(t, root, th, at, doc)...)
			}
		} else if el, ok := s["else"].(map[string]any); ok {
			errs = append(errs, schemaErrors(t, root, el, at, doc)...)
		}
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(doc) {
		fail("%v is not %v", doc, c)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(doc) }) {
		fail("%v is not one of %v", doc, enum)
	}
	num := func(k string) (float64, bool) { f, ok := s[k].(float64); return f, ok }
	typ := s["type"]
	if ts, ok := typ.([]any); ok {
		typ = nil
		for _, x := range ts {
			if schemaHasType(x.(string), doc) {
				typ = x
			}
		}
		if typ == nil {
			fail("want one of %v, got %T", ts, doc)
			return errs
		}
	}
	if typ != nil && !schemaHasType(typ.(string), doc) {
		fail("want %v, got %T", typ, doc)
		return errs
	}
	switch v := doc.(type) {
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			fail("%q does not match %s", v, p)
		}
		if n, ok := num("maxLength"); ok && utf8.RuneCountInString(v) > int(n) {
			fail("%q is longer than %v", v, n)
		}
		if n, ok := num("minLength"); ok && utf8.RuneCountInString(v) < int(n) {
			fail("%q is shorter than %v", v, n)
		}
	case []any:
		if n, ok := num("minItems"); ok && len(v) < int(n) {
			fail("fewer than %v items", n)
		}
		if n, ok := num("maxItems"); ok && len(v) > int(n) {
			fail("more than %v items", n)
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range v {
				errs = append(errs, schemaErrors(t, root, items, fmt.Sprintf("%s[%d]", at, i), e)...)
			}
		}
	case map[string]any:
		required, _ := s["required"].([]any)
		for _, r := range required {
			if _, ok := v[r.(string)]; !ok {
				fail("missing required key %q", r)
			}
		}
		if dr, ok := s["dependentRequired"].(map[string]any); ok {
			for k, reqs := range dr {
				if _, ok := v[k]; !ok {
					continue
				}
				for _, r := range reqs.([]any) {
					if _, ok := v[r.(string)]; !ok {
						fail("%q needs %q", k, r)
					}
				}
			}
		}
		if n, ok := num("minProperties"); ok && len(v) < int(n) {
			fail("fewer than %v keys", n)
		}
		if n, ok := num("maxProperties"); ok && len(v) > int(n) {
			fail("more than %v keys", n)
		}
		props, _ := s["properties"].(map[string]any)
		pprops, _ := s["patternProperties"].(map[string]any)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if pn, ok := s["propertyNames"].(map[string]any); ok {
				errs = append(errs, schemaErrors(t, root, pn, at+" key", k)...)
			}
			matched := false
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, schemaErrors(t, root, ps, at+"."+k, v[k])...)
				matched = true
			}
			for p, ps := range pprops {
				if regexp.MustCompile(p).MatchString(k) {
					errs = append(errs, schemaErrors(t, root, ps.(map[string]any), at+"."+k, v[k])...)
					matched = true
				}
			}
			if matched {
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("unknown key %q", k)
				}
			case map[string]any:
				errs = append(errs, schemaErrors(t, root, ap, at+"."+k, v[k])...)
			}
		}
	default:
		f, isNum := schemaNumber(doc)
		if !isNum {
			break
		}
		if n, ok := num("minimum"); ok && f < n {
			fail("%v is below %v", doc, n)
		}
		if n, ok := num("maximum"); ok && f > n {
			fail("%v is above %v", doc, n)
		}
		if n, ok := num("exclusiveMinimum"); ok && f <= n {
			fail("%v is not above %v", doc, n)
		}
		if n, ok := num("exclusiveMaximum"); ok && f >= n {
			fail("%v is not below %v", doc, n)
		}
	}
	return errs
}

func schemaNumber(doc any) (float64, bool) {
	v := reflect.ValueOf(doc)
	switch {
	case !v.IsValid():
		return 0, false
	case v.CanInt():
		return float64(v.Int()), true
	case v.CanUint():
		return float64(v.Uint()), true
	case v.CanFloat():
		return v.Float(), true
	}
	return 0, false
}

func schemaHasType(typ string, doc any) bool {
	switch typ {
	case "string":
		_, ok := doc.(string)
		return ok
	case "boolean":
		_, ok := doc.(bool)
		return ok
	case "integer":
		f, ok := schemaNumber(doc)
		return ok && f == math.Trunc(f)
	case "number":
		_, ok := schemaNumber(doc)
		return ok
	case "array":
		_, ok := doc.([]any)
		return ok
	case "object":
		_, ok := doc.(map[string]any)
		return ok
	case "null":
		return doc == nil
	}
	return false
}

func decodeYAMLFile(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

func TestExampleValidatesAgainstSchema(t *testing.T) {
	root := loadSchema(t)
	for _, f := range []string{"example.yaml", "testdata/valid/minimal.yaml"} {
		if errs := schemaErrors(t, root, root, "config", decodeYAMLFile(t, f)); len(errs) > 0 {
			t.Errorf("%s does not validate against baton.schema.json:\n%s", f, strings.Join(errs, "\n"))
		}
	}
	b, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# yaml-language-server: $schema=baton.schema.json\n") {
		t.Errorf("example.yaml must start with the yaml-language-server $schema line, so editors find the schema")
	}
}

func TestSchemaRejectsMistakes(t *testing.T) {
	root := loadSchema(t)
	for _, c := range []struct{ name, src, want string }{
		{"unknown key", "welcom: {}", `unknown key "welcom"`},
		{"wrong type", "escalation: {faq_misses: two}", "config.escalation.faq_misses: want integer"},
		{"bad duration", "session_idle: 30 minutes", "config.session_idle: \"30 minutes\" does not match"},
		{"label too long", "menus: {main: {text: a, options: [{id: a, label: 배송 조회 및 배송지 변경 안내, home: true}]}}", "is longer than 14"},
		{"state id", "menus: {waiting: {text: a, options: [{id: a, label: b, home: true}]}}", "config.menus key: matches a forbidden schema"},
		{"bad consultation", "kakao: {consultation: phone}", "is not one of"},
		{"two block actions", "blocks: {map: {x: {goto: a, faq: b}}}", "more than 1 keys"},
		{"bad queue name", "handoff: {queues: {General: {target: notify}}}", `"General" does not match`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var doc any
			if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
				t.Fatal(err)
			}
			errs := schemaErrors(t, root, root, "config", doc)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, c.want) }) {
				t.Errorf("got %q, want an error containing %q", errs, c.want)
			}
		})
	}
}
