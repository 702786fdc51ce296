package fsm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitWhole(t *testing.T) {
	card := Message{Card: &Card{Description: "a"}}
	tests := []struct {
		name string
		text string
		msgs []Message
		want bool
	}{
		{"one bubble", "가 나", []Message{{Text: "가 나"}}, true},
		{"split at a space", "가 나", []Message{{Text: "가"}, {Text: "나"}}, true},
		{"split at line breaks", "가\n\n나 다", []Message{{Text: "가"}, {Text: "나 다"}}, true},
		{"blank ends", "  가 나\n", []Message{{Text: "가"}, {Text: "나"}}, true},
		{"tail lost", "가 나 다", []Message{{Text: "가"}, {Text: "나"}}, false},
		{"cut with an ellipsis", "가나다", []Message{{Text: "가…"}}, false},
		{"a space lost inside a piece", "가 …", []Message{{Text: "가…"}}, false},
		{"a card", "가", []Message{card}, false},
		{"an empty bubble", "가 나", []Message{{Text: "가"}, {Text: ""}, {Text: "나"}}, false},
		{"no bubble", "가", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitWhole(tt.text, tt.msgs); got != tt.want {
				t.Errorf("splitWhole(%q, %v): got %v, want %v", tt.text, tt.msgs, got, tt.want)
			}
		})
	}
}

// TestTicketReply renders ticket answers of n "가" (no space to split at)
// with several templates: the longest whole answer fills every bubble the
// event reply has (3 × 1000 characters less the template's own), text after
// {answer} survives, and one character more is not whole.
func TestTicketReply(t *testing.T) {
	tests := []struct {
		name, template string
		longest        int // -1: any length is whole
	}{
		{"answer only", "{answer}", 3000},
		{"default", "", 3000 - utf8.RuneCountInString("남겨 주신 문의에 답변드려요.\n\n")},
		{"text after the answer", "답변: {answer}\n\n더 궁금하신 점은 메뉴에서 골라 주세요.", 3000 - utf8.RuneCountInString("답변: \n\n더 궁금하신 점은 메뉴에서 골라 주세요.")},
		{"no answer shown", "답변을 남겼어요. 확인해 주세요.", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.template != "" {
				cfg.Texts.EventTicketReply = tt.template
			}
			e := newEngine(t, cfg, Options{})
			if tt.longest < 0 {
				if _, whole := e.TicketReply(strings.Repeat("가", 10000)); !whole {
					t.Errorf("10000 characters: got cut, want whole (the template does not show the answer)")
				}
				return
			}
			r, whole := e.TicketReply(strings.Repeat("가", tt.longest))
			if !whole || len(r.Messages) != maxMessages {
				t.Fatalf("%d characters: got whole %v in %d messages, want whole in %d", tt.longest, whole, len(r.Messages), maxMessages)
			}
			tmpl := e.texts.EventTicketReply
			if tail := tmpl[strings.Index(tmpl, "{answer}")+len("{answer}"):]; !strings.HasSuffix(r.Messages[len(r.Messages)-1].Text, strings.TrimSpace(tail)) {
				t.Errorf("%d characters: last message does not end with the template's %q", tt.longest, tail)
			}
			if _, whole := e.TicketReply(strings.Repeat("가", tt.longest+1)); whole {
				t.Errorf("%d characters: got whole, want cut", tt.longest+1)
			}
		})
	}
	e := newEngine(t, testConfig(), Options{})
	if _, whole := e.TicketReply(" \n "); whole {
		t.Errorf("blank answer: got whole, want not")
	}
}
