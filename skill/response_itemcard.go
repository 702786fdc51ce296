package skill

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ItemThumbnail is an itemCard image. Width and Height are both 0 (shown
// 1:1) or both set with a 2:1 or 1:1 ratio; inside a carousel only 2:1.
type ItemThumbnail struct {
	ImageURL string `json:"imageUrl"`
	AltText  string `json:"altText,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Link     *Link  `json:"link,omitempty"`
}

// ItemHead is an itemCard head (one line; excludes Profile).
type ItemHead struct {
	Title string `json:"title"`
}

// ItemProfile is an itemCard profile (title ≤ 15 runes; excludes Head).
type ItemProfile struct {
	ImageURL string `json:"imageUrl,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Title    string `json:"title"`
}

// ImageTitle is an itemCard imageTitle (image fixed on the right).
type ImageTitle struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	ImageURL    string `json:"imageUrl,omitempty"`
}

// Item is one itemList row: title ≤ 6 runes, description required.
type Item struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// ItemSummary is itemListSummary: title ≤ 6, description ≤ 14 runes.
type ItemSummary struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// ItemCardSpec describes an itemCard (spec §3.4).
type ItemCardSpec struct {
	Thumbnail         *ItemThumbnail
	Head              *ItemHead
	Profile           *ItemProfile
	ImageTitle        *ImageTitle
	ItemList          []Item
	ItemListAlignment string // "", "left" or "right"
	ItemListSummary   *ItemSummary
	Title             string
	Description       string
	Buttons           []Button
	ButtonLayout      ButtonLayout
	Forwardable       bool
}

// ItemCard is a validated itemCard.
type ItemCard struct {
	w  itemCardWire
	ok bool
}

type itemCardWire struct {
	Thumbnail         *ItemThumbnail `json:"thumbnail,omitempty"`
	Head              *ItemHead      `json:"head,omitempty"`
	Profile           *ItemProfile   `json:"profile,omitempty"`
	ImageTitle        *ImageTitle    `json:"imageTitle,omitempty"`
	ItemList          []Item         `json:"itemList"`
	ItemListAlignment string         `json:"itemListAlignment,omitempty"`
	ItemListSummary   *ItemSummary   `json:"itemListSummary,omitempty"`
	Title             string         `json:"title,omitempty"`
	Description       string         `json:"description,omitempty"`
	Buttons           []buttonWire   `json:"buttons,omitempty"`
	ButtonLayout      ButtonLayout   `json:"buttonLayout,omitempty"`
	Forwardable       bool           `json:"forwardable,omitempty"`
}

// NewItemCard builds an itemCard. It returns an error wrapping
// ErrInvalidResponse for: no items or more than 10, an item title over 6
// runes or an item without a description, head together with profile, a
// profile title over 15 runes, a summary over 6/14 runes, title+description
// over 200 runes or a description without a title, a thumbnail ratio other
// than 2:1 or 1:1, bad URLs, or buttons that break §3.6.
func NewItemCard(s ItemCardSpec) (ItemCard, error) {
	bs, err := buttonsWire("itemCard", s.Buttons, s.ButtonLayout, false)
	if err != nil {
		return ItemCard{}, err
	}
	w := itemCardWire{ItemListAlignment: s.ItemListAlignment, Title: s.Title, Description: s.Description,
		Buttons: bs, ButtonLayout: s.ButtonLayout, Forwardable: s.Forwardable}
	if s.Thumbnail != nil {
		t := *s.Thumbnail
		t.Link = copyLink(t.Link)
		w.Thumbnail = &t
	}
	if s.Head != nil {
		h := *s.Head
		w.Head = &h
	}
	if s.Profile != nil {
		p := *s.Profile
		w.Profile = &p
	}
	if s.ImageTitle != nil {
		it := *s.ImageTitle
		w.ImageTitle = &it
	}
	if s.ItemListSummary != nil {
		sum := *s.ItemListSummary
		w.ItemListSummary = &sum
	}
	w.ItemList = append([]Item(nil), s.ItemList...)
	c := ItemCard{w: w, ok: true}
	return c, c.check(false)
}

func (c ItemCard) key() string   { return "itemCard" }
func (c ItemCard) wire() any     { return c.w }
func (c ItemCard) carouselCard() {}
func (c ItemCard) check(inCarousel bool) error {
	if !c.ok {
		return notBuilt("itemCard")
	}
	w := c.w
	if err := checkItemThumbnail(w.Thumbnail, inCarousel); err != nil {
		return err
	}
	if w.Head != nil && w.Profile != nil {
		return invalid("itemCard: head and profile cannot coexist")
	}
	if w.Head != nil {
		if err := checkNotBlank("itemCard.head.title", w.Head.Title); err != nil {
			return err
		}
		if err := checkLines("itemCard.head.title", w.Head.Title, 1); err != nil {
			return err
		}
	}
	if p := w.Profile; p != nil {
		if err := checkNotBlank("itemCard.profile.title", p.Title); err != nil {
			return err
		}
		if err := checkText("itemCard.profile.title", p.Title, 1, maxItemProfileTitle); err != nil {
			return err
		}
		if p.ImageURL != "" {
			if err := checkURL("itemCard.profile.imageUrl", p.ImageURL); err != nil {
				return err
			}
		}
		// Spec §3.4: the profile image is 1:1.
		if p.Width < 0 || p.Height < 0 || p.Width != p.Height {
			return invalid("itemCard.profile: width %d and height %d must be equal (1:1) and not negative", p.Width, p.Height)
		}
	}
	if it := w.ImageTitle; it != nil {
		if err := checkNotBlank("itemCard.imageTitle.title", it.Title); err != nil {
			return err
		}
		if err := checkLines("itemCard.imageTitle.title", it.Title, 2); err != nil {
			return err
		}
		if err := checkLines("itemCard.imageTitle.description", it.Description, 1); err != nil {
			return err
		}
		if it.ImageURL != "" {
			if err := checkURL("itemCard.imageTitle.imageUrl", it.ImageURL); err != nil {
				return err
			}
		}
	}
	if err := checkItemList(w.ItemList, inCarousel); err != nil {
		return err
	}
	switch w.ItemListAlignment {
	case "", alignLeft, alignRight:
	default:
		return invalid("itemCard.itemListAlignment %q, want left or right", w.ItemListAlignment)
	}
	if s := w.ItemListSummary; s != nil {
		if strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.Description) == "" {
			return invalid("itemCard.itemListSummary needs a title and a description")
		}
		if err := checkText("itemCard.itemListSummary.title", s.Title, 1, maxItemSummaryTitle); err != nil {
			return err
		}
		if err := checkText("itemCard.itemListSummary.description", s.Description, 1, maxItemSummaryDescription); err != nil {
			return err
		}
		if n := maxDecimals(s.Description); n > 2 { // spec §3.4
			return invalid("itemCard.itemListSummary.description %q has %d decimals, want at most 2", s.Description, n)
		}
	}
	if w.Description != "" && w.Title == "" {
		return invalid("itemCard: description needs a title")
	}
	max := maxItemCardText
	if inCarousel {
		max = maxItemCardTextCarousel
	}
	if n := utf8.RuneCountInString(w.Title) + utf8.RuneCountInString(w.Description); n > max {
		return invalid("itemCard title+description has %d runes, want at most %d", n, max)
	}
	if n := hardLines(w.Title) + hardLines(w.Description); n > maxItemCardLines {
		return invalid("itemCard title+description has %d lines, want at most %d", n, maxItemCardLines)
	}
	return checkButtonWires("itemCard", w.Buttons, w.ButtonLayout, false)
}

func checkItemThumbnail(t *ItemThumbnail, inCarousel bool) error {
	if t == nil {
		return nil
	}
	if err := checkURL("itemCard.thumbnail.imageUrl", t.ImageURL); err != nil {
		return err
	}
	if err := checkText("itemCard.thumbnail.altText", t.AltText, 0, maxAltText); err != nil {
		return err
	}
	if err := checkLink("itemCard.thumbnail.link", t.Link); err != nil {
		return err
	}
	if t.Width < 0 || t.Height < 0 || (t.Width == 0) != (t.Height == 0) {
		return invalid("itemCard.thumbnail: width %d and height %d must both be set or both 0", t.Width, t.Height)
	}
	wide := t.Width > 0 && t.Width == itemThumbWide*t.Height
	square := t.Width == 0 || t.Width == itemThumbSq*t.Height
	switch {
	case inCarousel && !wide:
		return invalid("itemCard.thumbnail in a carousel must be 2:1, got %dx%d", t.Width, t.Height)
	case !wide && !square:
		return invalid("itemCard.thumbnail must be 2:1 or 1:1, got %dx%d", t.Width, t.Height)
	}
	return nil
}

func checkItemList(items []Item, inCarousel bool) error {
	max := maxItemList
	if inCarousel {
		max = maxItemListCarousel
	}
	if n := len(items); n < 1 || n > max {
		return invalid("itemCard.itemList: %d items, want 1 to %d", n, max)
	}
	for i, it := range items {
		f := fmt.Sprintf("itemCard.itemList[%d]", i)
		if err := checkNotBlank(f+".title", it.Title); err != nil {
			return err
		}
		if err := checkText(f+".title", it.Title, 1, maxItemTitle); err != nil {
			return err
		}
		if err := checkNotBlank(f+".description", it.Description); err != nil {
			return err
		}
		if err := checkText(f+".description", it.Description, 1, maxGenericText); err != nil {
			return err
		}
		if err := checkLines(f+".description", it.Description, 2); err != nil { // spec §3.4
			return err
		}
	}
	return nil
}

// maxItemCardLines is the itemCard's title+description line limit, single
// and in a carousel (spec §3.8).
const maxItemCardLines = 12

// maxDecimals is the most digits after a decimal point between digits in
// s ("1,250.50원": 2).
func maxDecimals(s string) int {
	most := 0
	for i := 1; i+1 < len(s); i++ {
		if s[i] != '.' || s[i-1] < '0' || s[i-1] > '9' {
			continue
		}
		n := 0
		for j := i + 1; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

// CarouselHeader is a carousel's optional header (not for textCard or
// listCard carousels): title, description and a thumbnail (imageUrl only).
type CarouselHeader struct {
	Title       string
	Description string
	ImageURL    string
}

type carouselHeaderWire struct {
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Thumbnail   carouselHeaderThumb `json:"thumbnail"`
}

type carouselHeaderThumb struct {
	ImageURL string `json:"imageUrl"`
}

// Carousel is a validated carousel of one card type.
type Carousel struct {
	w     carouselWire
	items []CarouselCard
	ok    bool
}

type carouselWire struct {
	Type   string              `json:"type"`
	Items  []any               `json:"items"`
	Header *carouselHeaderWire `json:"header,omitempty"`
}

// NewCarousel builds a carousel. It returns an error wrapping
// ErrInvalidResponse for: no items or more than 10 (5 for listCard), mixed
// card types, a card that breaks its carousel limits (textCard description
// ≤ 128, listCard ≤ 4 items, itemCard ≤ 5 items, 100 runes, 2:1 thumbnails),
// basicCard/commerceCard thumbnails of mixed ratios, itemCards that apply
// thumbnail/head/profile/imageTitle to some cards but not all, or a header
// on a textCard/listCard carousel or without title, description and image.
func NewCarousel(header *CarouselHeader, items ...CarouselCard) (Carousel, error) {
	c := Carousel{items: make([]CarouselCard, len(items)), ok: true}
	for i, it := range items {
		c.items[i] = cardValue(it)
	}
	if len(c.items) > 0 && c.items[0] != nil {
		c.w.Type = c.items[0].key()
	}
	for _, it := range c.items {
		if it != nil {
			c.w.Items = append(c.w.Items, it.wire())
		}
	}
	if header != nil {
		c.w.Header = &carouselHeaderWire{Title: header.Title, Description: header.Description,
			Thumbnail: carouselHeaderThumb{ImageURL: header.ImageURL}}
	}
	return c, c.check(false)
}

func (c Carousel) key() string { return "carousel" }
func (c Carousel) wire() any   { return c.w }
func (c Carousel) check(inCarousel bool) error {
	if !c.ok {
		return notBuilt("carousel")
	}
	if inCarousel {
		return invalid("carousel inside a carousel")
	}
	max := maxCarouselItems
	if c.w.Type == "listCard" {
		max = maxListCardCarouselItems
	}
	if n := len(c.items); n < 1 || n > max {
		return invalid("carousel: %d items, want 1 to %d", n, max)
	}
	for i, it := range c.items {
		if it == nil {
			return invalid("carousel item %d is nil", i)
		}
		if it.key() != c.w.Type {
			return invalid("carousel item %d is a %s in a %s carousel", i, it.key(), c.w.Type)
		}
		if err := it.check(true); err != nil {
			return fmt.Errorf("carousel item %d: %w", i, err)
		}
	}
	if err := c.checkUniform(); err != nil {
		return err
	}
	if h := c.w.Header; h != nil {
		if c.w.Type == "textCard" || c.w.Type == "listCard" {
			return invalid("carousel header is not supported for %s", c.w.Type)
		}
		if err := checkNotBlank("carousel.header.title", h.Title); err != nil {
			return err
		}
		if err := checkNotBlank("carousel.header.description", h.Description); err != nil {
			return err
		}
		if err := checkLines("carousel.header.title", h.Title, 2); err != nil { // spec §3.8
			return err
		}
		if err := checkLines("carousel.header.description", h.Description, 3); err != nil {
			return err
		}
		if err := checkURL("carousel.header.thumbnail.imageUrl", h.Thumbnail.ImageURL); err != nil {
			return err
		}
	}
	return nil
}

// cardValue returns the card a pointer card points to (nil for a nil
// pointer), and any other card as it is. Pointers to the card types satisfy
// CarouselCard too, and the carousel's checks look at the value types: a
// *BasicCard skipped the one-ratio rule, and a nil one panicked in wire.
func cardValue(it CarouselCard) CarouselCard {
	switch v := it.(type) {
	case *TextCard:
		if v != nil {
			return *v
		}
	case *BasicCard:
		if v != nil {
			return *v
		}
	case *CommerceCard:
		if v != nil {
			return *v
		}
	case *ListCard:
		if v != nil {
			return *v
		}
	case *ItemCard:
		if v != nil {
			return *v
		}
	default:
		return it
	}
	return nil
}

// checkUniform enforces one image ratio per carousel and the itemCard
// all-or-none rule.
func (c Carousel) checkUniform() error {
	var sig []string
	for _, it := range c.items {
		var s string
		switch v := it.(type) {
		case BasicCard:
			s = fmt.Sprint(v.w.Thumbnail.FixedRatio)
		case CommerceCard:
			s = fmt.Sprint(v.w.Thumbnails[0].FixedRatio)
		case ItemCard:
			s = fmt.Sprint(v.w.Thumbnail != nil, v.w.Head != nil, v.w.Profile != nil, v.w.ImageTitle != nil)
		case TextCard, ListCard:
			return nil // no images to agree on
		default:
			return invalid("carousel item of type %T", it)
		}
		sig = append(sig, s)
	}
	for i := 1; i < len(sig); i++ {
		if sig[i] != sig[0] {
			return invalid("carousel item %d: image ratio or thumbnail/head/profile/imageTitle differ from item 0", i)
		}
	}
	return nil
}
