package configs

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxAliasValues is how many values the aliases of one file may copy in
// all (each *name, including those of a merge key <<, copies everything
// its anchor &name holds, aliases inside it included). A config that
// shares a few mappings uses a few hundred; a file of aliases of aliases
// multiplies them (nine aliases of nine aliases of ... is a "billion
// laughs"), and the YAML decoder would spend gigabytes on a file of a few
// lines. The file is refused before it is decoded.
const MaxAliasValues = 100_000

// ReadYAML reads data, the YAML file name (for error positions), as the
// config loader does before it decodes a config: a leading BOM is dropped;
// the text must be UTF-8; it must be one YAML document (a %YAML directive
// before it is fine); tags other than the standard !!str, !!int, !!float,
// !!bool, !!null, !!seq and !!map are refused (!include and the like:
// Baton reads one file); aliases may copy at most MaxAliasValues values;
// merge keys (<<) are resolved, the keys written beside them winning; and a
// tab inside a value is kept (the parser would drop it, or fail on it
// inside double quotes). It returns the document's body, nil for an empty
// file, or Errors. Holiday calendars are read with it (then DecodeYAML).
func ReadYAML(name string, data []byte) (ast.Node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkUTF8(name, data); err != nil {
		return nil, err
	}
	t := &tree{file: name, src: data}
	body := t.read()
	if len(t.errs) > 0 {
		t.errs.sort()
		return nil, t.errs
	}
	return body, nil
}

// DecodeYAML decodes body (from ReadYAML) strictly into v, a pointer, as
// the config loader does: a value a text field takes keeps the text it was
// written as when YAML could also read it as a number (0101234, 1.10), and
// a whole-number field refuses a fraction (2.5) instead of cutting it. It
// returns Errors for those, else the YAML decoder's error as is.
func DecodeYAML(name string, body ast.Node, v any) error {
	t := &tree{file: name, body: body}
	t.body = t.typed(body, reflect.TypeOf(v))
	if len(t.errs) > 0 {
		t.errs = t.errs.unique()
		t.errs.sort()
		return t.errs
	}
	return decodeNode(t.body, v)
}

// read parses t.src and returns the body of its one document, with the
// checks and fixes of ReadYAML; problems are recorded on t.errs.
func (t *tree) read() ast.Node {
	src := t.src
	var tabs []int
	if bytes.IndexByte(src, '\t') >= 0 {
		tabs = quotedTabs(src)
	}
	marked := false
	if len(tabs) > 0 {
		if bytes.ContainsRune(src, tabMark) {
			t.errs = append(t.errs, t.quotedTabError(src, tabs[0]))
			return nil
		}
		src, marked = markQuotedTabs(src, tabs), true
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		t.errs = append(t.errs, t.decodeError(err))
		return nil
	}
	docs := f.Docs
	for len(docs) > 1 { // "%YAML 1.2" (or %TAG) then "---": one document
		if _, ok := docs[0].Body.(*ast.DirectiveNode); !ok {
			break
		}
		docs = docs[1:]
	}
	if len(docs) == 0 || docs[0].Body == nil {
		return nil
	}
	if _, ok := docs[0].Body.(*ast.DirectiveNode); ok {
		return nil // a directive and nothing else
	}
	if len(docs) > 1 {
		l, c := nodePos(docs[1].Body)
		if st := docs[1].Start; st != nil && st.Position != nil {
			l, c = st.Position.Line, st.Position.Column
		}
		t.errs = append(t.errs, Error{File: t.file, Line: l, Col: c, Msg: "only one YAML document is allowed (remove the second ---)"})
		return nil
	}
	r := &reader{t: t, marked: marked, anchors: map[string]anchored{}}
	body, _ := r.walk(docs[0].Body)
	if len(t.errs) > 0 {
		return nil
	}
	return body
}

// standardTags are the tags a file may use: they only say what YAML reads
// anyway.
var standardTags = []string{"!!str", "!!int", "!!float", "!!bool", "!!null", "!!seq", "!!map"}

// anchored is an anchor (&name) met so far: the node it names and how many
// values an alias of it copies.
type anchored struct {
	node ast.Node
	size int
}

// reader walks a parsed document once, in file order, for read.
type reader struct {
	t       *tree
	marked  bool // the file's quoted tabs are tabMark (quotedTabs)
	anchors map[string]anchored
	copied  int // values copied by the aliases so far
}

// failed reports whether the walk has found a problem: it stops there.
func (r *reader) failed() bool { return len(r.t.errs) > 0 }

// walk checks n and what it holds, resolves its merge keys, and returns
// the node to put in n's place and how many values n stands for (those
// its aliases copy included), counting the values aliases copy against
// MaxAliasValues. Anchor sizes are remembered, so a file of aliases of
// aliases is measured in one pass over what is written.
func (r *reader) walk(n ast.Node) (ast.Node, int) {
	if n == nil || r.failed() {
		return n, 0
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		val, size := r.walk(v.Value)
		v.Value = val
		if name := tokenValue(v.Name); name != "" {
			r.anchors[name] = anchored{node: val, size: size}
		}
		return v, size
	case *ast.AliasNode:
		name := tokenValue(v.Value)
		a, ok := r.anchors[name]
		if !ok {
			return v, 1 // the decoder says it names no anchor, at its place
		}
		r.copied += a.size
		if r.copied > MaxAliasValues {
			r.errAt(v, fmt.Sprintf("the aliases of this file copy more than %d values (this *%s copies %d): each alias (*name, also in <<) repeats all its anchor (&name) holds, aliases included; share less, or write the values out", MaxAliasValues, name, a.size))
		}
		return v, a.size
	case *ast.TagNode:
		if tag := tagOf(v); !slices.Contains(standardTags, tag) {
			if before, _, ok := strings.Cut(tag, "\t"); ok && slices.Contains(standardTags, before) {
				r.errAt(v, fmt.Sprintf("a tab after the tag %s: put a space after a tag", before))
				return v, 1
			}
			r.errAt(v, fmt.Sprintf("the tag %s is not supported: Baton reads one file as written, without tags such as !include or !env; remove the tag (write ${NAME} for a value from the environment), or quote a value that starts with ! (\"!공지\")", tag))
			return v, 1
		}
		val, size := r.walk(v.Value)
		v.Value = val
		return v, size + 1
	case *ast.MappingNode:
		size := 1
		for _, mv := range v.Values {
			size += r.pair(mv)
		}
		r.merge(v)
		return v, size
	case *ast.MappingValueNode:
		size := r.pair(v)
		if v.Key.IsMergeKey() && !r.failed() {
			// A lone "<<: *a" the parser left as a bare pair: resolve it
			// as a mapping of one pair.
			m := ast.Mapping(v.GetToken(), false, v)
			r.merge(m)
			return m, size
		}
		return v, size
	case *ast.MappingKeyNode:
		val, size := r.walk(v.Value)
		v.Value = val
		return v, size
	case *ast.SequenceNode:
		size := 1
		for i, e := range v.Values {
			val, s := r.walk(e)
			v.Values[i] = val
			size += s
		}
		return v, size
	case *ast.StringNode:
		r.t.fixTabs(v, r.marked)
	}
	return n, 1
}

// pair walks the key and the value of mv and returns its size.
func (r *reader) pair(mv *ast.MappingValueNode) int {
	k, ks := r.walk(mv.Key)
	if mk, ok := k.(ast.MapKeyNode); ok {
		mv.Key = mk
	}
	val, vs := r.walk(mv.Value)
	mv.Value = val
	return 1 + ks + vs
}

// tokenValue is the text of n's token, "" for none.
func tokenValue(n ast.Node) string {
	if n == nil {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// tagOf is the tag of n as written (!!str, !include).
func tagOf(n *ast.TagNode) string {
	if n.Start == nil {
		return ""
	}
	return n.Start.Value
}

// errAt records msg at n's token.
func (r *reader) errAt(n ast.Node, msg string) {
	l, c := 1, 1
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		l, c = tk.Position.Line, tk.Position.Column
	}
	r.t.errs = append(r.t.errs, Error{File: r.t.file, Line: l, Col: c, Msg: msg})
}

// merge resolves the merge keys of m (its children already walked): each
// "<<" pair is replaced, in place, by the pairs of the mappings it names
// (an alias, a list of them, or a mapping written there) whose keys m does
// not write itself and an earlier merged mapping did not give. The decoder
// would refuse a key written beside "<<" as a duplicate, and it resolves
// "<<" anew at each use, which a file of nested merges turns into
// exponential work.
func (r *reader) merge(m *ast.MappingNode) {
	if !slices.ContainsFunc(m.Values, func(mv *ast.MappingValueNode) bool { return mv.Key.IsMergeKey() }) {
		return
	}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		if !mv.Key.IsMergeKey() {
			seen[keyString(mv.Key)] = true
		}
	}
	out := make([]*ast.MappingValueNode, 0, len(m.Values))
	for _, mv := range m.Values {
		if !mv.Key.IsMergeKey() {
			out = append(out, mv)
			continue
		}
		for _, src := range r.mergeSources(mv.Value) {
			for _, smv := range mappingValues(src) {
				if k := keyString(smv.Key); !seen[k] {
					seen[k] = true
					out = append(out, smv)
				}
			}
		}
		if r.failed() {
			return
		}
	}
	m.Values = out
}

// mergeSources are the mappings the value of a merge key names.
func (r *reader) mergeSources(v ast.Node) []ast.Node {
	one := func(n ast.Node) ast.Node {
		if al, ok := n.(*ast.AliasNode); ok {
			name := tokenValue(al.Value)
			a, ok := r.anchors[name]
			if !ok {
				names := make([]string, 0, len(r.anchors))
				for k := range r.anchors {
					names = append(names, k)
				}
				at := ast.Node(al)
				if al.Value != nil {
					at = al.Value // the name, where the parser puts a plain alias's error
				}
				r.errAt(at, fmt.Sprintf("YAML syntax error: could not find alias %q; a merge key (<<: *name) needs an anchor &name above it%s", name, didYouMean(name, names)))
				return nil
			}
			n = a.node
		}
		switch m := unwrap(n).(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			return m
		}
		r.errAt(n, "a merge key (<<) takes an alias of a mapping (<<: *name) or a list of them (<<: [*a, *b])")
		return nil
	}
	if seq, ok := unwrap(v).(*ast.SequenceNode); ok {
		var out []ast.Node
		for _, e := range seq.Values {
			m := one(e)
			if m == nil {
				return nil
			}
			out = append(out, m)
		}
		return out
	}
	if m := one(v); m != nil {
		return []ast.Node{m}
	}
	return nil
}

// unique drops the repeats of an error: a mapping merged in several places
// is checked in each.
func (es Errors) unique() Errors {
	seen := map[Error]bool{}
	out := es[:0]
	for _, e := range es {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// decodeNode decodes body strictly into v, a pointer. The decoder has been
// seen to panic on odd tagged input; that becomes an error instead of a
// crash.
func decodeNode(body ast.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			tk := body.GetToken()
			err = &nodeError{tok: tk, msg: fmt.Sprintf("the YAML decoder failed on this file (%v); check tags (!) and indentation", r)}
			if tk == nil || tk.Position == nil {
				err = fmt.Errorf("the YAML decoder failed on this file (%v); check tags (!) and indentation", r)
			}
		}
	}()
	return yaml.NodeToValue(body, v, yaml.Strict())
}
