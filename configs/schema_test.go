package configs

import (
	"encoding/json"
	"fmt"
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

// schemaErrors validates doc (decoded YAML) against s, covering the keywords
// baton.schema.json uses, and returns every violation.
func schemaErrors(t *testing.T, root, s map[string]any, at string, doc any) []string {
	t.Helper()
	s = resolve(t, root, s)
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if not, ok := s["not"].(map[string]any); ok && len(schemaErrors(t, root, not, at, doc)) == 0 {
		fail("matches a forbidden schema")
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(doc) }) {
		fail("%v is not one of %v", doc, enum)
	}
	num := func(k string) (float64, bool) { f, ok := s[k].(float64); return f, ok }
	switch s["type"] {
	case "string":
		v, ok := doc.(string)
		if !ok {
			fail("want a string, got %T", doc)
			break
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			fail("%q does not match %s", v, p)
		}
		if n, ok := num("maxLength"); ok && utf8.RuneCountInString(v) > int(n) {
			fail("%q is longer than %v", v, n)
		}
		if n, ok := num("minLength"); ok && utf8.RuneCountInString(v) < int(n) {
			fail("%q is shorter than %v", v, n)
		}
	case "boolean":
		if _, ok := doc.(bool); !ok {
			fail("want a boolean, got %T", doc)
		}
	case "integer":
		v := reflect.ValueOf(doc)
		if !v.CanInt() && !v.CanUint() {
			fail("want an integer, got %T", doc)
		} else if n, ok := num("minimum"); ok && v.CanInt() && float64(v.Int()) < n {
			fail("%v is below %v", doc, n)
		}
	case "array":
		arr, ok := doc.([]any)
		if !ok {
			fail("want a list, got %T", doc)
			break
		}
		if n, ok := num("minItems"); ok && len(arr) < int(n) {
			fail("fewer than %v items", n)
		}
		if n, ok := num("maxItems"); ok && len(arr) > int(n) {
			fail("more than %v items", n)
		}
		for i, v := range arr {
			errs = append(errs, schemaErrors(t, root, s["items"].(map[string]any), fmt.Sprintf("%s[%d]", at, i), v)...)
		}
	case "object":
		m, ok := doc.(map[string]any)
		if !ok {
			fail("want a mapping, got %T", doc)
			break
		}
		required, _ := s["required"].([]any)
		for _, r := range required {
			if _, ok := m[r.(string)]; !ok {
				fail("missing required key %q", r)
			}
		}
		if n, ok := num("minProperties"); ok && len(m) < int(n) {
			fail("fewer than %v keys", n)
		}
		if n, ok := num("maxProperties"); ok && len(m) > int(n) {
			fail("more than %v keys", n)
		}
		props, _ := s["properties"].(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if pn, ok := s["propertyNames"].(map[string]any); ok {
				errs = append(errs, schemaErrors(t, root, pn, at+" key", k)...)
			}
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, schemaErrors(t, root, ps, at+"."+k, m[k])...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("unknown key %q", k)
				}
			case map[string]any:
				errs = append(errs, schemaErrors(t, root, ap, at+"."+k, m[k])...)
			}
		}
	}
	return errs
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
		{"wrong type", "escalation: {faq_misses: two}", "config.escalation.faq_misses: want an integer"},
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
