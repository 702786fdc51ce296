package handoff

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
	"unicode"
)

// TestNoKoreanLiterals: the words agents read in notifications (Slack
// labels, ticket heads, test marks) come from the config's texts, whose
// Korean defaults live in configs/texts.go, so no string literal of this
// package's code holds Hangul.
func TestNoKoreanLiterals(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if ok && lit.Kind == token.STRING && strings.IndexFunc(lit.Value, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) >= 0 {
				t.Errorf("%s: got the Korean literal %s, want it in configs.Texts", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked %d files, want the package's sources", checked)
	}
}
