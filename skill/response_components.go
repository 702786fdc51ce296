package skill

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

func notBuilt(kind string) error {
	return invalid("%s was not built with its constructor", kind)
}

func checkNotBlank(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid("%s is blank", field)
	}
	return nil
}

// hardLines is how many lines s takes at least: its line breaks say so
// whatever the screen's width (a longer line wraps to more). Every
// mandatory break counts — LF, CR (CRLF as one), VT, FF, NEL, U+2028 and
// U+2029 — as a client may render any of them as a new line.
func hardLines(s string) int {
	if s == "" {
		return 0
	}
	n := 1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				size = 2
			}
			n++
		case '\n', '\v', '\f', '\u0085', '\u2028', '\u2029':
			n++
		}
		i += size
	}
	return n
}

// checkLines enforces a spec §3.8 line limit as far as the text decides it:
// at most max lines by its own line breaks.
func checkLines(field, s string, max int) error {
	if n := hardLines(s); n > max {
		return invalid("%s has %d lines, want at most %d", field, n, max)
	}
	return nil
}

// SimpleText is a plain text bubble (≤ 1000 runes; folded after 500).
type SimpleText struct {
	w  simpleTextWire
	ok bool
}

type simpleTextWire struct {
	Text string `json:"text"`
}

// NewSimpleText builds a simpleText. It returns an error wrapping
// ErrInvalidResponse for blank text or text over MaxSimpleText runes (use
// SplitText to spread a long answer over several bubbles).
func NewSimpleText(text string) (SimpleText, error) {
	if err := checkNotBlank("simpleText.text", text); err != nil {
		return SimpleText{}, err
	}
	if err := checkText("simpleText.text", text, 1, MaxSimpleText); err != nil {
		return SimpleText{}, err
	}
	return SimpleText{w: simpleTextWire{Text: text}, ok: true}, nil
}

func (s SimpleText) key() string { return "simpleText" }
func (s SimpleText) wire() any   { return s.w }
func (s SimpleText) check(bool) error {
	if !s.ok {
		return notBuilt("simpleText")
	}
	return nil
}

// SimpleImage is an image bubble.
type SimpleImage struct {
	w  simpleImageWire
	ok bool
}

type simpleImageWire struct {
	ImageURL string `json:"imageUrl"`
	AltText  string `json:"altText,omitempty"`
}

// NewSimpleImage builds a simpleImage. It returns an error wrapping
// ErrInvalidResponse for a URL that is not absolute http(s) or an altText
// over 50 runes.
func NewSimpleImage(imageURL, altText string) (SimpleImage, error) {
	if err := checkURL("simpleImage.imageUrl", imageURL); err != nil {
		return SimpleImage{}, err
	}
	if err := checkText("simpleImage.altText", altText, 0, maxAltText); err != nil {
		return SimpleImage{}, err
	}
	return SimpleImage{w: simpleImageWire{ImageURL: imageURL, AltText: altText}, ok: true}, nil
}

func (s SimpleImage) key() string { return "simpleImage" }
func (s SimpleImage) wire() any   { return s.w }
func (s SimpleImage) check(bool) error {
	if !s.ok {
		return notBuilt("simpleImage")
	}
	return nil
}

// TextCardSpec describes a textCard: a title and/or description with buttons.
type TextCardSpec struct {
	Title        string
	Description  string
	Buttons      []Button
	ButtonLayout ButtonLayout
	Forwardable  bool
}

// TextCard is a validated textCard.
type TextCard struct {
	w  textCardWire
	ok bool
}

type textCardWire struct {
	Title        string       `json:"title,omitempty"`
	Description  string       `json:"description,omitempty"`
	Buttons      []buttonWire `json:"buttons,omitempty"`
	ButtonLayout ButtonLayout `json:"buttonLayout,omitempty"`
	Forwardable  bool         `json:"forwardable,omitempty"`
}

// NewTextCard builds a textCard. It returns an error wrapping
// ErrInvalidResponse when both title and description are blank, the title
// exceeds 50 runes, title+description exceed 400 runes, or the buttons
// break §3.6 (count for the layout, labels ≤ 14, ≤ 8 when two sit side by side).
func NewTextCard(s TextCardSpec) (TextCard, error) {
	bs, err := buttonsWire("textCard", s.Buttons, s.ButtonLayout, false)
	if err != nil {
		return TextCard{}, err
	}
	c := TextCard{w: textCardWire{Title: s.Title, Description: s.Description, Buttons: bs, ButtonLayout: s.ButtonLayout, Forwardable: s.Forwardable}, ok: true}
	return c, c.check(false)
}

func (c TextCard) key() string   { return "textCard" }
func (c TextCard) wire() any     { return c.w }
func (c TextCard) carouselCard() {}
func (c TextCard) check(inCarousel bool) error {
	if !c.ok {
		return notBuilt("textCard")
	}
	w := c.w
	if strings.TrimSpace(w.Title) == "" && strings.TrimSpace(w.Description) == "" {
		return invalid("textCard needs a title or a description")
	}
	if err := checkText("textCard.title", w.Title, 0, maxTextCardTitle); err != nil {
		return err
	}
	if inCarousel {
		if err := checkText("textCard.description (carousel)", w.Description, 0, maxTextCardDescCarousel); err != nil {
			return err
		}
	} else if n := utf8.RuneCountInString(w.Title) + utf8.RuneCountInString(w.Description); n > MaxTextCardDescription {
		return invalid("textCard title+description has %d runes, want at most %d", n, MaxTextCardDescription)
	}
	return checkButtonWires("textCard", w.Buttons, w.ButtonLayout, false)
}

// BasicCardSpec describes a basicCard: a required thumbnail with optional
// title, description and buttons.
type BasicCardSpec struct {
	Title        string
	Description  string
	Thumbnail    Thumbnail
	Buttons      []Button
	ButtonLayout ButtonLayout
	Forwardable  bool
}

// BasicCard is a validated basicCard.
type BasicCard struct {
	w  basicCardWire
	ok bool
}

type basicCardWire struct {
	Title        string       `json:"title,omitempty"`
	Description  string       `json:"description,omitempty"`
	Thumbnail    Thumbnail    `json:"thumbnail"`
	Buttons      []buttonWire `json:"buttons,omitempty"`
	ButtonLayout ButtonLayout `json:"buttonLayout,omitempty"`
	Forwardable  bool         `json:"forwardable,omitempty"`
}

// NewBasicCard builds a basicCard. It returns an error wrapping
// ErrInvalidResponse for a missing or invalid thumbnail, a title over 50 or
// description over 230 runes, or buttons that break §3.6.
func NewBasicCard(s BasicCardSpec) (BasicCard, error) {
	bs, err := buttonsWire("basicCard", s.Buttons, s.ButtonLayout, s.Thumbnail.FixedRatio)
	if err != nil {
		return BasicCard{}, err
	}
	c := BasicCard{w: basicCardWire{Title: s.Title, Description: s.Description, Thumbnail: s.Thumbnail.clone(),
		Buttons: bs, ButtonLayout: s.ButtonLayout, Forwardable: s.Forwardable}, ok: true}
	return c, c.check(false)
}

func (c BasicCard) key() string   { return "basicCard" }
func (c BasicCard) wire() any     { return c.w }
func (c BasicCard) carouselCard() {}
func (c BasicCard) check(inCarousel bool) error {
	if !c.ok {
		return notBuilt("basicCard")
	}
	w := c.w
	if inCarousel { // spec §3.8: 2 lines each in a carousel
		if err := checkLines("basicCard.title", w.Title, 2); err != nil {
			return err
		}
		if err := checkLines("basicCard.description", w.Description, 2); err != nil {
			return err
		}
	}
	if err := checkText("basicCard.title", w.Title, 0, maxBasicCardTitle); err != nil {
		return err
	}
	if err := checkText("basicCard.description", w.Description, 0, maxBasicCardDescription); err != nil {
		return err
	}
	if err := checkThumbnail("basicCard.thumbnail", w.Thumbnail); err != nil {
		return err
	}
	return checkButtonWires("basicCard", w.Buttons, w.ButtonLayout, w.Thumbnail.FixedRatio)
}

// Profile is a commerceCard seller profile.
type Profile struct {
	Nickname string `json:"nickname"`
	ImageURL string `json:"imageUrl,omitempty"`
}

// CommerceCardSpec describes a commerceCard. Price is required (always
// emitted); Currency may be "" or "won"; DiscountRate needs DiscountedPrice;
// DiscountedPrice is emitted under both spellings "discountedPrice" and
// "dicountedPrice" (spec CONFLICT). The single Thumbnail is Kakao's
// "exactly one" thumbnails entry.
type CommerceCardSpec struct {
	Title           string
	Description     string
	Price           int
	Currency        string
	Discount        int
	DiscountRate    int
	DiscountedPrice int
	Thumbnail       Thumbnail
	Profile         *Profile
	Buttons         []Button
	ButtonLayout    ButtonLayout
	Forwardable     bool
}

// CommerceCard is a validated commerceCard.
type CommerceCard struct {
	w  commerceCardWire
	ok bool
}

type commerceCardWire struct {
	Title           string       `json:"title,omitempty"`
	Description     string       `json:"description,omitempty"`
	Price           int          `json:"price"`
	Currency        string       `json:"currency,omitempty"`
	Discount        int          `json:"discount,omitempty"`
	DiscountRate    int          `json:"discountRate,omitempty"`
	DiscountedPrice int          `json:"discountedPrice,omitempty"`
	DicountedPrice  int          `json:"dicountedPrice,omitempty"`
	Thumbnails      []Thumbnail  `json:"thumbnails"`
	Profile         *Profile     `json:"profile,omitempty"`
	Buttons         []buttonWire `json:"buttons,omitempty"`
	ButtonLayout    ButtonLayout `json:"buttonLayout,omitempty"`
	Forwardable     bool         `json:"forwardable,omitempty"`
}

// NewCommerceCard builds a commerceCard. It returns an error wrapping
// ErrInvalidResponse for a title over 30 or description over 40 runes, a
// negative price or discount, a currency other than "won", a discount rate
// outside 0–100 or without a discounted price, a bad thumbnail or profile,
// or buttons that break §3.6.
func NewCommerceCard(s CommerceCardSpec) (CommerceCard, error) {
	bs, err := buttonsWire("commerceCard", s.Buttons, s.ButtonLayout, s.Thumbnail.FixedRatio)
	if err != nil {
		return CommerceCard{}, err
	}
	w := commerceCardWire{Title: s.Title, Description: s.Description, Price: s.Price, Currency: s.Currency,
		Discount: s.Discount, DiscountRate: s.DiscountRate, DiscountedPrice: s.DiscountedPrice, DicountedPrice: s.DiscountedPrice,
		Thumbnails: []Thumbnail{s.Thumbnail.clone()}, Buttons: bs, ButtonLayout: s.ButtonLayout, Forwardable: s.Forwardable}
	if s.Profile != nil {
		p := *s.Profile
		w.Profile = &p
	}
	c := CommerceCard{w: w, ok: true}
	return c, c.check(false)
}

func (c CommerceCard) key() string   { return "commerceCard" }
func (c CommerceCard) wire() any     { return c.w }
func (c CommerceCard) carouselCard() {}
func (c CommerceCard) check(bool) error {
	if !c.ok {
		return notBuilt("commerceCard")
	}
	w := c.w
	if err := checkText("commerceCard.title", w.Title, 0, maxCommerceTitle); err != nil {
		return err
	}
	if err := checkText("commerceCard.description", w.Description, 0, maxCommerceDescription); err != nil {
		return err
	}
	if w.Price < 0 || w.Discount < 0 || w.DiscountedPrice < 0 {
		return invalid("commerceCard: negative price %d, discount %d or discountedPrice %d", w.Price, w.Discount, w.DiscountedPrice)
	}
	if w.Currency != "" && w.Currency != currencyWon {
		return invalid("commerceCard.currency %q, want %q", w.Currency, currencyWon)
	}
	if w.DiscountRate < 0 || w.DiscountRate > maxDiscountRate {
		return invalid("commerceCard.discountRate %d, want 0 to %d", w.DiscountRate, maxDiscountRate)
	}
	if w.DiscountRate > 0 && w.DiscountedPrice == 0 {
		return invalid("commerceCard.discountRate needs discountedPrice")
	}
	if len(w.Thumbnails) != 1 {
		return invalid("commerceCard: %d thumbnails, want exactly 1", len(w.Thumbnails))
	}
	if err := checkThumbnail("commerceCard.thumbnails[0]", w.Thumbnails[0]); err != nil {
		return err
	}
	if p := w.Profile; p != nil {
		if err := checkNotBlank("commerceCard.profile.nickname", p.Nickname); err != nil {
			return err
		}
		if p.ImageURL != "" {
			if err := checkURL("commerceCard.profile.imageUrl", p.ImageURL); err != nil {
				return err
			}
		}
	}
	return checkButtonWires("commerceCard", w.Buttons, w.ButtonLayout, w.Thumbnails[0].FixedRatio)
}

// ListItem is one row of a listCard. Action is "" (display only),
// "message" (MessageText, or Title when empty, is sent) or "block"
// (BlockID required). Extra must marshal to a JSON object.
type ListItem struct {
	Title       string
	Description string
	ImageURL    string
	Link        *Link
	Action      string
	BlockID     string
	MessageText string
	Extra       any
}

type listItemWire struct {
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	ImageURL    string          `json:"imageUrl,omitempty"`
	Link        *Link           `json:"link,omitempty"`
	Action      string          `json:"action,omitempty"`
	BlockID     string          `json:"blockId,omitempty"`
	MessageText string          `json:"messageText,omitempty"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

// ListCardSpec describes a listCard: a header title, 1–5 items (1–4 in a
// carousel) and optional buttons.
type ListCardSpec struct {
	Header       string
	Items        []ListItem
	Buttons      []Button
	ButtonLayout ButtonLayout
}

// ListCard is a validated listCard.
type ListCard struct {
	w  listCardWire
	ok bool
}

type listHeaderWire struct {
	Title string `json:"title"`
}

type listCardWire struct {
	Header       listHeaderWire `json:"header"`
	Items        []listItemWire `json:"items"`
	Buttons      []buttonWire   `json:"buttons,omitempty"`
	ButtonLayout ButtonLayout   `json:"buttonLayout,omitempty"`
}

// NewListCard builds a listCard. It returns an error wrapping
// ErrInvalidResponse for a blank header, no items or more than 5, an item
// without a title, a bad action (block without blockId), a bad URL, or
// buttons that break §3.6.
func NewListCard(s ListCardSpec) (ListCard, error) {
	bs, err := buttonsWire("listCard", s.Buttons, s.ButtonLayout, false)
	if err != nil {
		return ListCard{}, err
	}
	w := listCardWire{Header: listHeaderWire{Title: s.Header}, Buttons: bs, ButtonLayout: s.ButtonLayout}
	for i, it := range s.Items {
		iw := listItemWire{Title: it.Title, Description: it.Description, ImageURL: it.ImageURL,
			Link: copyLink(it.Link), Action: it.Action, BlockID: it.BlockID, MessageText: it.MessageText}
		if iw.Action == listActionMessage && strings.TrimSpace(iw.MessageText) == "" {
			iw.MessageText = iw.Title
		}
		if iw.Extra, err = marshalObject(it.Extra); err != nil {
			return ListCard{}, fmt.Errorf("listCard item %d extra: %w", i, err)
		}
		w.Items = append(w.Items, iw)
	}
	c := ListCard{w: w, ok: true}
	return c, c.check(false)
}

func (c ListCard) key() string   { return "listCard" }
func (c ListCard) wire() any     { return c.w }
func (c ListCard) carouselCard() {}
func (c ListCard) check(inCarousel bool) error {
	if !c.ok {
		return notBuilt("listCard")
	}
	w := c.w
	if err := checkNotBlank("listCard.header.title", w.Header.Title); err != nil {
		return err
	}
	if err := checkText("listCard.header.title", w.Header.Title, 1, maxGenericText); err != nil {
		return err
	}
	max := maxListItems
	if inCarousel {
		max = maxListItemsCarousel
	}
	if n := len(w.Items); n < 1 || n > max {
		return invalid("listCard: %d items, want 1 to %d", n, max)
	}
	for i, it := range w.Items {
		if err := checkListItem(fmt.Sprintf("listCard.items[%d]", i), it); err != nil {
			return err
		}
	}
	return checkButtonWires("listCard", w.Buttons, w.ButtonLayout, false)
}

func checkListItem(field string, it listItemWire) error {
	if err := checkNotBlank(field+".title", it.Title); err != nil {
		return err
	}
	if err := checkText(field+".title", it.Title, 1, maxGenericText); err != nil {
		return err
	}
	if err := checkText(field+".description", it.Description, 0, maxGenericText); err != nil {
		return err
	}
	if it.ImageURL != "" {
		if err := checkURL(field+".imageUrl", it.ImageURL); err != nil {
			return err
		}
	}
	if err := checkLink(field+".link", it.Link); err != nil {
		return err
	}
	switch it.Action {
	case "":
	case listActionBlock:
		if strings.TrimSpace(it.BlockID) == "" {
			return invalid("%s: block action without blockId", field)
		}
	case listActionMessage:
		if strings.TrimSpace(it.MessageText) == "" {
			return invalid("%s: message action without messageText", field)
		}
	default:
		return invalid("%s: unknown action %q", field, it.Action)
	}
	return nil
}
