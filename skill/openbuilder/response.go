package openbuilder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Response is a SkillResponse as a skill returns it (spec §3), decoded
// leniently so that a broken answer can still be shown.
type Response struct {
	Version     string          `json:"version"`
	Template    *Template       `json:"template,omitempty"`
	Context     json.RawMessage `json:"context,omitempty"`
	Data        map[string]any  `json:"data,omitempty"`
	UseCallback bool            `json:"useCallback,omitempty"`
}

// Template is response.template.
type Template struct {
	Outputs      []Output     `json:"outputs"`
	QuickReplies []QuickReply `json:"quickReplies,omitempty"`
}

// Output is one bubble: exactly one of the component fields is set when
// the skill sent a known component; Kind names it either way.
type Output struct {
	Kind         string // simpleText, basicCard, ... or the unknown key
	SimpleText   *SimpleText
	SimpleImage  *SimpleImage
	TextCard     *Card
	BasicCard    *Card
	CommerceCard *Card
	ListCard     *ListCard
	ItemCard     *ItemCard
	Carousel     *Carousel
}

// SimpleText is the simpleText component.
type SimpleText struct {
	Text string `json:"text"`
}

// SimpleImage is the simpleImage component.
type SimpleImage struct {
	ImageURL string `json:"imageUrl"`
	AltText  string `json:"altText"`
}

// Card is textCard, basicCard or commerceCard (the fields of all three).
type Card struct {
	Title        string      `json:"title"`
	Description  string      `json:"description"`
	Thumbnail    *Thumbnail  `json:"thumbnail,omitempty"`
	Thumbnails   []Thumbnail `json:"thumbnails,omitempty"`
	Profile      *Profile    `json:"profile,omitempty"`
	Buttons      []Button    `json:"buttons,omitempty"`
	ButtonLayout string      `json:"buttonLayout,omitempty"`
	// commerceCard only.
	Price           *int64 `json:"price,omitempty"`
	Currency        string `json:"currency,omitempty"`
	Discount        *int64 `json:"discount,omitempty"`
	DiscountRate    *int64 `json:"discountRate,omitempty"`
	DiscountedPrice *int64 `json:"discountedPrice,omitempty"`
	// DicountedPrice is the spelling of the spec's field table (CONFLICT).
	DicountedPrice *int64 `json:"dicountedPrice,omitempty"`
}

// Thumbnail is a card image.
type Thumbnail struct {
	ImageURL   string `json:"imageUrl"`
	AltText    string `json:"altText,omitempty"`
	Link       *Link  `json:"link,omitempty"`
	FixedRatio bool   `json:"fixedRatio,omitempty"`
}

// Profile is a commerceCard seller.
type Profile struct {
	Nickname string `json:"nickname"`
	ImageURL string `json:"imageUrl,omitempty"`
}

// Link is a {pc, mobile, web} link; web wins.
type Link struct {
	PC     string `json:"pc,omitempty"`
	Mobile string `json:"mobile,omitempty"`
	Web    string `json:"web,omitempty"`
}

// URL is the link a user would open: web, else mobile, else pc.
func (l *Link) URL() string {
	if l == nil {
		return ""
	}
	for _, u := range []string{l.Web, l.Mobile, l.PC} {
		if u != "" {
			return u
		}
	}
	return ""
}

// ListCard is the listCard component.
type ListCard struct {
	Header       ListItem   `json:"header"`
	Items        []ListItem `json:"items"`
	Buttons      []Button   `json:"buttons,omitempty"`
	ButtonLayout string     `json:"buttonLayout,omitempty"`
}

// ListItem is a listCard header or item.
type ListItem struct {
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	ImageURL    string         `json:"imageUrl,omitempty"`
	Link        *Link          `json:"link,omitempty"`
	Action      string         `json:"action,omitempty"` // "block" | "message"
	BlockID     string         `json:"blockId,omitempty"`
	MessageText string         `json:"messageText,omitempty"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// ItemCard is the itemCard component.
type ItemCard struct {
	Thumbnail         *Thumbnail     `json:"thumbnail,omitempty"`
	Head              *TitleOnly     `json:"head,omitempty"`
	Profile           *ItemProfile   `json:"profile,omitempty"`
	ImageTitle        *ImageTitle    `json:"imageTitle,omitempty"`
	ItemList          []ItemListPair `json:"itemList"`
	ItemListAlignment string         `json:"itemListAlignment,omitempty"`
	ItemListSummary   *ItemListPair  `json:"itemListSummary,omitempty"`
	Title             string         `json:"title,omitempty"`
	Description       string         `json:"description,omitempty"`
	Buttons           []Button       `json:"buttons,omitempty"`
	ButtonLayout      string         `json:"buttonLayout,omitempty"`
}

// TitleOnly is an itemCard head.
type TitleOnly struct {
	Title string `json:"title"`
}

// ItemProfile is an itemCard profile.
type ItemProfile struct {
	Title    string `json:"title"`
	ImageURL string `json:"imageUrl,omitempty"`
}

// ImageTitle is an itemCard imageTitle.
type ImageTitle struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	ImageURL    string `json:"imageUrl,omitempty"`
}

// ItemListPair is one itemCard itemList row or the summary.
type ItemListPair struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Carousel is the carousel component; Items hold cards of Type.
type Carousel struct {
	Type   string          `json:"type"`
	Header *CarouselHeader `json:"header,omitempty"`
	Items  []Output        `json:"-"`
}

// CarouselHeader is a carousel's header card.
type CarouselHeader struct {
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Thumbnail   *Thumbnail `json:"thumbnail,omitempty"`
}

// Button is a card button (spec §3.6).
type Button struct {
	Label       string         `json:"label"`
	Action      string         `json:"action"`
	WebLinkURL  string         `json:"webLinkUrl,omitempty"`
	MessageText string         `json:"messageText,omitempty"`
	PhoneNumber string         `json:"phoneNumber,omitempty"`
	BlockID     string         `json:"blockId,omitempty"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// QuickReply is a quick reply chip (spec §3.7).
type QuickReply struct {
	Label       string         `json:"label"`
	Action      string         `json:"action"`
	MessageText string         `json:"messageText,omitempty"`
	BlockID     string         `json:"blockId,omitempty"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// Decode parses a SkillResponse body. A body that is not a JSON object
// returns an error wrapping ErrInvalidJSON. Fields of the wrong type keep
// their zero value and are reported in problems, together with a body over
// MaxResponseBytes (Kakao does not answer the turn) and whatever Check
// finds; decoding goes on so the rest can still be shown.
func Decode(body []byte) (r *Response, problems []string, err error) {
	var top struct {
		Version  json.RawMessage `json:"version"`
		Template *struct {
			Outputs      []map[string]json.RawMessage `json:"outputs"`
			QuickReplies []json.RawMessage            `json:"quickReplies"`
		} `json:"template"`
		Context     json.RawMessage `json:"context"`
		Data        json.RawMessage `json:"data"`
		UseCallback json.RawMessage `json:"useCallback"`
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, nil, fmt.Errorf("%w: body is not a JSON object", ErrInvalidJSON)
	}
	d := &decoder{}
	if len(body) > MaxResponseBytes {
		d.problems = append(d.problems, fmt.Sprintf("response: %d bytes, want at most %d (30 KB): Kakao does not answer a larger one", len(body), MaxResponseBytes))
	}
	if err := json.Unmarshal(body, &top); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
		d.problem("response", err)
	}
	r = &Response{Context: top.Context}
	d.field("version", top.Version, &r.Version)
	d.field("data", top.Data, &r.Data)
	d.field("useCallback", top.UseCallback, &r.UseCallback)
	if top.Template != nil {
		r.Template = &Template{}
		for i, raw := range top.Template.Outputs {
			r.Template.Outputs = append(r.Template.Outputs, d.output(fmt.Sprintf("outputs[%d]", i), raw))
		}
		for i, raw := range top.Template.QuickReplies {
			var q QuickReply
			d.field(fmt.Sprintf("quickReplies[%d]", i), raw, &q)
			r.Template.QuickReplies = append(r.Template.QuickReplies, q)
		}
	}
	return r, append(d.problems, Check(r)...), nil
}

// decoder collects type problems while decoding piece by piece.
type decoder struct{ problems []string }

func (d *decoder) problem(where string, err error) {
	d.problems = append(d.problems, fmt.Sprintf("%s: %v", where, err))
}

// field decodes raw into v when present; a type mismatch is a problem.
func (d *decoder) field(where string, raw json.RawMessage, v any) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		d.problem(where, err)
	}
}

var componentKinds = []string{"simpleText", "simpleImage", "textCard", "basicCard", "commerceCard", "listCard", "itemCard", "carousel"}

// output decodes one {"<kind>": {...}} object.
func (d *decoder) output(where string, raw map[string]json.RawMessage) Output {
	if len(raw) != 1 {
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d.problems = append(d.problems, fmt.Sprintf("%s: want exactly one component key, got %q", where, keys))
	}
	// Take the first known key in a fixed order, so output is deterministic.
	for _, kind := range componentKinds {
		if body, ok := raw[kind]; ok {
			return d.component(where+"."+kind, kind, body)
		}
	}
	for k := range raw {
		return Output{Kind: k}
	}
	return Output{}
}

func (d *decoder) component(where, kind string, body json.RawMessage) Output {
	o := Output{Kind: kind}
	switch kind {
	case "simpleText":
		o.SimpleText = &SimpleText{}
		d.field(where, body, o.SimpleText)
	case "simpleImage":
		o.SimpleImage = &SimpleImage{}
		d.field(where, body, o.SimpleImage)
	case "textCard":
		o.TextCard = &Card{}
		d.field(where, body, o.TextCard)
	case "basicCard":
		o.BasicCard = &Card{}
		d.field(where, body, o.BasicCard)
	case "commerceCard":
		o.CommerceCard = &Card{}
		d.field(where, body, o.CommerceCard)
	case "listCard":
		o.ListCard = &ListCard{}
		d.field(where, body, o.ListCard)
	case "itemCard":
		o.ItemCard = &ItemCard{}
		d.field(where, body, o.ItemCard)
	case "carousel":
		o.Carousel = d.carousel(where, body)
	}
	return o
}

func (d *decoder) carousel(where string, body json.RawMessage) *Carousel {
	var raw struct {
		Type   string            `json:"type"`
		Header *CarouselHeader   `json:"header"`
		Items  []json.RawMessage `json:"items"`
	}
	d.field(where, body, &raw)
	c := &Carousel{Type: raw.Type, Header: raw.Header}
	if !slices.Contains(componentKinds, raw.Type) || raw.Type == "simpleText" || raw.Type == "simpleImage" || raw.Type == "carousel" {
		d.problems = append(d.problems, fmt.Sprintf("%s: unknown carousel type %q", where, raw.Type))
		return c
	}
	for i, item := range raw.Items {
		c.Items = append(c.Items, d.component(fmt.Sprintf("%s.items[%d]", where, i), raw.Type, item))
	}
	return c
}
