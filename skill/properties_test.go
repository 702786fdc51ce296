package skill

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// refMap, refString and refBool are the accessors' meaning written the
// plain way: decode the whole object into a map, as Decode did before
// Properties. refMap returns nil when obj is not a JSON object.
func refMap(t testing.TB, obj string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		return nil
	}
	return m
}

func refString(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func refBool(m map[string]any, key string) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

func propsOf(t testing.TB, obj string) Properties {
	t.Helper()
	var p Properties
	if err := json.Unmarshal([]byte(obj), &p); err != nil {
		t.Fatalf("unmarshal %s: %v", obj, err)
	}
	return p
}

func TestPropertiesAccessors(t *testing.T) {
	tests := []struct {
		name, obj, key string
		str            string
		bool, has      bool
	}{
		{"plain", `{"a":"x","isFriend":true}`, "a", "x", false, true},
		{"bool", `{"a":"x","isFriend":true}`, "isFriend", "", true, true},
		{"bool string", `{"isFriend":"true"}`, "isFriend", "true", true, true},
		{"bool string escaped", `{"isFriend":"tru\u0065"}`, "isFriend", "true", true, true},
		{"bool string not true", `{"isFriend":"True"}`, "isFriend", "True", false, true},
		{"absent", `{"a":"x"}`, "b", "", false, false},
		{"null value", `{"a":null}`, "a", "", false, true},
		{"number", `{"a":12.5e3}`, "a", "", false, true},
		{"escaped value", `{"a":"\"q\" \u0041\\"}`, "a", `"q" A\`, false, true},
		{"escaped name", `{"\u0061":"x"}`, "a", "x", false, true},
		{"last of two", `{"a":"1","a":"2"}`, "a", "2", false, true},
		{"nested first", `{"n":{"a":"inner","b":[1,"}",{"c":"]"}]},"a":"outer"}`, "a", "outer", false, true},
		{"nested only", `{"n":{"a":"inner"}}`, "a", "", false, false},
		{"spaces", " {\n\t\"a\" :\r \"x\" , \"b\" : true }", "b", "", true, true},
		{"hangul", `{"이름":"홍길동"}`, "이름", "홍길동", false, true},
		{"empty object", `{}`, "a", "", false, false},
		{"null", `null`, "a", "", false, false},
		{"not an object", `"a"`, "a", "", false, false},
		{"array", `[{"a":"x"}]`, "a", "", false, false},
		{"prefix name", `{"ab":"x"}`, "a", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := propsOf(t, tt.obj)
			if got := p.String(tt.key); got != tt.str {
				t.Errorf("String(%q) = %q, want %q", tt.key, got, tt.str)
			}
			if got := p.Bool(tt.key); got != tt.bool {
				t.Errorf("Bool(%q) = %v, want %v", tt.key, got, tt.bool)
			}
			if got := p.Has(tt.key); got != tt.has {
				t.Errorf("Has(%q) = %v, want %v", tt.key, got, tt.has)
			}
		})
	}
}

// TestPropertiesMatchEncodingJSON checks the accessors against a full
// encoding/json decode over generated objects: nested values, escapes,
// repeated and look-alike names, every JSON type.
func TestPropertiesMatchEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"a", "isFriend", "plusfriendUserKey", "ab", "이름", `q"`, `b\`}
	for i := range 3000 {
		obj := genObject(rng, keys, 0)
		m := refMap(t, obj)
		if m == nil {
			t.Fatalf("generator produced invalid JSON: %s", obj)
		}
		p := propsOf(t, obj)
		for _, k := range keys {
			_, has := m[k]
			if p.String(k) != refString(m, k) || p.Bool(k) != refBool(m, k) || p.Has(k) != has {
				t.Fatalf("object %d %s, key %q: String %q Bool %v Has %v, want %q %v %v",
					i, obj, k, p.String(k), p.Bool(k), p.Has(k), refString(m, k), refBool(m, k), has)
			}
		}
	}
}

func genObject(rng *rand.Rand, keys []string, depth int) string {
	var b strings.Builder
	b.WriteString(pick(rng, "{", " { ", "{\n"))
	for i := range rng.IntN(5) {
		if i > 0 {
			b.WriteString(pick(rng, ",", " , ", ",\n\t"))
		}
		k := keys[rng.IntN(len(keys))]
		kb, _ := json.Marshal(k)
		if rng.IntN(4) == 0 && k == "a" {
			kb = []byte(`"\u0061"`)
		}
		b.Write(kb)
		b.WriteString(pick(rng, ":", " : ", ":\r\n"))
		b.WriteString(genValue(rng, keys, depth))
	}
	b.WriteString(pick(rng, "}", " }", "\n}"))
	return b.String()
}

func genValue(rng *rand.Rand, keys []string, depth int) string {
	n := 9
	if depth > 2 {
		n = 7 // no more nesting
	}
	switch rng.IntN(n) {
	case 0:
		return "true"
	case 1:
		return "false"
	case 2:
		return "null"
	case 3:
		return pick(rng, "0", "-1.5e3", "42")
	case 4:
		return pick(rng, `"true"`, `"false"`, `"x"`, `""`)
	case 5:
		return pick(rng, `"a \"quoted\" }]"`, `"\\"`, `"\u0041\n"`, `"홍길동 😀"`)
	case 6:
		return pick(rng, `"{"`, `"["`, `","`)
	case 7:
		return genObject(rng, keys, depth+1)
	default:
		var b strings.Builder
		b.WriteString("[")
		for i := range rng.IntN(3) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(genValue(rng, keys, depth+1))
		}
		b.WriteString("]")
		return b.String()
	}
}

func pick(rng *rand.Rand, s ...string) string { return s[rng.IntN(len(s))] }

// FuzzProperties: on any object encoding/json accepts, the accessors agree
// with a full decode; on anything at all they do not panic.
func FuzzProperties(f *testing.F) {
	f.Add(`{"isFriend":true,"plusfriendUserKey":"P"}`, "isFriend")
	f.Add(`{"a":{"b":["}",1]},"a":"\u0041"}`, "a")
	f.Add(`{"\u0061":null}`, "a")
	f.Add(`{"isFriend":"tru\u0065"}`, "isFriend")
	f.Fuzz(func(t *testing.T, obj, key string) {
		p := Properties{raw: []byte(obj)} // not only what Decode keeps
		s, b, h := p.String(key), p.Bool(key), p.Has(key)
		m := refMap(t, obj)
		if m == nil || !json.Valid([]byte(obj)) || !utf8.ValidString(obj) {
			// Decode refuses invalid UTF-8, which encoding/json would
			// turn into U+FFFD.
			return
		}
		_, has := m[key]
		if s != refString(m, key) || b != refBool(m, key) || h != has {
			t.Fatalf("%s key %q: String %q Bool %v Has %v, want %q %v %v",
				obj, key, s, b, h, refString(m, key), refBool(m, key), has)
		}
	})
}

func BenchmarkIdentity(b *testing.B) {
	body := readFixture(b, "knowledge.json")
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		_, _, _ = p.IsFriend(), p.PlusfriendUserKey(), p.AppUserID()
	}
}
