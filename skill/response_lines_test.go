package skill

import (
	"strings"
	"testing"
)

const lineLimitImg = "https://t1.kakaocdn.net/openbuilder/sample/lj3JUcmrzC53YIjNDkqbWK.jpg"

func lineLimitItems() []Item { return []Item{{Title: "t", Description: "d"}} }

// §3.8 "itemCard title+description | 200 chars/12 lines single, 100/12 carousel":
// 14 lines by their line breaks can never fit in 12 (the builder accepted
// them).
func TestItemCardTwelveLines(t *testing.T) {
	desc := strings.TrimSuffix(strings.Repeat("x\n", 13), "\n") // 13 lines, 25 runes
	if _, err := NewItemCard(ItemCardSpec{ItemList: lineLimitItems(), Title: "t", Description: desc}); err == nil {
		t.Errorf("NewItemCard accepted title+description of 14 lines; spec §3.8 allows 12")
	}
}

// §3.8 "carouselHeader | title 2 lines, description 3 lines".
func TestCarouselHeaderLines(t *testing.T) {
	card, err := NewBasicCard(BasicCardSpec{Title: "t", Thumbnail: Thumbnail{ImageURL: lineLimitImg}})
	if err != nil {
		t.Fatal(err)
	}
	h := &CarouselHeader{Title: "a\nb\nc", Description: "a\nb\nc\nd", ImageURL: lineLimitImg}
	if _, err := NewCarousel(h, card); err == nil {
		t.Errorf("NewCarousel accepted a header title of 3 lines and description of 4; spec §3.8 allows 2 and 3")
	}
}

// §3.8 "imageTitle | title 2 lines, description 1 line".
func TestImageTitleLines(t *testing.T) {
	_, err := NewItemCard(ItemCardSpec{ItemList: lineLimitItems(),
		ImageTitle: &ImageTitle{Title: "a\nb\nc", Description: "a\nb"}})
	if err == nil {
		t.Errorf("NewItemCard accepted imageTitle title of 3 lines / description of 2; spec §3.8 allows 2 / 1")
	}
}

// §3.4 itemListSummary description: "≤ 2 decimals".
func TestSummaryDecimals(t *testing.T) {
	_, err := NewItemCard(ItemCardSpec{ItemList: lineLimitItems(),
		ItemListSummary: &ItemSummary{Title: "합계", Description: "1.2345원"}})
	if err == nil {
		t.Errorf("NewItemCard accepted itemListSummary.description with 4 decimals; spec §3.4 allows ≤ 2")
	}
}

// §3.4 itemCard profile: "width, height (1:1)"; thumbnails get ratio and sign
// checks, the profile gets none.
func TestProfileRatio(t *testing.T) {
	for _, wh := range [][2]int{{200, 100}, {-1, -1}} {
		_, err := NewItemCard(ItemCardSpec{ItemList: lineLimitItems(),
			Profile: &ItemProfile{ImageURL: lineLimitImg, Width: wh[0], Height: wh[1], Title: "p"}})
		if err == nil {
			t.Errorf("NewItemCard accepted profile %dx%d; spec §3.4 says 1:1", wh[0], wh[1])
		}
	}
}

// TestLineLimitsAtTheLimit: what the spec allows exactly still builds.
func TestLineLimitsAtTheLimit(t *testing.T) {
	twelve := strings.TrimSuffix(strings.Repeat("x\n", 11), "\n") // 11 lines, and the title's 1
	if _, err := NewItemCard(ItemCardSpec{ItemList: lineLimitItems(), Title: "t", Description: twelve}); err != nil {
		t.Errorf("itemCard title+description of 12 lines: %v", err)
	}
	if _, err := NewItemCard(ItemCardSpec{ItemList: []Item{{Title: "t", Description: "a\nb"}},
		ImageTitle:      &ImageTitle{Title: "a\nb", Description: "c"},
		ItemListSummary: &ItemSummary{Title: "합계", Description: "1,250.50원"},
		Profile:         &ItemProfile{ImageURL: lineLimitImg, Width: 100, Height: 100, Title: "p"}}); err != nil {
		t.Errorf("itemCard at every limit: %v", err)
	}
	card, err := NewBasicCard(BasicCardSpec{Title: "a\nb", Description: "c\nd", Thumbnail: Thumbnail{ImageURL: lineLimitImg}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewCarousel(&CarouselHeader{Title: "a\nb", Description: "a\nb\nc", ImageURL: lineLimitImg}, card); err != nil {
		t.Errorf("carousel header of 2 and 3 lines, cards of 2 and 2: %v", err)
	}
	three, err := NewBasicCard(BasicCardSpec{Title: "a\nb\nc", Thumbnail: Thumbnail{ImageURL: lineLimitImg}})
	if err != nil {
		t.Fatalf("a single basicCard has no line limit: %v", err)
	}
	if _, err := NewCarousel(nil, three); err == nil {
		t.Error("a carousel basicCard title of 3 lines: built, want an error (2 lines each in a carousel)")
	}
}
