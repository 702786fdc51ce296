package skill

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// ErrInvalidResponse is wrapped by every error a builder or Response.Marshal
// returns: the requested bubble would break a limit of the spec (§3.8).
var ErrInvalidResponse = errors.New("skill: invalid response")

// Limits the builders enforce (spec §3.8). Where the spec documents no limit
// the builders are conservative (quick reply label, response size margin).
const (
	// MaxOutputs is the most bubbles one response may carry.
	MaxOutputs = 3
	// MaxQuickReplies is the most quick replies one response may carry.
	MaxQuickReplies = 10
	// MaxResponseBytes is the builders' size budget for a marshalled
	// response, deliberately below Kakao's 30 KB.
	MaxResponseBytes = 28000
	// MaxSimpleText is the simpleText limit in runes.
	MaxSimpleText = 1000
	// MaxButtonLabel is the button label limit in runes (8 when two buttons
	// sit side by side).
	MaxButtonLabel = 14
	// MaxPairedButtonLabel is the label limit of two horizontal buttons.
	MaxPairedButtonLabel = 8
	// MaxQuickReplyLabel is Baton's conservative quick reply label limit
	// (Kakao documents none).
	MaxQuickReplyLabel = 14
	// MaxTextCardDescription is the single textCard limit for title+description.
	MaxTextCardDescription = 400
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidResponse, fmt.Sprintf(format, args...))
}

// Component is one bubble of template.outputs: a SimpleText, SimpleImage,
// TextCard, BasicCard, CommerceCard, ListCard, ItemCard or Carousel, each
// obtained from its New... constructor. The interface is sealed.
type Component interface {
	// key is the output's single component key ("simpleText", ...).
	key() string
	// wire is the JSON body written under key.
	wire() any
	// check re-validates the component (a zero value fails).
	check(inCarousel bool) error
}

// nilComponent reports whether c is nil or a nil pointer of a component
// type ((*SimpleText)(nil)): its value-receiver methods would panic.
func nilComponent(c Component) bool {
	if c == nil {
		return true
	}
	v := reflect.ValueOf(c)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// CarouselCard is a card that may sit in a Carousel: TextCard, BasicCard,
// CommerceCard, ListCard or ItemCard.
type CarouselCard interface {
	Component
	carouselCard()
}

// Response is a normal SkillResponse: 1–3 outputs, up to 10 quick replies,
// optional context and data. Its parts come from validating constructors;
// Marshal re-checks the whole response, so an invalid bubble is never
// produced. A zero-output response is impossible here: use Suppress for
// event blocks and CallbackResponse for useCallback.
type Response struct {
	Outputs      []Component
	QuickReplies []QuickReply
	Context      []ContextValue
	// Data is the optional top-level "data" object (a map or struct that
	// marshals to a JSON object), usable as {{#webhook.*}} in admin bubbles.
	Data any
	// Group renders for a group (team-chat) bot: quick replies are dropped,
	// and carousels and commerceCards are rejected (unsupported there).
	Group bool
}

type responseWire struct {
	Version     string          `json:"version"`
	Template    *templateWire   `json:"template,omitempty"`
	Context     *contextWire    `json:"context,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	UseCallback bool            `json:"useCallback,omitempty"`
}

type templateWire struct {
	Outputs      []outputWire     `json:"outputs"`
	QuickReplies []quickReplyWire `json:"quickReplies,omitempty"`
}

// outputWire has exactly one non-nil field.
type outputWire struct {
	SimpleText   any `json:"simpleText,omitempty"`
	SimpleImage  any `json:"simpleImage,omitempty"`
	TextCard     any `json:"textCard,omitempty"`
	BasicCard    any `json:"basicCard,omitempty"`
	CommerceCard any `json:"commerceCard,omitempty"`
	ListCard     any `json:"listCard,omitempty"`
	ItemCard     any `json:"itemCard,omitempty"`
	Carousel     any `json:"carousel,omitempty"`
}

func newOutput(c Component) (outputWire, error) {
	var o outputWire
	w := c.wire()
	switch c.key() {
	case "simpleText":
		o.SimpleText = w
	case "simpleImage":
		o.SimpleImage = w
	case "textCard":
		o.TextCard = w
	case "basicCard":
		o.BasicCard = w
	case "commerceCard":
		o.CommerceCard = w
	case "listCard":
		o.ListCard = w
	case "itemCard":
		o.ItemCard = w
	case "carousel":
		o.Carousel = w
	default:
		return o, invalid("unknown component %q", c.key())
	}
	return o, nil
}

type contextWire struct {
	Values []contextValueWire `json:"values"`
}

// Marshal validates the whole response and returns its JSON. It returns an
// error wrapping ErrInvalidResponse when there are not 1–3 outputs, more
// than 10 quick replies, a zero-value or otherwise invalid part, a group
// response with a carousel or commerceCard, Data that is not a JSON object,
// or a marshalled size over MaxResponseBytes.
func (r Response) Marshal() ([]byte, error) {
	b, e, err := r.marshalPooled()
	if err != nil {
		return nil, err
	}
	defer e.put()
	return bytes.Clone(b), nil
}

// marshalPooled is Marshal into a pooled encoder's buffer: the JSON is e's
// bytes, valid until the caller gives e back (e.put); e is nil on error.
func (r Response) marshalPooled() ([]byte, *pooledEncoder, error) {
	if n := len(r.Outputs); n < 1 || n > MaxOutputs {
		return nil, nil, invalid("%d outputs, want 1 to %d", n, MaxOutputs)
	}
	e := encoderPool.Get().(*pooledEncoder)
	if err := r.wire(e); err != nil {
		e.put()
		return nil, nil, err
	}
	b, err := e.encodeChecked()
	if err != nil {
		e.put()
		return nil, nil, err
	}
	return b, e, nil
}

// wire validates r and fills e.resp with its wire form, in e's scratch
// space. r has 1–MaxOutputs outputs.
func (r Response) wire(e *pooledEncoder) error {
	t := &e.tmpl
	t.Outputs = e.outs[:0]
	for i, c := range r.Outputs {
		if nilComponent(c) {
			return invalid("output %d is nil", i)
		}
		if err := c.check(false); err != nil {
			return fmt.Errorf("output %d: %w", i, err)
		}
		if r.Group && (c.key() == "carousel" || c.key() == "commerceCard") {
			return invalid("output %d: %s is not supported in group chats", i, c.key())
		}
		o, err := newOutput(c)
		if err != nil {
			return err
		}
		t.Outputs = append(t.Outputs, o)
	}
	if !r.Group && len(r.QuickReplies) > MaxQuickReplies {
		return invalid("%d quick replies, want at most %d", len(r.QuickReplies), MaxQuickReplies)
	}
	if !r.Group && len(r.QuickReplies) > 0 {
		t.QuickReplies = e.wquick[:0]
		for i, q := range r.QuickReplies {
			if !q.ok {
				return invalid("quick reply %d was not built with a constructor", i)
			}
			t.QuickReplies = append(t.QuickReplies, q.w)
		}
	}
	e.resp = responseWire{Version: "2.0", Template: t}
	return fillContextData(&e.resp, r.Context, r.Data)
}

func fillContextData(w *responseWire, values []ContextValue, data any) error {
	if len(values) > 0 {
		w.Context = &contextWire{}
		for i, v := range values {
			if !v.ok {
				return invalid("context value %d was not built with NewContextValue", i)
			}
			w.Context.Values = append(w.Context.Values, v.w)
		}
	}
	if data != nil {
		raw, err := marshalObject(data)
		if err != nil {
			return fmt.Errorf("data: %w", err)
		}
		w.Data = raw
	}
	return nil
}

// marshalJSON is json.Marshal without HTML escaping ("배송 > 조회" stays
// readable and short); the output is deterministic for the wire structs.
func marshalJSON(v any) ([]byte, error) {
	e := encoderPool.Get().(*pooledEncoder)
	defer e.put()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))), nil
}

// marshalChecked marshals w and checks its size, into fresh bytes.
func marshalChecked(w responseWire) ([]byte, error) {
	e := encoderPool.Get().(*pooledEncoder)
	defer e.put()
	e.resp = w
	b, err := e.encodeChecked()
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}

// encodeChecked encodes e.resp into e's buffer (empty before) and returns
// the JSON, valid until e is given back.
func (e *pooledEncoder) encodeChecked() ([]byte, error) {
	if err := e.enc.Encode(&e.resp); err != nil {
		return nil, fmt.Errorf("%w: marshal: %w", ErrInvalidResponse, err)
	}
	b := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
	if len(b) > MaxResponseBytes {
		return nil, invalid("response is %d bytes, want at most %d", len(b), MaxResponseBytes)
	}
	return b, nil
}

// marshalObject marshals v and requires a JSON object (or null → nil).
func marshalObject(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := marshalJSON(v)
	if err != nil {
		return nil, fmt.Errorf("%w: marshal: %w", ErrInvalidResponse, err)
	}
	if bytes.Equal(b, []byte("null")) {
		return nil, nil
	}
	if len(b) == 0 || b[0] != '{' {
		return nil, invalid("want a JSON object, got %.20s", b)
	}
	return b, nil
}

// CallbackResponse is the immediate answer of a callback block:
// {"version":"2.0","useCallback":true,"data":...,"context":...}. data, when
// not nil, must marshal to a JSON object (its fields can be shown in the
// waiting bubble as {{#webhook.*}}).
func CallbackResponse(data any, values ...ContextValue) ([]byte, error) {
	w := responseWire{Version: "2.0", UseCallback: true}
	if err := fillContextData(&w, values, data); err != nil {
		return nil, err
	}
	return marshalChecked(w)
}

// suppressBody is the empty-outputs response.
const suppressBody = `{"version":"2.0","template":{"outputs":[]}}`

// Suppress returns the response that sends nothing:
// {"version":"2.0","template":{"outputs":[]}}. Kakao documents it only for
// Event API (event) blocks; never answer a user turn with it. Response
// cannot produce it.
func Suppress() []byte { return []byte(suppressBody) }

// ContextValue is one entry of context.values (spec §3.3).
type ContextValue struct {
	w  contextValueWire
	ok bool
}

type contextValueWire struct {
	Name     string            `json:"name"`
	LifeSpan int               `json:"lifeSpan"`
	TTL      int               `json:"ttl,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
}

// NewContextValue builds a context value. lifeSpan is the number of turns
// left (0 deletes the context); ttl 0 omits the field. It returns an error
// wrapping ErrInvalidResponse for an empty name or a negative lifeSpan/ttl.
func NewContextValue(name string, lifeSpan, ttl int, params map[string]string) (ContextValue, error) {
	if strings.TrimSpace(name) == "" {
		return ContextValue{}, invalid("context value: blank name")
	}
	if lifeSpan < 0 || ttl < 0 {
		return ContextValue{}, invalid("context value %q: negative lifeSpan %d or ttl %d", name, lifeSpan, ttl)
	}
	w := contextValueWire{Name: name, LifeSpan: lifeSpan, TTL: ttl}
	if len(params) > 0 {
		w.Params = make(map[string]string, len(params))
		for k, v := range params {
			w.Params[k] = v
		}
	}
	return ContextValue{w: w, ok: true}, nil
}

// QuickReply is one quick reply chip (spec §3.7), built by
// MessageQuickReply or BlockQuickReply.
type QuickReply struct {
	w  quickReplyWire
	ok bool
}

type quickReplyWire struct {
	Label       string          `json:"label"`
	Action      string          `json:"action"`
	MessageText string          `json:"messageText,omitempty"`
	BlockID     string          `json:"blockId,omitempty"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

// MessageQuickReply builds a "message" quick reply: tapping it sends
// messageText (label when empty) as the user's utterance, with extra as the
// next request's action.clientExtra. It returns an error wrapping
// ErrInvalidResponse for an empty label or one over MaxQuickReplyLabel
// runes, or an extra that does not marshal to a JSON object.
func MessageQuickReply(label, messageText string, extra any) (QuickReply, error) {
	if strings.TrimSpace(messageText) == "" {
		messageText = label
	}
	return newQuickReply(label, "message", messageText, "", extra)
}

// BlockQuickReply builds a "block" quick reply that forces blockID;
// messageText (label when empty) is shown as the utterance. Errors as
// MessageQuickReply, plus an empty blockID.
func BlockQuickReply(label, blockID, messageText string, extra any) (QuickReply, error) {
	if strings.TrimSpace(blockID) == "" {
		return QuickReply{}, invalid("quick reply %q: block action without blockId", label)
	}
	if strings.TrimSpace(messageText) == "" {
		messageText = label
	}
	return newQuickReply(label, "block", messageText, blockID, extra)
}

func newQuickReply(label, action, text, blockID string, extra any) (QuickReply, error) {
	if err := checkQuickReplyTexts(label, text); err != nil {
		return QuickReply{}, err
	}
	raw, err := marshalObject(extra)
	if err != nil {
		return QuickReply{}, fmt.Errorf("quick reply %q extra: %w", label, err)
	}
	return QuickReply{w: quickReplyWire{Label: label, Action: action, MessageText: text, BlockID: blockID, Extra: raw}, ok: true}, nil
}

// messageQuickReplyRaw is MessageQuickReply with its extra already
// marshalled: raw is a JSON object's bytes (marshalObject's) or nil.
func messageQuickReplyRaw(label, messageText string, raw json.RawMessage) (QuickReply, error) {
	if strings.TrimSpace(messageText) == "" {
		messageText = label
	}
	if err := checkQuickReplyTexts(label, messageText); err != nil {
		return QuickReply{}, err
	}
	return QuickReply{w: quickReplyWire{Label: label, Action: "message", MessageText: messageText, Extra: raw}, ok: true}, nil
}

// checkQuickReplyTexts checks a quick reply's label and messageText.
func checkQuickReplyTexts(label, text string) error {
	if err := checkNotBlank("quick reply label", label); err != nil {
		return err
	}
	if err := checkText("quick reply label", label, 1, MaxQuickReplyLabel); err != nil {
		return err
	}
	return checkText("quick reply messageText", text, 1, MaxSimpleText)
}
