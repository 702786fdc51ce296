package skill

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/baton-chat/baton/configs"
)

// Field limits in runes (spec §3.4–§3.8).
const (
	maxAltText                 = 50
	maxTextCardTitle           = 50
	maxTextCardDescCarousel    = 128
	maxBasicCardTitle          = 50
	maxBasicCardDescription    = 230
	maxCommerceTitle           = 30
	maxCommerceDescription     = 40
	maxListItems               = 5
	maxListItemsCarousel       = 4
	maxCarouselItems           = 10
	maxListCardCarouselItems   = 5
	maxItemList                = 10
	maxItemListCarousel        = 5
	maxItemTitle               = 6
	maxItemProfileTitle        = 15
	maxItemSummaryTitle        = 6
	maxItemSummaryDescription  = 14
	maxItemCardText            = 200
	maxItemCardTextCarousel    = 100
	maxHorizontalButtons       = 2
	maxVerticalButtons         = 3
	maxDiscountRate            = 100
	maxGenericText             = 1000 // fields with no documented limit
	currencyWon                = "won"
	layoutVertical             = "vertical"
	layoutHorizontal           = "horizontal"
	alignLeft, alignRight      = "left", "right"
	listActionBlock            = "block"
	listActionMessage          = "message"
	itemThumbWide, itemThumbSq = 2, 1 // width:height ratios allowed for itemCard thumbnails
)

// checkText checks that s has between min and max runes.
func checkText(field, s string, min, max int) error {
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return invalid("%s is empty", field)
		}
		return invalid("%s has %d runes, want at least %d", field, n, min)
	}
	if n > max {
		return invalid("%s has %d runes, want at most %d", field, n, max)
	}
	return nil
}

// checkURL accepts an absolute http or https URL with a host, by the rule
// the config loader applies too (configs.CheckLinkURL).
func checkURL(field, s string) error {
	if err := configs.CheckLinkURL(s); err != nil {
		return fmt.Errorf("%w: %s %w", ErrInvalidResponse, field, err)
	}
	return nil
}

// Link is a {pc, mobile, web} link; web wins over pc/mobile in KakaoTalk.
// At least one must be set, each an absolute http(s) URL.
type Link struct {
	PC     string `json:"pc,omitempty"`
	Mobile string `json:"mobile,omitempty"`
	Web    string `json:"web,omitempty"`
}

func checkLink(field string, l *Link) error {
	if l == nil {
		return nil
	}
	if l.PC == "" && l.Mobile == "" && l.Web == "" {
		return invalid("%s: empty link", field)
	}
	for _, u := range []struct{ name, v string }{{"pc", l.PC}, {"mobile", l.Mobile}, {"web", l.Web}} {
		if u.v == "" {
			continue
		}
		if err := checkURL(field+"."+u.name, u.v); err != nil {
			return err
		}
	}
	return nil
}

func copyLink(l *Link) *Link {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

// Thumbnail is a card image (spec §3.5). FixedRatio true shows it 1:1 and
// lays buttons out horizontally unless the card's ButtonLayout says otherwise.
type Thumbnail struct {
	ImageURL   string `json:"imageUrl"`
	AltText    string `json:"altText,omitempty"`
	Link       *Link  `json:"link,omitempty"`
	FixedRatio bool   `json:"fixedRatio,omitempty"`
}

func checkThumbnail(field string, t Thumbnail) error {
	if err := checkURL(field+".imageUrl", t.ImageURL); err != nil {
		return err
	}
	if err := checkText(field+".altText", t.AltText, 0, maxAltText); err != nil {
		return err
	}
	return checkLink(field+".link", t.Link)
}

func (t Thumbnail) clone() Thumbnail {
	t.Link = copyLink(t.Link)
	return t
}

// ButtonLayout arranges a card's buttons. The empty value lets Kakao decide:
// horizontal under a fixedRatio (1:1) thumbnail, vertical otherwise.
type ButtonLayout string

// Button layouts.
const (
	LayoutDefault    ButtonLayout = ""
	LayoutVertical   ButtonLayout = layoutVertical
	LayoutHorizontal ButtonLayout = layoutHorizontal
)

// Button is a card button (spec §3.6), built by WebLinkButton,
// MessageButton, PhoneButton, BlockButton, ShareButton or OperatorButton.
type Button struct {
	w  buttonWire
	ok bool
}

type buttonWire struct {
	Label       string          `json:"label"`
	Action      string          `json:"action"`
	WebLinkURL  string          `json:"webLinkUrl,omitempty"`
	MessageText string          `json:"messageText,omitempty"`
	PhoneNumber string          `json:"phoneNumber,omitempty"`
	BlockID     string          `json:"blockId,omitempty"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

func newButton(w buttonWire) (Button, error) {
	if err := checkNotBlank("button label", w.Label); err != nil {
		return Button{}, err
	}
	if err := checkText("button label", w.Label, 1, MaxButtonLabel); err != nil {
		return Button{}, err
	}
	return Button{w: w, ok: true}, nil
}

// WebLinkButton opens rawURL (absolute http/https). Errors wrap
// ErrInvalidResponse: empty or over-long label, bad URL.
func WebLinkButton(label, rawURL string) (Button, error) {
	if err := checkURL("button "+label+" webLinkUrl", rawURL); err != nil {
		return Button{}, err
	}
	return newButton(buttonWire{Label: label, Action: "webLink", WebLinkURL: rawURL})
}

// MessageButton sends messageText (label when empty) as the user's
// utterance with extra as the next action.clientExtra. Errors wrap
// ErrInvalidResponse: bad label, over-long text, extra not a JSON object.
func MessageButton(label, messageText string, extra any) (Button, error) {
	if strings.TrimSpace(messageText) == "" {
		messageText = label
	}
	return actionButton(label, "message", messageText, "", extra)
}

// BlockButton forces blockID; messageText (label when empty) is shown as
// the utterance. Errors as MessageButton, plus an empty blockID.
func BlockButton(label, blockID, messageText string, extra any) (Button, error) {
	if strings.TrimSpace(blockID) == "" {
		return Button{}, invalid("button %q: block action without blockId", label)
	}
	if strings.TrimSpace(messageText) == "" {
		messageText = label
	}
	return actionButton(label, "block", messageText, blockID, extra)
}

func actionButton(label, action, text, blockID string, extra any) (Button, error) {
	if err := checkText("button messageText", text, 1, MaxSimpleText); err != nil {
		return Button{}, err
	}
	raw, err := marshalObject(extra)
	if err != nil {
		return Button{}, fmt.Errorf("button %q extra: %w", label, err)
	}
	return newButton(buttonWire{Label: label, Action: action, MessageText: text, BlockID: blockID, Extra: raw})
}

// PhoneButton dials number (digits with optional +, -, spaces, parentheses;
// hidden on PC KakaoTalk). Errors wrap ErrInvalidResponse.
func PhoneButton(label, number string) (Button, error) {
	digits := 0
	for _, r := range number {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() ", r):
		default:
			return Button{}, invalid("button %q: phone number %q has %q", label, number, r)
		}
	}
	if digits < 3 || len(number) > 30 {
		return Button{}, invalid("button %q: phone number %q is not a phone number", label, number)
	}
	return newButton(buttonWire{Label: label, Action: "phone", PhoneNumber: number})
}

// ShareButton shares the bubble. Errors wrap ErrInvalidResponse (bad label).
func ShareButton(label string) (Button, error) {
	return newButton(buttonWire{Label: label, Action: "share"})
}

// OperatorButton opens the 상담 연결 plugin (1:1 chat or 상담톡, as the
// channel is set up). Errors wrap ErrInvalidResponse (bad label).
func OperatorButton(label string) (Button, error) {
	return newButton(buttonWire{Label: label, Action: "operator"})
}

// buttonsWire validates a card's buttons against the layout and returns
// their wire form. fixedRatio is the card thumbnail's fixedRatio.
func buttonsWire(field string, bs []Button, layout ButtonLayout, fixedRatio bool) ([]buttonWire, error) {
	if err := checkLayout(field, layout); err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, nil
	}
	out := make([]buttonWire, len(bs))
	for i, b := range bs {
		if !b.ok {
			return nil, invalid("%s button %d was not built with a constructor", field, i)
		}
		out[i] = b.w
	}
	return out, checkButtonWires(field, out, layout, fixedRatio)
}

func checkLayout(field string, layout ButtonLayout) error {
	switch layout {
	case LayoutDefault, LayoutVertical, LayoutHorizontal:
		return nil
	}
	return invalid("%s: unknown buttonLayout %q", field, layout)
}

// checkButtonWires applies the count and label limits of §3.6.
func checkButtonWires(field string, bs []buttonWire, layout ButtonLayout, fixedRatio bool) error {
	horizontal := layout == LayoutHorizontal || (layout == LayoutDefault && fixedRatio)
	max := maxVerticalButtons
	if horizontal {
		max = maxHorizontalButtons
	}
	if len(bs) > max {
		return invalid("%s: %d buttons, want at most %d", field, len(bs), max)
	}
	labelMax := MaxButtonLabel
	if horizontal && len(bs) == 2 {
		labelMax = MaxPairedButtonLabel
	}
	for i, b := range bs {
		// The field's name is formatted only for the error.
		if n := utf8.RuneCountInString(b.Label); n < 1 || n > labelMax {
			return checkText(fmt.Sprintf("%s button %d label", field, i), b.Label, 1, labelMax)
		}
	}
	return nil
}
