//go:build !race

package faq_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/faq"
)

// TestSlowExampleFAQMatchesConfig: the shop figures of this package's tests are
// those of `baton faq eval --config configs/example.yaml` only if
// loadExampleFAQ gives the entries the config gives the engine, menu-option
// labels included.
func TestSlowExampleFAQMatchesConfig(t *testing.T) {
	cfg, err := configs.Load(filepath.Join("..", "configs", "example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := cfg.FAQEntries()
	got := faq.LoadExampleFAQ(t)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loadExampleFAQ differs from configs.Config.FAQEntries:\n got %+v\nwant %+v", got, want)
	}
}
