package skill

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/baton-chat/baton/fsm"
)

// Hard-coded last-resort texts, used only when the configured ones cannot
// be rendered at all.
const (
	defaultFallbackText   = "잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?"
	defaultFallbackButton = "상담원 연결"
	defaultText           = "잠시 후 다시 말씀해 주세요."
)

// lastResortFallback is what Fallback returns if even the defaults fail to
// build (they do not; a test proves it). It is a valid textCard.
const lastResortFallback = `{"version":"2.0","template":{"outputs":[{"textCard":{"description":"` +
	defaultFallbackText + `","buttons":[{"label":"` + defaultFallbackButton + `","action":"operator"}]}}]}}`

// batonExtra is the extra every Baton button and quick reply carries.
type batonExtra struct {
	Baton *fsm.Tap `json:"baton"`
}

func tapExtra(t *fsm.Tap) any {
	if t == nil {
		return nil
	}
	return batonExtra{Baton: t}
}

// Render turns an fsm.Reply into SkillResponse JSON. Each Message becomes a
// simpleText (text over MaxSimpleText runes is split with SplitText into
// extra simpleText bubbles while the total stays ≤ 3) or a textCard;
// button and quick reply taps carry {"baton": tap} as extra. group renders
// for a group chat: quick replies are dropped (no carousel is ever
// emitted). A Silent reply renders as Suppress. Render is deterministic
// (same Reply, same bytes), so static replies may be cached by CacheKey.
// It returns an error wrapping ErrInvalidResponse, never panics, when the
// reply has no messages or anything breaks a limit; the caller then sends
// Fallback.
func Render(r fsm.Reply, group bool) ([]byte, error) {
	b, e, err := renderPooled(&r, group)
	if e == nil {
		return b, err
	}
	defer e.put()
	return bytes.Clone(b), nil
}

// renderPooled is Render, but a rendered reply's JSON is left in a pooled
// encoder's buffer: valid until the caller gives e back (e.put). e is nil
// on error and for a Silent reply (b is then Suppress's own bytes).
func renderPooled(r *fsm.Reply, group bool) (b []byte, e *pooledEncoder, err error) {
	if r.Silent {
		return Suppress(), nil, nil
	}
	if len(r.Messages) == 0 {
		return nil, nil, invalid("render: reply has no messages")
	}
	resp := Response{Group: group, Outputs: make([]Component, 0, MaxOutputs)}
	for i, m := range r.Messages {
		var err error
		resp.Outputs, err = renderMessage(resp.Outputs, m)
		if err != nil {
			return nil, nil, fmt.Errorf("render: message %d: %w", i, err)
		}
		if len(resp.Outputs) > MaxOutputs {
			return nil, nil, invalid("render: %d messages need more than %d bubbles", len(r.Messages), MaxOutputs)
		}
	}
	if !group && len(r.QuickReplies) > 0 {
		var extras [MaxQuickReplies]json.RawMessage
		if len(r.QuickReplies) <= MaxQuickReplies {
			held, err := tapExtras(r.QuickReplies, extras[:])
			if err != nil {
				return nil, nil, fmt.Errorf("render: quick reply extras: %w", err)
			}
			defer held.put() // after the response below is marshalled
			resp.QuickReplies = held.replies[:0]
		} else {
			resp.QuickReplies = make([]QuickReply, 0, len(r.QuickReplies))
		}
		for i, q := range r.QuickReplies {
			var qr QuickReply
			var err error
			if i < len(extras) {
				qr, err = messageQuickReplyRaw(q.Label, q.Text, extras[i])
			} else { // over the limit: Marshal refuses the response
				qr, err = MessageQuickReply(q.Label, q.Text, tapExtra(q.Tap))
			}
			if err != nil {
				return nil, nil, fmt.Errorf("render: quick reply %d: %w", i, err)
			}
			resp.QuickReplies = append(resp.QuickReplies, qr)
		}
	}
	b, e, err = resp.marshalPooled()
	if err != nil {
		return nil, nil, fmt.Errorf("render: %w", err)
	}
	return b, e, nil
}

// tapExtras marshals the extras of qs ({"baton": tap}, as tapExtra) into
// extras, all into one pooled encoder's buffer: extras[i] is qs[i]'s, nil
// without a tap. They are valid until the caller gives held back
// (held.put), once the response that carries them is marshalled; held is
// nil on error. len(extras) must be at least len(qs).
func tapExtras(qs []fsm.QuickReply, extras []json.RawMessage) (held *pooledEncoder, err error) {
	e := encoderPool.Get().(*pooledEncoder)
	var ends [MaxQuickReplies]int
	for i, q := range qs {
		if q.Tap != nil {
			if err := e.enc.Encode(batonExtra{Baton: q.Tap}); err != nil {
				e.put()
				return nil, err
			}
			e.buf.Truncate(e.buf.Len() - 1) // Encode's newline
		}
		ends[i] = e.buf.Len()
	}
	all := e.buf.Bytes()
	start := 0
	for i, q := range qs {
		if q.Tap != nil {
			extras[i] = all[start:ends[i]:ends[i]]
		}
		start = ends[i]
	}
	return e, nil
}

// renderMessage appends m's bubbles to out.
func renderMessage(out []Component, m fsm.Message) ([]Component, error) {
	if m.Card != nil {
		c, err := renderCard(*m.Card)
		if err != nil {
			return out, err
		}
		return append(out, c), nil
	}
	if t := trimSpace(m.Text); t != "" && utf8.RuneCountInString(t) <= MaxSimpleText {
		// One bubble, as SplitText would give, without its slice.
		st, err := NewSimpleText(t)
		if err != nil {
			return out, err
		}
		return append(out, st), nil
	}
	parts := SplitText(m.Text, MaxSimpleText)
	if len(parts) == 0 {
		return out, invalid("empty text message")
	}
	for _, p := range parts {
		st, err := NewSimpleText(p)
		if err != nil {
			return out, err
		}
		out = append(out, st)
	}
	return out, nil
}

func renderCard(c fsm.Card) (TextCard, error) {
	spec := TextCardSpec{Title: c.Title, Description: c.Description}
	for i, b := range c.Buttons {
		btn, err := renderButton(b)
		if err != nil {
			return TextCard{}, fmt.Errorf("button %d: %w", i, err)
		}
		spec.Buttons = append(spec.Buttons, btn)
	}
	return NewTextCard(spec)
}

func renderButton(b fsm.Button) (Button, error) {
	switch b.Kind {
	case fsm.ButtonMessage:
		return MessageButton(b.Label, b.Text, tapExtra(b.Tap))
	case fsm.ButtonLink:
		return WebLinkButton(b.Label, b.URL)
	case fsm.ButtonOperator:
		return OperatorButton(b.Label)
	case fsm.ButtonPhone:
		return PhoneButton(b.Label, b.Phone)
	}
	return Button{}, invalid("unknown button kind %q", b.Kind)
}

// Fallback returns the stateless error bubble (DESIGN §3): a textCard whose
// description is text with one operator button labelled buttonLabel. It
// always succeeds: over-long text or label is truncated at a grapheme
// boundary, and blank or unusable ones are replaced by Korean defaults.
// Callers marshal it once and reuse the bytes.
func Fallback(text, buttonLabel string) []byte {
	if b, err := fallbackCard(Truncate(text, MaxTextCardDescription), Truncate(buttonLabel, MaxButtonLabel)); err == nil {
		return b
	}
	if b, err := fallbackCard(Truncate(text, MaxTextCardDescription), defaultFallbackButton); err == nil {
		return b
	}
	if b, err := fallbackCard(defaultFallbackText, defaultFallbackButton); err == nil {
		return b
	}
	return []byte(lastResortFallback)
}

func fallbackCard(text, label string) ([]byte, error) {
	btn, err := OperatorButton(label)
	if err != nil {
		return nil, err
	}
	card, err := NewTextCard(TextCardSpec{Description: text, Buttons: []Button{btn}})
	if err != nil {
		return nil, err
	}
	return Response{Outputs: []Component{card}}.Marshal()
}

// TextResponse returns a single simpleText response. It always succeeds:
// text over MaxSimpleText runes is truncated at a grapheme boundary, and
// blank text is replaced by a Korean default.
func TextResponse(text string) []byte {
	for _, t := range []string{Truncate(text, MaxSimpleText), defaultText} {
		st, err := NewSimpleText(t)
		if err != nil {
			continue
		}
		if b, err := (Response{Outputs: []Component{st}}).Marshal(); err == nil {
			return b
		}
	}
	return []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"` + defaultText + `"}}]}}`)
}

// CallbackAck returns the immediate answer of a callback turn,
// {"version":"2.0","useCallback":true,"data":{"text":text}}; the block's
// waiting bubble can show it as {{#webhook.text}}. It always succeeds
// (text is truncated to MaxSimpleText runes).
func CallbackAck(text string) []byte {
	b, err := json.Marshal(struct {
		Version     string `json:"version"`
		UseCallback bool   `json:"useCallback"`
		Data        struct {
			Text string `json:"text"`
		} `json:"data"`
	}{Version: "2.0", UseCallback: true, Data: struct {
		Text string `json:"text"`
	}{Text: Truncate(text, MaxSimpleText)}})
	if err != nil {
		return []byte(`{"version":"2.0","useCallback":true}`)
	}
	return b
}
