package testutil

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// SlowPrefix names the tests that the README's second test command runs
// (`go test -p 1 -run '^TestSlow' ./...`, after `go test -race -short
// ./...`): the tests `-race -short` skips or shrinks.
const SlowPrefix = "TestSlow"

// TestEverySlowTestIsNamedSo keeps the two test passes covering every test:
// a test that reads testing.Short() (it skips or shrinks under -short), or
// one in a file built only without -race, runs in full only in the second
// pass, which selects tests by SlowPrefix. Any such test under another
// name would never run in full in CI.
func TestEverySlowTestIsNamedSo(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		checked++
		noRace := builtOnlyWithoutRace(f)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || strings.HasPrefix(fn.Name.Name, SlowPrefix) {
				continue
			}
			name := fn.Name.Name
			isTest := strings.HasPrefix(name, "Test") && name != "TestMain"
			switch {
			case readsShort(fn.Body):
				t.Errorf("%s: %s reads testing.Short(): name it %s… (or move the check into such a test), or the second test pass never runs it in full",
					fset.Position(fn.Pos()), name, SlowPrefix)
			case isTest && noRace:
				t.Errorf("%s: %s is built only without -race: name it %s…, or no test pass runs it",
					fset.Position(fn.Pos()), name, SlowPrefix)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked %d test files under %s, want the whole module (more than 50)", checked, root)
	}
}

// builtOnlyWithoutRace reports whether f's //go:build line keeps it out of
// a -race build but not out of a plain one on this platform.
func builtOnlyWithoutRace(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return false
			}
			with := func(race bool) bool {
				return expr.Eval(func(tag string) bool {
					switch {
					case tag == "race":
						return race
					case tag == runtime.GOOS, tag == runtime.GOARCH, tag == "cgo", tag == "unix", strings.HasPrefix(tag, "go1."):
						return true
					}
					return false
				})
			}
			return with(false) && !with(true)
		}
	}
	return false
}

// readsShort reports whether body calls testing.Short.
func readsShort(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Short" {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "testing" {
				found = true
			}
		}
		return !found
	})
	return found
}
