package openbuilder

import "fmt"

// Kakao's structural limits that Check enforces (spec §3.4, §3.8), and the
// response size that Decode enforces.
const (
	MaxOutputs       = 3
	MaxQuickReplies  = 10
	MaxCarouselItems = 10
	MaxCardButtons   = 3
	MaxListItems     = 5
	// MaxCarouselListCards is the most listCards a carousel holds.
	MaxCarouselListCards = 5
	// MaxCarouselListItems is the most items of a listCard inside a
	// carousel.
	MaxCarouselListItems = 4
	// MaxResponseBytes is the largest response body Kakao answers a turn
	// with: 30 KB.
	MaxResponseBytes = 30 * 1024
)

// Check reports the ways r breaks Kakao's structural rules: version,
// output and quick-reply counts, unknown components, carousel and listCard
// item counts (lower inside a carousel), buttons, list items and quick
// replies missing what their action needs (a message action's messageText:
// the spec's field table requires it, and Baton always sends it) or with an
// unknown action. It
// does not count characters (that is the skill package's job) nor bytes
// (Decode does, on the body); it catches what would make Open Builder drop
// the answer. The result is nil for a clean response.
func Check(r *Response) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if r.Version != "2.0" {
		add("version: got %q, want \"2.0\"", r.Version)
	}
	if r.UseCallback {
		return p
	}
	if r.Template == nil {
		if r.Data == nil {
			add("template: missing")
		}
		return p
	}
	switch n := len(r.Template.Outputs); {
	case n == 0:
		add("outputs: empty (allowed only to suppress an event block message)")
	case n > MaxOutputs:
		add("outputs: got %d, want at most %d", n, MaxOutputs)
	}
	if n := len(r.Template.QuickReplies); n > MaxQuickReplies {
		add("quickReplies: got %d, want at most %d", n, MaxQuickReplies)
	}
	for i, o := range r.Template.Outputs {
		p = append(p, checkOutput(fmt.Sprintf("outputs[%d]", i), o, false)...)
	}
	for i, q := range r.Template.QuickReplies {
		where := fmt.Sprintf("quickReplies[%d]", i)
		if q.Label == "" {
			add("%s: empty label", where)
		}
		if problem := checkChoice(where, q.Action, q.MessageText, q.BlockID); problem != "" {
			p = append(p, problem)
		}
	}
	return p
}

// checkChoice checks the action of a quick reply or a list item: "message"
// needs its messageText, "block" its blockId, and no other action exists.
// It returns the problem, or "" for none.
func checkChoice(where, action, messageText, blockID string) string {
	switch action {
	case "message":
		if messageText == "" {
			return where + ": message action without messageText"
		}
	case "block":
		if blockID == "" {
			return where + ": block action without blockId"
		}
	default:
		return fmt.Sprintf("%s: unknown action %q", where, action)
	}
	return ""
}

// checkOutput checks one output; inCarousel is set for a carousel's item,
// whose limits are lower.
func checkOutput(where string, o Output, inCarousel bool) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	switch {
	case o.SimpleText != nil:
		if o.SimpleText.Text == "" {
			add("%s.simpleText: empty text", where)
		}
	case o.SimpleImage != nil:
		if o.SimpleImage.ImageURL == "" {
			add("%s.simpleImage: empty imageUrl", where)
		}
	case o.TextCard != nil:
		if o.TextCard.Title == "" && o.TextCard.Description == "" {
			add("%s.textCard: neither title nor description", where)
		}
		p = append(p, checkButtons(where+".textCard", o.TextCard.Buttons)...)
	case o.BasicCard != nil:
		if o.BasicCard.Thumbnail == nil {
			add("%s.basicCard: thumbnail missing", where)
		}
		p = append(p, checkButtons(where+".basicCard", o.BasicCard.Buttons)...)
	case o.CommerceCard != nil:
		if o.CommerceCard.Price == nil {
			add("%s.commerceCard: price missing", where)
		}
		if len(o.CommerceCard.Thumbnails) != 1 {
			add("%s.commerceCard: got %d thumbnails, want 1", where, len(o.CommerceCard.Thumbnails))
		}
		p = append(p, checkButtons(where+".commerceCard", o.CommerceCard.Buttons)...)
	case o.ListCard != nil:
		if o.ListCard.Header.Title == "" {
			add("%s.listCard: header title missing", where)
		}
		switch n := len(o.ListCard.Items); {
		case inCarousel && (n == 0 || n > MaxCarouselListItems):
			add("%s.listCard: got %d items, want 1 to %d inside a carousel", where, n, MaxCarouselListItems)
		case n == 0 || n > MaxListItems:
			add("%s.listCard: got %d items, want 1 to %d", where, n, MaxListItems)
		}
		for i, it := range o.ListCard.Items {
			if it.Action == "" {
				continue // a link or plain item
			}
			w := fmt.Sprintf("%s.listCard.items[%d]", where, i)
			if problem := checkChoice(w, it.Action, it.MessageText, it.BlockID); problem != "" {
				p = append(p, problem)
			}
		}
		p = append(p, checkButtons(where+".listCard", o.ListCard.Buttons)...)
	case o.ItemCard != nil:
		if len(o.ItemCard.ItemList) == 0 {
			add("%s.itemCard: itemList missing", where)
		}
		p = append(p, checkButtons(where+".itemCard", o.ItemCard.Buttons)...)
	case o.Carousel != nil:
		most, of := MaxCarouselItems, ""
		if o.Carousel.Type == "listCard" {
			most, of = MaxCarouselListCards, " in a listCard carousel"
		}
		if n := len(o.Carousel.Items); n == 0 || n > most {
			add("%s.carousel: got %d items, want 1 to %d%s", where, n, most, of)
		}
		for i, item := range o.Carousel.Items {
			p = append(p, checkOutput(fmt.Sprintf("%s.carousel.items[%d]", where, i), item, true)...)
		}
	default:
		add("%s: unknown component %q", where, o.Kind)
	}
	return p
}

func checkButtons(where string, bs []Button) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if len(bs) > MaxCardButtons {
		add("%s: got %d buttons, want at most %d", where, len(bs), MaxCardButtons)
	}
	for i, b := range bs {
		w := fmt.Sprintf("%s.buttons[%d]", where, i)
		if b.Label == "" {
			add("%s: empty label", w)
		}
		switch b.Action {
		case "operator", "share":
		case "message":
			if b.MessageText == "" {
				add("%s: message without messageText", w)
			}
		case "webLink":
			if b.WebLinkURL == "" {
				add("%s: webLink without webLinkUrl", w)
			}
		case "phone":
			if b.PhoneNumber == "" {
				add("%s: phone without phoneNumber", w)
			}
		case "block":
			if b.BlockID == "" {
				add("%s: block without blockId", w)
			}
		default:
			add("%s: unknown action %q", w, b.Action)
		}
	}
	return p
}
