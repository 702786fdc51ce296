package openbuilder

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Markers printed for taps that open something on the user's phone
// instead of sending a turn. Kakao's own wording where there is one.
const (
	MarkLink     = "[링크]"
	MarkPhone    = "[전화]"
	MarkOperator = "[상담원 연결]"
	MarkShare    = "[공유]"
	MarkImage    = "[이미지]"
)

// ChoiceKind is where a numbered choice came from.
type ChoiceKind int

// Choice kinds; the triggers of their taps differ.
const (
	ChoiceButton     ChoiceKind = iota // a card button
	ChoiceListItem                     // a listCard item with an action or link
	ChoiceQuickReply                   // a quick reply chip
)

// Choice is one numbered thing the user can tap in an answer.
type Choice struct {
	N           int // 1-based, in display order
	Kind        ChoiceKind
	Label       string
	Action      string // message, block, webLink, phone, operator, share
	MessageText string
	BlockID     string
	URL         string // webLink (or a list item's link)
	Phone       string
	Extra       map[string]any
}

// Tap returns what tapping c does: the Turn sent to the skill (nil when
// nothing is sent) and a note to print for what happens on the phone
// instead (a link opens, the dialler or the consultation starts). A
// message tap sends messageText (or the label) with the extra as
// clientExtra to the fallback block, as free text reaching Baton does; a
// block tap goes to blockId (Block.Name is left empty: only Open Builder
// knows it; Conversation fills in names it knows). referrer is the block
// that produced the bubble.
func (c Choice) Tap(referrer *Block) (*Turn, string) {
	switch c.Action {
	case "webLink":
		return nil, fmt.Sprintf("%s %s → %s", MarkLink, c.Label, c.URL)
	case "phone":
		return nil, fmt.Sprintf("%s %s → %s", MarkPhone, c.Label, c.Phone)
	case "operator":
		return nil, MarkOperator
	case "share":
		return nil, fmt.Sprintf("%s %s", MarkShare, c.Label)
	case "message", "block":
	default:
		return nil, fmt.Sprintf("(%s: action %q does nothing here)", c.Label, c.Action)
	}
	utterance := c.MessageText
	if utterance == "" || (c.Kind == ChoiceListItem && c.Action == "block") {
		utterance = c.Label
	}
	t := &Turn{Block: FallbackBlock, Utterance: utterance, ClientExtra: c.Extra, Referrer: referrer}
	if c.Action == "block" {
		t.Block = Block{ID: c.BlockID}
	}
	t.Trigger = c.trigger()
	return t, ""
}

// trigger is flow.trigger.type of tapping c.
func (c Choice) trigger() string {
	block := c.Action == "block"
	switch c.Kind {
	case ChoiceListItem:
		return pick(block, TriggerListItemBlock, TriggerListItemMessage)
	case ChoiceQuickReply:
		return pick(block, TriggerQuickReplyBlock, TriggerQuickReplyMessage)
	}
	return pick(block, TriggerCardButtonBlock, TriggerCardButtonMessage)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// Render writes r for a terminal and numbers everything tappable in one
// sequence: card buttons and list items in the order they appear, then
// the quick replies (`[3] 배송 조회  [4] 처음으로`). Cards are boxed with
// their kind and title on the first line; carousel cards are labelled
// (1/3) and so on. The output is deterministic and ends with a newline
// unless it is empty.
func Render(r *Response) (string, []Choice) {
	p := &printer{}
	if r == nil {
		return "", nil
	}
	if r.UseCallback {
		text, _ := r.Data["text"].(string)
		if text != "" {
			p.line(text)
		}
		p.line("(useCallback: the answer arrives later through callbackUrl)")
		return p.String(), nil
	}
	if r.Template != nil {
		for _, o := range r.Template.Outputs {
			p.output(o, "")
		}
		p.quickReplies(r.Template.QuickReplies)
	}
	if r.Data != nil {
		b, _ := json.Marshal(r.Data)
		p.line("(data) " + string(b))
	}
	return p.String(), p.choices
}

type printer struct {
	strings.Builder
	choices []Choice
}

func (p *printer) line(s string) {
	p.WriteString(s)
	p.WriteByte('\n')
}

// boxed writes each line of text with the box's left border.
func (p *printer) boxed(text string) {
	if text == "" {
		return
	}
	for l := range strings.SplitSeq(text, "\n") {
		p.line("│ " + l)
	}
}

func (p *printer) add(c Choice) int {
	c.N = len(p.choices) + 1
	p.choices = append(p.choices, c)
	return c.N
}

// output renders one bubble; pos is "(i/n)" inside a carousel.
func (p *printer) output(o Output, pos string) {
	head := func(kind, title string) {
		h := "┌─ " + kind
		if pos != "" {
			h += " " + pos
		}
		if title != "" {
			h += ": " + title
		}
		p.line(h)
	}
	switch {
	case o.SimpleText != nil:
		p.line(o.SimpleText.Text)
	case o.SimpleImage != nil:
		p.line(strings.TrimSpace(MarkImage + " " + o.SimpleImage.AltText + " " + o.SimpleImage.ImageURL))
	case o.TextCard != nil:
		head("textCard", o.TextCard.Title)
		p.boxed(o.TextCard.Description)
		p.buttons(o.TextCard.Buttons)
		p.line("└─")
	case o.BasicCard != nil:
		c := o.BasicCard
		head("basicCard", c.Title)
		if c.Thumbnail != nil {
			p.boxed(MarkImage + " " + c.Thumbnail.ImageURL)
		}
		p.boxed(c.Description)
		p.buttons(c.Buttons)
		p.line("└─")
	case o.CommerceCard != nil:
		p.commerce(o.CommerceCard, head)
	case o.ListCard != nil:
		p.list(o.ListCard, head)
	case o.ItemCard != nil:
		p.item(o.ItemCard, head)
	case o.Carousel != nil:
		p.carousel(o.Carousel)
	default:
		p.line(fmt.Sprintf("(unknown component %q)", o.Kind))
	}
}

func (p *printer) commerce(c *Card, head func(kind, title string)) {
	head("commerceCard", c.Title)
	for _, t := range c.Thumbnails {
		p.boxed(MarkImage + " " + t.ImageURL)
	}
	if c.Profile != nil && c.Profile.Nickname != "" {
		p.boxed(c.Profile.Nickname)
	}
	p.boxed(c.Description)
	if c.Price != nil {
		p.boxed(priceLine(c))
	}
	p.buttons(c.Buttons)
	p.line("└─")
}

// priceLine shows the price, and the discounted price when there is one:
// discountedPrice (either spelling) wins, else price minus discount.
func priceLine(c *Card) string {
	price := *c.Price
	final := price
	switch {
	case c.DiscountedPrice != nil:
		final = *c.DiscountedPrice
	case c.DicountedPrice != nil:
		final = *c.DicountedPrice
	case c.Discount != nil:
		final = price - *c.Discount
	}
	if final == price {
		return won(price)
	}
	off := won(price-final) + " 할인"
	if c.DiscountRate != nil {
		off = strconv.FormatInt(*c.DiscountRate, 10) + "% 할인"
	}
	return fmt.Sprintf("%s → %s (%s)", won(price), won(final), off)
}

// won formats an amount the Korean way: 12000 → "12,000원".
func won(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + "원"
	}
	return b.String() + "원"
}

func (p *printer) list(c *ListCard, head func(kind, title string)) {
	head("listCard", c.Header.Title)
	for _, it := range c.Items {
		text := it.Title
		if it.Description != "" {
			text += " — " + it.Description
		}
		switch {
		case it.Action == "message" || it.Action == "block":
			n := p.add(Choice{Kind: ChoiceListItem, Label: it.Title, Action: it.Action,
				MessageText: it.MessageText, BlockID: it.BlockID, Extra: it.Extra})
			p.boxed(fmt.Sprintf("[%d] %s", n, text))
		case it.Link.URL() != "":
			n := p.add(Choice{Kind: ChoiceListItem, Label: it.Title, Action: "webLink", URL: it.Link.URL()})
			p.boxed(fmt.Sprintf("[%d] %s ↗ %s", n, text, it.Link.URL()))
		default:
			p.boxed("• " + text)
		}
	}
	p.buttons(c.Buttons)
	p.line("└─")
}

func (p *printer) item(c *ItemCard, head func(kind, title string)) {
	title := ""
	switch {
	case c.Head != nil:
		title = c.Head.Title
	case c.Profile != nil:
		title = c.Profile.Title
	}
	head("itemCard", title)
	if c.Thumbnail != nil {
		p.boxed(MarkImage + " " + c.Thumbnail.ImageURL)
	}
	if c.ImageTitle != nil {
		p.boxed(joinNonEmpty(" — ", c.ImageTitle.Title, c.ImageTitle.Description))
	}
	for _, it := range c.ItemList {
		p.boxed(it.Title + "  " + it.Description)
	}
	if s := c.ItemListSummary; s != nil {
		p.boxed("──")
		p.boxed(s.Title + "  " + s.Description)
	}
	p.boxed(joinNonEmpty("\n", c.Title, c.Description))
	p.buttons(c.Buttons)
	p.line("└─")
}

func (p *printer) carousel(c *Carousel) {
	p.line(fmt.Sprintf("carousel: %d × %s", len(c.Items), c.Type))
	if h := c.Header; h != nil {
		p.line("  " + joinNonEmpty(" — ", h.Title, h.Description))
	}
	for i, item := range c.Items {
		p.output(item, fmt.Sprintf("(%d/%d)", i+1, len(c.Items)))
	}
}

func (p *printer) buttons(bs []Button) {
	for _, b := range bs {
		c := Choice{Kind: ChoiceButton, Label: b.Label, Action: b.Action, MessageText: b.MessageText,
			BlockID: b.BlockID, URL: b.WebLinkURL, Phone: b.PhoneNumber, Extra: b.Extra}
		n := p.add(c)
		p.boxed(fmt.Sprintf("[%d] %s", n, describe(c)))
	}
}

// describe is a button's label plus what it does when that is not simply
// sending the label.
func describe(c Choice) string {
	switch c.Action {
	case "message":
		if c.MessageText != "" && c.MessageText != c.Label {
			return fmt.Sprintf("%s (→ %s)", c.Label, c.MessageText)
		}
		return c.Label
	case "block":
		return fmt.Sprintf("%s (블록 %s)", c.Label, c.BlockID)
	case "webLink":
		return c.Label + " ↗ " + c.URL
	case "phone":
		return c.Label + " ☎ " + c.Phone
	case "operator":
		return c.Label + " " + MarkOperator
	case "share":
		return c.Label + " " + MarkShare
	}
	return fmt.Sprintf("%s (%s)", c.Label, c.Action)
}

func (p *printer) quickReplies(qs []QuickReply) {
	if len(qs) == 0 {
		return
	}
	parts := make([]string, 0, len(qs))
	for _, q := range qs {
		n := p.add(Choice{Kind: ChoiceQuickReply, Label: q.Label, Action: q.Action,
			MessageText: q.MessageText, BlockID: q.BlockID, Extra: q.Extra})
		parts = append(parts, fmt.Sprintf("[%d] %s", n, q.Label))
	}
	p.line(strings.Join(parts, "  "))
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
