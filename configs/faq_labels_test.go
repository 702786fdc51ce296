package configs

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/baton-chat/baton/faq"
)

// TestFAQEntriesMenuLabels: a menu option's label that opens an FAQ entry is
// one of that entry's Labels, and typed exactly it answers that entry, even
// where another entry's text ranks higher (account-info's "기본 배송지
// 변경" for "배송지 변경").
func TestFAQEntriesMenuLabels(t *testing.T) {
	cfg, err := Load(filepath.Join(".", "example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	entries := cfg.FAQEntries()
	labels := func(id string) []string {
		i := slices.IndexFunc(entries, func(e faq.Entry) bool { return e.ID == id })
		if i < 0 {
			t.Fatalf("no entry %q", id)
		}
		return entries[i].Labels
	}
	if l := labels("return-period"); !slices.Equal(l, []string{"반품 기간"}) {
		t.Errorf("return-period labels %q, want [반품 기간]", l)
	}
	if l := labels("ship-address"); !slices.Equal(l, []string{"배송지 변경"}) {
		t.Errorf("ship-address labels %q, want [배송지 변경]", l)
	}
	ix, err := faq.New(entries, faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"배송지 변경": "ship-address", "배송지 변경요": "ship-address", "교환 신청 방법": "exchange-how"} {
		if d := ix.Decide(q, ""); d.Kind != faq.Answer || d.ID != want || d.Score != 1 {
			t.Errorf("Decide(%s) = %v %q %.2f, want the menu's entry %s with score 1", q, d.Kind, d.ID, d.Score, want)
		}
	}
}

// TestFAQLabelsNeverOverrideTexts: a label that is a text of another entry
// does not take it over; a label two entries carry answers neither; labels
// are not ranked.
func TestFAQLabelsNeverOverrideTexts(t *testing.T) {
	cfg := &Config{
		FAQ: []FAQEntry{
			{ID: "a", Question: "배송비는 얼마인가요?", Alternates: []string{"택배비"}, Answer: "3,000원"},
			{ID: "b", Question: "배송 조회는 어떻게 하나요?", Answer: "마이페이지"},
			{ID: "c", Question: "반품은 어떻게 하나요?", Answer: "7일 이내"},
		},
		Menus: map[string]*Menu{
			"m": {Options: []Option{
				{ID: "1", Label: "택배비", FAQ: "b"},     // a's alternate
				{ID: "2", Label: "송장 보기", FAQ: "b"},   // new
				{ID: "3", Label: "송장 보기", FAQ: "b"},   // repeated
				{ID: "4", Label: "처음으로", Home: true},  // no FAQ
				{ID: "5", Label: "없는 항목", FAQ: "zzz"}, // unknown id
				{ID: "6", Label: "도와주세요", FAQ: "b"},
			}},
			"n": {Options: []Option{{ID: "1", Label: "도와주세요", FAQ: "c"}}},
		},
	}
	entries := cfg.FAQEntries()
	if !slices.Equal(entries[1].Labels, []string{"택배비", "송장 보기", "도와주세요"}) {
		t.Errorf("b's labels %q", entries[1].Labels)
	}
	ix, err := faq.New(entries, faq.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := ix.Decide("택배비", ""); d.ID != "a" || d.Score != 1 {
		t.Errorf("Decide(택배비) = %v %q %.2f: want a's own alternate to answer", d.Kind, d.ID, d.Score)
	}
	if d := ix.Decide("송장 보기", ""); d.ID != "b" || d.Score != 1 {
		t.Errorf("Decide(송장 보기) = %v %q %.2f: want b's label to answer", d.Kind, d.ID, d.Score)
	}
	if d := ix.Decide("도와주세요", ""); d.Score == 1 {
		t.Errorf("Decide(도와주세요) = %v %q %.2f: a label of two entries answers neither exactly", d.Kind, d.ID, d.Score)
	}
	for _, s := range ix.Rank("송장 보기 알려주세요", "", 3) {
		if s.ID == "b" && s.Score > 0.5 {
			t.Errorf("Rank ranks b at %.2f from its label: labels are not ranked", s.Score)
		}
	}
}
