package bench

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// answerWire is the encoding/json reading of what scanAnswer reads, the
// reference scanAnswer is checked against.
type answerWire struct {
	Version     string `json:"version"`
	UseCallback bool   `json:"useCallback"`
	Template    *struct {
		Outputs []struct {
			SimpleText *struct {
				Text string `json:"text"`
			} `json:"simpleText"`
			TextCard *struct {
				Description string `json:"description"`
				Buttons     []struct {
					Action string `json:"action"`
				} `json:"buttons"`
			} `json:"textCard"`
		} `json:"outputs"`
		QuickReplies []QuickReply `json:"quickReplies"`
	} `json:"template"`
}

// referenceScan reads body with encoding/json into a scannedAnswer.
func referenceScan(body []byte) (scannedAnswer, error) {
	var w answerWire
	if err := json.Unmarshal(body, &w); err != nil {
		return scannedAnswer{}, err
	}
	a := scannedAnswer{version: w.Version, useCallback: w.UseCallback, hasTemplate: w.Template != nil}
	if w.Template == nil {
		return a, nil
	}
	a.outputs = len(w.Template.Outputs)
	for i, o := range w.Template.Outputs {
		if o.SimpleText != nil {
			a.texts = append(a.texts, o.SimpleText.Text)
		}
		if i == 0 && o.TextCard != nil {
			a.firstCard = true
			a.firstDescription = o.TextCard.Description
			if len(o.TextCard.Buttons) > 0 {
				a.firstAction = o.TextCard.Buttons[0].Action
			}
		}
	}
	for _, q := range w.Template.QuickReplies {
		if string(q.Extra) == "null" {
			q.Extra = nil
		}
		a.replies = append(a.replies, q)
	}
	return a, nil
}

var scanOpts = cmp.Options{cmp.AllowUnexported(scannedAnswer{}), cmp.Transformer("raw", func(r json.RawMessage) string { return string(r) })}

var scanSamples = []string{
	string(mustMarshal(menuAnswer())),
	string(mustMarshal(fallbackAnswer(DefaultAnswers().FallbackText))),
	string(mustMarshal(rateLimitedAnswer(DefaultAnswers().RateLimitedText))),
	`{"version":"2.0","useCallback":true,"data":{"text":"잠시만요","n":[1,-2.5e3,true,false,null]}}`,
	` { "version" : "2.0" , "template" : { "outputs" : [ { "simpleText" : { "text" : "a\"b\\c\/d\n\u00e9\ud83d\ude00\uD800x" } } , {"textCard":{"description":"x","buttons":[{"action":"webLink"},{"action":"operator"}]}} ] , "quickReplies" : [ {"label":"처음으로","action":"message","messageText":"처음으로","extra":{"baton":{"v":"1","n":"main","o":"top","s":"bot"}}}, {"label":"x","action":"block","blockId":"b1","extra":null} ] } , "context":{"values":[]} } `,
	`{"version":"2.0","template":null}`,
	`{"version":"2.0","template":{"outputs":[{"simpleText":null},{"simpleText":{"text":"메시지가 너무 빨리"}}],"quickReplies":[]}}`,
}

func TestScanAnswerMatchesEncodingJSON(t *testing.T) {
	for i, body := range scanSamples {
		want, err := referenceScan([]byte(body))
		if err != nil {
			t.Fatalf("sample %d: reference: %v", i, err)
		}
		got, err := scanAnswer([]byte(body))
		if err != nil {
			t.Errorf("sample %d: %v", i, err)
			continue
		}
		if diff := cmp.Diff(want, got, scanOpts); diff != "" {
			t.Errorf("sample %d: scan differs from encoding/json (-want +got):\n%s", i, diff)
		}
	}
}

func TestScanAnswerRejects(t *testing.T) {
	for _, body := range []string{``, `{`, `{"version":"2.0"`, `{"version":2.0x}`, `[1]`, `{"a":"\q"}`, `{"a":"x` + "\n" + `"}`, `{"a":1}}`, `{"a" 1}`, `{"a":tru}`} {
		if _, err := scanAnswer([]byte(body)); err == nil {
			t.Errorf("%q: got no error, want one", body)
		}
	}
}

func FuzzScanAnswer(f *testing.F) {
	for _, s := range scanSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := scanAnswer(body)
		want, refErr := referenceScan(body)
		if refErr != nil || !json.Valid(body) || ambiguousKeys(body) {
			return // encoding/json rejects it, skips fields by type, or reads keys loosely: no reference
		}
		if err != nil {
			t.Fatalf("scan rejected what encoding/json reads: %v", err)
		}
		if diff := cmp.Diff(want, got, scanOpts); diff != "" {
			t.Fatalf("scan differs from encoding/json (-want +got):\n%s", diff)
		}
	})
}

var answerKeys = []string{"version", "useCallback", "template", "outputs", "quickReplies", "simpleText", "text",
	"textCard", "description", "buttons", "action", "label", "messageText", "blockId", "extra"}

// ambiguousKeys reports an object key that encoding/json would match to a
// known key case-insensitively, or a known key twice in one object: there
// encoding/json and the (exact, first-class) scanner legitimately differ.
func ambiguousKeys(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object  bool
		wantKey bool
		seen    map[string]bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if k, ok := tok.(string); ok {
				top.wantKey = false
				for _, known := range answerKeys {
					if strings.EqualFold(k, known) {
						if k != known || top.seen[known] {
							return true
						}
						top.seen[known] = true
					}
				}
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, seen: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}

// TestScanInternsQuickReplies: answers with the same quick replies share one
// read-only slice (the users keep them: the client's live heap), answers
// with other quick replies get their own.
func TestScanInternsQuickReplies(t *testing.T) {
	answer := func(labels ...string) []byte {
		var qs []string
		for _, l := range labels {
			qs = append(qs, `{"label":"`+l+`","action":"message","messageText":"`+l+`","extra":{"m":"x"}}`)
		}
		return []byte(`{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"안녕"}}],"quickReplies":[` + strings.Join(qs, ",") + `]}}`)
	}
	a1, err := scanAnswer(answer("배송 조회", "환불"))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := scanAnswer(answer("배송 조회", "환불"))
	if err != nil {
		t.Fatal(err)
	}
	a3, err := scanAnswer(answer("교환", "환불"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a1.replies) != 2 || a1.replies[0].Label != "배송 조회" || string(a1.replies[1].Extra) != `{"m":"x"}` {
		t.Fatalf("got replies %+v, want 배송 조회 and 환불 with their extras", a1.replies)
	}
	if &a1.replies[0] != &a2.replies[0] {
		t.Error("the same quick replies were parsed twice, want one shared slice")
	}
	if cap(a1.replies) != len(a1.replies) {
		t.Errorf("got cap %d, len %d: an append to a shared slice would write into it", cap(a1.replies), len(a1.replies))
	}
	if a3.replies[0].Label != "교환" || &a3.replies[1] == &a1.replies[1] {
		t.Errorf("got %+v for other quick replies, want their own", a3.replies)
	}
}
