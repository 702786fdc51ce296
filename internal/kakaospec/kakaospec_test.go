package kakaospec

import (
	"errors"
	"strings"
	"testing"
)

// wrap puts one output (and optional template extras) into a response.
func wrap(output string, rest ...string) string {
	tail := ""
	if len(rest) > 0 {
		tail = "," + strings.Join(rest, ",")
	}
	return `{"version":"2.0","template":{"outputs":[` + output + `]` + tail + `}}`
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

const img = "https://t1.kakaocdn.net/openbuilder/sample/lj3JUcmrzC53YIjNDkqbWK.jpg"

func TestValidateGood(t *testing.T) {
	tests := []struct{ name, body string }{
		{"spec simpleText", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"간단한 텍스트 요소입니다."}}]}}`},
		{"spec basicCard", `{"version":"2.0","template":{"outputs":[{"basicCard":{"title":"보물상자","description":"보물상자 안에는 뭐가 있을까",
			"thumbnail":{"imageUrl":"` + img + `"},"buttons":[{"action":"message","label":"열어보기","messageText":"짜잔! 우리가 찾던 보물입니다"},
			{"action":"webLink","label":"구경하기","webLinkUrl":"https://e.kakao.com/t/hello-ryan"}]}}],
			"quickReplies":[{"messageText":"인기 메뉴","action":"message","label":"인기 메뉴"}]}}`},
		{"spec context", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]},"context":{"values":[
			{"name":"abc","lifeSpan":10,"ttl":60,"params":{"key1":"val1","key2":"val2"}},{"name":"ghi","lifeSpan":0}]}}`},
		{"useCallback with data", `{"version":"2.0","useCallback":true,"data":{"text":"잠시만요"}}`},
		{"simpleText at 1000", wrap(`{"simpleText":{"text":"` + rep("가", 1000) + `"}}`)},
		{"three outputs", wrap(`{"simpleText":{"text":"a"}},{"simpleText":{"text":"b"}},{"simpleText":{"text":"c"}}`)},
		{"textCard title+desc 400", wrap(`{"textCard":{"title":"` + rep("a", 50) + `","description":"` + rep("나", 350) + `"}}`)},
		{"textCard 3 vertical buttons label 14", wrap(`{"textCard":{"description":"d","buttons":[
			{"label":"` + rep("가", 14) + `","action":"operator"},{"label":"b","action":"share"},{"label":"c","action":"phone","phoneNumber":"1588-0000"}]}}`)},
		{"two horizontal labels 8", wrap(`{"textCard":{"description":"d","buttonLayout":"horizontal","buttons":[
			{"label":"` + rep("가", 8) + `","action":"operator"},{"label":"` + rep("나", 8) + `","action":"block","blockId":"b1"}]}}`)},
		{"commerceCard both spellings", wrap(`{"commerceCard":{"title":"` + rep("t", 30) + `","description":"` + rep("d", 40) + `","price":10000,"currency":"won",
			"discountRate":10,"discountedPrice":9000,"dicountedPrice":9000,"thumbnails":[{"imageUrl":"` + img + `","fixedRatio":true}],
			"profile":{"nickname":"샵"},"buttons":[{"label":"구매하기","action":"webLink","webLinkUrl":"https://shop.example.com/p/1"},{"label":"공유","action":"share"}]}}`)},
		{"listCard 5 items", wrap(`{"listCard":{"header":{"title":"h"},"items":[{"title":"1","action":"block","blockId":"b"},{"title":"2","action":"message","messageText":"2"},
			{"title":"3","imageUrl":"` + img + `","link":{"web":"https://a.example"}},{"title":"4"},{"title":"5","description":"d"}]}}`)},
		{"itemCard full", wrap(`{"itemCard":{"thumbnail":{"imageUrl":"` + img + `","width":800,"height":400},"profile":{"title":"` + rep("p", 15) + `","imageUrl":"` + img + `"},
			"imageTitle":{"title":"t","description":"d"},"itemList":[{"title":"` + rep("가", 6) + `","description":"x"}],"itemListAlignment":"right",
			"itemListSummary":{"title":"` + rep("합", 6) + `","description":"` + rep("1", 14) + `"},"title":"` + rep("a", 100) + `","description":"` + rep("b", 100) + `"}}`)},
		{"basicCard carousel with header", wrap(`{"carousel":{"type":"basicCard","header":{"title":"h","description":"d","thumbnail":{"imageUrl":"` + img + `"}},
			"items":[{"thumbnail":{"imageUrl":"` + img + `"}},{"thumbnail":{"imageUrl":"` + img + `"}}]}}`)},
		{"textCard carousel 128", wrap(`{"carousel":{"type":"textCard","items":[{"description":"` + rep("가", 128) + `"}]}}`)},
		{"10 quick replies", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[`+strings.TrimSuffix(rep(`{"label":"`+rep("가", 14)+`","action":"message","messageText":"m"},`, 10), ",")+`]`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Validate([]byte(tt.body)); err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

func TestValidateBad(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"not json", `{"version":`, "not JSON"},
		{"array", `[]`, "not a JSON object"},
		{"wrong version", `{"version":"1.0","template":{"outputs":[{"simpleText":{"text":"x"}}]}}`, "version"},
		{"no template", `{"version":"2.0"}`, "$.template"},
		{"zero outputs", wrap(``), "0 outputs"},
		{"four outputs", wrap(rep(`{"simpleText":{"text":"a"}},`, 3) + `{"simpleText":{"text":"a"}}`), "4 outputs"},
		{"two keys in output", wrap(`{"simpleText":{"text":"a"},"simpleImage":{"imageUrl":"` + img + `"}}`), "exactly one"},
		{"unknown component", wrap(`{"fancyCard":{}}`), "unknown component"},
		{"simpleText 1001", wrap(`{"simpleText":{"text":"` + rep("가", 1001) + `"}}`), "limit 1000"},
		{"simpleText empty", wrap(`{"simpleText":{"text":""}}`), "required"},
		{"simpleImage ftp", wrap(`{"simpleImage":{"imageUrl":"ftp://x.example/a.png"}}`), "http(s)"},
		{"simpleImage relative", wrap(`{"simpleImage":{"imageUrl":"/a.png"}}`), "http(s)"},
		{"altText 51", wrap(`{"simpleImage":{"imageUrl":"` + img + `","altText":"` + rep("a", 51) + `"}}`), "limit 50"},
		{"textCard empty", wrap(`{"textCard":{}}`), "title or description"},
		{"textCard title 51", wrap(`{"textCard":{"title":"` + rep("a", 51) + `"}}`), "limit 50"},
		{"textCard 401", wrap(`{"textCard":{"title":"` + rep("a", 50) + `","description":"` + rep("나", 351) + `"}}`), "limit 400"},
		{"textCard carousel 129", wrap(`{"carousel":{"type":"textCard","items":[{"description":"` + rep("가", 129) + `"}]}}`), "carousel limit 128"},
		{"4 vertical buttons", wrap(`{"textCard":{"description":"d","buttons":[` + strings.TrimSuffix(rep(`{"label":"a","action":"share"},`, 4), ",") + `]}}`), "4 buttons"},
		{"3 horizontal buttons", wrap(`{"textCard":{"description":"d","buttonLayout":"horizontal","buttons":[` + strings.TrimSuffix(rep(`{"label":"a","action":"share"},`, 3), ",") + `]}}`), "3 buttons"},
		{"fixedRatio implies horizontal", wrap(`{"basicCard":{"thumbnail":{"imageUrl":"` + img + `","fixedRatio":true},"buttons":[` + strings.TrimSuffix(rep(`{"label":"a","action":"share"},`, 3), ",") + `]}}`), "3 buttons"},
		{"paired label 9", wrap(`{"textCard":{"description":"d","buttonLayout":"horizontal","buttons":[{"label":"` + rep("가", 9) + `","action":"share"},{"label":"b","action":"share"}]}}`), "limit 8"},
		{"label 15", wrap(`{"textCard":{"description":"d","buttons":[{"label":"` + rep("가", 15) + `","action":"share"}]}}`), "limit 14"},
		{"unknown action", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"addChannel"}]}}`), "not a button action"},
		{"webLink no url", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"webLink"}]}}`), "webLinkUrl: required"},
		{"webLink javascript", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"webLink","webLinkUrl":"javascript:alert(1)"}]}}`), "http(s)"},
		{"block no id", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"block"}]}}`), "blockId: required"},
		{"phone no number", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"phone"}]}}`), "phoneNumber: required"},
		{"message no text", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"message"}]}}`), "messageText: required"},
		{"button extra not object", wrap(`{"textCard":{"description":"d","buttons":[{"label":"a","action":"message","messageText":"a","extra":"x"}]}}`), "extra: not an object"},
		{"basicCard no thumbnail", wrap(`{"basicCard":{"title":"t"}}`), "thumbnail: required"},
		{"basicCard desc 231", wrap(`{"basicCard":{"description":"` + rep("d", 231) + `","thumbnail":{"imageUrl":"` + img + `"}}}`), "limit 230"},
		{"commerce no price", wrap(`{"commerceCard":{"thumbnails":[{"imageUrl":"` + img + `"}]}}`), "price: required"},
		{"commerce float price", wrap(`{"commerceCard":{"price":1.5,"thumbnails":[{"imageUrl":"` + img + `"}]}}`), "not an integer"},
		{"commerce 2 thumbnails", wrap(`{"commerceCard":{"price":1,"thumbnails":[{"imageUrl":"` + img + `"},{"imageUrl":"` + img + `"}]}}`), "exactly 1"},
		{"commerce title 31", wrap(`{"commerceCard":{"price":1,"title":"` + rep("t", 31) + `","thumbnails":[{"imageUrl":"` + img + `"}]}}`), "limit 30"},
		{"commerce desc 41", wrap(`{"commerceCard":{"price":1,"description":"` + rep("t", 41) + `","thumbnails":[{"imageUrl":"` + img + `"}]}}`), "limit 40"},
		{"commerce dollars", wrap(`{"commerceCard":{"price":1,"currency":"usd","thumbnails":[{"imageUrl":"` + img + `"}]}}`), "only \"won\""},
		{"commerce rate without price", wrap(`{"commerceCard":{"price":1,"discountRate":10,"thumbnails":[{"imageUrl":"` + img + `"}]}}`), "requires a discounted price"},
		{"listCard 6 items", wrap(`{"listCard":{"header":{"title":"h"},"items":[` + strings.TrimSuffix(rep(`{"title":"i"},`, 6), ",") + `]}}`), "6 items"},
		{"listCard carousel 5 items", wrap(`{"carousel":{"type":"listCard","items":[{"header":{"title":"h"},"items":[` + strings.TrimSuffix(rep(`{"title":"i"},`, 5), ",") + `]}]}}`), "allowed 1 to 4"},
		{"listCard no header", wrap(`{"listCard":{"items":[{"title":"i"}]}}`), "header: required"},
		{"listItem block no id", wrap(`{"listCard":{"header":{"title":"h"},"items":[{"title":"i","action":"block"}]}}`), "blockId: required"},
		{"carousel 11", wrap(`{"carousel":{"type":"textCard","items":[` + strings.TrimSuffix(rep(`{"description":"d"},`, 11), ",") + `]}}`), "11 items"},
		{"listCard carousel 6", wrap(`{"carousel":{"type":"listCard","items":[` + strings.TrimSuffix(rep(`{"header":{"title":"h"},"items":[{"title":"i"}]},`, 6), ",") + `]}}`), "allowed 1 to 5"},
		{"textCard carousel header", wrap(`{"carousel":{"type":"textCard","header":{"title":"h","description":"d","thumbnail":{"imageUrl":"` + img + `"}},"items":[{"description":"d"}]}}`), "not supported"},
		{"carousel mixed ratios", wrap(`{"carousel":{"type":"basicCard","items":[{"thumbnail":{"imageUrl":"` + img + `"}},{"thumbnail":{"imageUrl":"` + img + `","fixedRatio":true}}]}}`), "differs"},
		{"carousel of carousel", wrap(`{"carousel":{"type":"carousel","items":[]}}`), "not a carousel type"},
		{"itemCard no list", wrap(`{"itemCard":{"title":"t"}}`), "itemList: required"},
		{"itemCard item title 7", wrap(`{"itemCard":{"itemList":[{"title":"` + rep("가", 7) + `","description":"d"}]}}`), "limit 6"},
		{"itemCard 11 items", wrap(`{"itemCard":{"itemList":[` + strings.TrimSuffix(rep(`{"title":"t","description":"d"},`, 11), ",") + `]}}`), "11 items"},
		{"itemCard carousel 6 items", wrap(`{"carousel":{"type":"itemCard","items":[{"itemList":[` + strings.TrimSuffix(rep(`{"title":"t","description":"d"},`, 6), ",") + `]}]}}`), "allowed 1 to 5"},
		{"itemCard head and profile", wrap(`{"itemCard":{"head":{"title":"h"},"profile":{"title":"p"},"itemList":[{"title":"t","description":"d"}]}}`), "cannot both"},
		{"itemCard profile 16", wrap(`{"itemCard":{"profile":{"title":"` + rep("p", 16) + `"},"itemList":[{"title":"t","description":"d"}]}}`), "limit 15"},
		{"itemCard summary 15", wrap(`{"itemCard":{"itemList":[{"title":"t","description":"d"}],"itemListSummary":{"title":"합계","description":"` + rep("1", 15) + `"}}}`), "limit 14"},
		{"itemCard text 201", wrap(`{"itemCard":{"itemList":[{"title":"t","description":"d"}],"title":"` + rep("a", 101) + `","description":"` + rep("b", 100) + `"}}`), "limit 200"},
		{"itemCard carousel text 101", wrap(`{"carousel":{"type":"itemCard","items":[{"itemList":[{"title":"t","description":"d"}],"title":"` + rep("a", 101) + `"}]}}`), "limit 100"},
		{"itemCard carousel square thumb", wrap(`{"carousel":{"type":"itemCard","items":[{"thumbnail":{"imageUrl":"` + img + `","width":400,"height":400},"itemList":[{"title":"t","description":"d"}]}]}}`), "2:1"},
		{"itemCard desc without title", wrap(`{"itemCard":{"itemList":[{"title":"t","description":"d"}],"description":"x"}}`), "needs a title"},
		{"11 quick replies", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[`+strings.TrimSuffix(rep(`{"label":"a","action":"message","messageText":"m"},`, 11), ",")+`]`), "limit 10"},
		{"quick reply no text", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[{"label":"a","action":"message"}]`), "messageText: required"},
		{"quick reply block no id", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[{"label":"a","action":"block","messageText":"a"}]`), "blockId: required"},
		{"quick reply bad action", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[{"label":"a","action":"Message","messageText":"a"}]`), "want message or block"},
		{"quick reply label 15", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[{"label":"`+rep("a", 15)+`","action":"message","messageText":"a"}]`), "limit 14"},
		{"context lowercase lifespan", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]},"context":{"values":[{"name":"a","lifespan":1}]}}`, "lifeSpan: required"},
		{"context list", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]},"context":[{"name":"a","lifeSpan":1}]}`, "$.context: not an object"},
		{"context param number", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]},"context":{"values":[{"name":"a","lifeSpan":1,"params":{"k":1}}]}}`, "not a string"},
		{"data array", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]},"data":[1]}`, "$.data"},
		{"too big", wrap(`{"simpleText":{"text":"x"}}`, `"quickReplies":[{"label":"a","action":"message","messageText":"m","extra":{"pad":"`+rep("x", MaxBodyBytes)+`"}}]`), "bytes, limit"},
		{"trailing data", `{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"x"}}]}} {}`, "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.body))
			if err == nil {
				t.Fatalf("Validate = nil, want an error mentioning %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want an error wrapping ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestValidateEvent(t *testing.T) {
	suppress := []byte(`{"version":"2.0","template":{"outputs":[]}}`)
	if err := ValidateEvent(suppress); err != nil {
		t.Errorf("ValidateEvent(suppress) = %v, want nil", err)
	}
	if err := Validate(suppress); err == nil {
		t.Errorf("Validate(suppress) = nil, want an error (not allowed for user turns)")
	}
	four := []byte(wrap(rep(`{"simpleText":{"text":"a"}},`, 3) + `{"simpleText":{"text":"a"}}`))
	if err := ValidateEvent(four); err == nil {
		t.Errorf("ValidateEvent(4 outputs) = nil, want an error")
	}
}
