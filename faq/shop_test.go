//go:build !race

package faq

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"
)

// loadExampleFAQ reads the faq section of configs/example.yaml (decoded
// here directly so this package's tests do not depend on configs) with
// the entries' Labels as configs.Config.FAQEntries gives them — the label
// of every menu option that opens an entry, menus in name order — so the
// shop figures here are those of `baton faq eval --config`.
func loadExampleFAQ(t testing.TB) []Entry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "configs", "example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FAQ []struct {
			ID         string   `yaml:"id"`
			Category   string   `yaml:"category"`
			Question   string   `yaml:"question"`
			Alternates []string `yaml:"alternates"`
			Answer     string   `yaml:"answer"`
		} `yaml:"faq"`
		Menus map[string]*struct {
			Options []struct {
				Label string `yaml:"label"`
				FAQ   string `yaml:"faq"`
			} `yaml:"options"`
		} `yaml:"menus"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decode example.yaml: %v", err)
	}
	var es []Entry
	byID := make(map[string]int, len(doc.FAQ))
	for _, f := range doc.FAQ {
		byID[f.ID] = len(es)
		es = append(es, Entry{ID: f.ID, Category: f.Category, Question: f.Question, Alternates: f.Alternates, Answer: f.Answer})
	}
	names := make([]string, 0, len(doc.Menus))
	for name := range doc.Menus {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		m := doc.Menus[name]
		if m == nil {
			continue
		}
		for _, o := range m.Options {
			if i, ok := byID[o.FAQ]; ok && !slices.Contains(es[i].Labels, o.Label) {
				es[i].Labels = append(es[i].Labels, o.Label)
			}
		}
	}
	if len(es) == 0 {
		t.Fatal("example.yaml has no faq entries")
	}
	return es
}

func TestSlowShopPrint(t *testing.T) {
	if os.Getenv("FAQ_EVAL_PRINT") == "" {
		t.Skip("set FAQ_EVAL_PRINT=1")
	}
	es := loadExampleFAQ(t)
	qs := loadQueries(t, filepath.Join("..", "testdata", "shop-faq", "queries.jsonl"))
	ix, err := New(es, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBaseline(es)
	for _, sp := range []string{"dev", "test", ""} {
		Evaluate("shop "+sp+" matcher", ix, qs, sp).Format(os.Stdout)
		Evaluate("shop "+sp+" baseline(t=0.5)", b, qs, sp).Format(os.Stdout)
	}
	for _, q := range qs {
		if q.Split != "dev" {
			continue
		}
		d := ix.Decide(q.Query, "")
		r := ix.Rank(q.Query, "", 2)
		want := "-"
		if q.InScope() {
			want = *q.ExpectedID
		}
		if (d.Kind == Answer && d.ID == want) || (d.Kind == NoMatch && want == "-") {
			continue
		}
		t.Logf("%s want %s got %v %s %.2f %v", q.Query, want, d.Kind, d.ID, d.Score, r)
	}
}
