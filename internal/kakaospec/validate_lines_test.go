package kakaospec

import (
	"strings"
	"testing"
)

// Each body breaks a §3.4/§3.8 rule that Validate did not check.
func TestValidateLineAndRatioRules(t *testing.T) {
	list := `"itemList":[{"title":"t","description":"d"}]`
	thirteen := strings.TrimSuffix(strings.Repeat(`x\n`, 13), `\n`)
	tests := []struct{ name, body string }{
		{"itemCard title+description 14 lines (§3.8: 12)",
			wrap(`{"itemCard":{` + list + `,"title":"t","description":"` + thirteen + `"}}`)},
		{"carousel header title 3 lines, description 4 (§3.8: 2, 3)",
			wrap(`{"carousel":{"type":"basicCard","header":{"title":"a\nb\nc","description":"a\nb\nc\nd","thumbnail":{"imageUrl":"` + img + `"}},
			"items":[{"thumbnail":{"imageUrl":"` + img + `"}}]}}`)},
		{"imageTitle description 2 lines (§3.8: 1)",
			wrap(`{"itemCard":{` + list + `,"imageTitle":{"title":"t","description":"a\nb"}}}`)},
		{"itemListSummary 4 decimals (§3.4: ≤ 2)",
			wrap(`{"itemCard":{` + list + `,"itemListSummary":{"title":"합계","description":"1.2345원"}}}`)},
		{"carousel basicCard title 3 lines (§3.8: 2 each)",
			wrap(`{"carousel":{"type":"basicCard","items":[{"title":"a\nb\nc","thumbnail":{"imageUrl":"` + img + `"}}]}}`)},
		{"itemList description 3 lines (§3.4: 2)",
			wrap(`{"itemCard":{"itemList":[{"title":"t","description":"a\nb\nc"}]}}`)},
		{"itemCard profile 2:1 (§3.4: 1:1)",
			wrap(`{"itemCard":{` + list + `,"profile":{"title":"p","imageUrl":"` + img + `","width":200,"height":100}}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Validate([]byte(tt.body)); err == nil {
				t.Errorf("Validate = nil, want an error")
			}
		})
	}
}
