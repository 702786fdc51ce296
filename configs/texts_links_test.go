package configs

import (
	"reflect"
	"strings"
	"testing"
)

// withTexts returns the minimal fixture with a texts section of lines.
func withTexts(t *testing.T, lines ...string) string {
	t.Helper()
	return minimal(t) + "texts:\n  " + strings.Join(lines, "\n  ") + "\n"
}

func TestLinkTextsValidated(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{`link_taken: "이미 맡았어요 ({코드})"`, "texts.link_taken has the unknown placeholder {코드}"},
		{`link_invalid: "만료된 링크 ({code})"`, "texts.link_invalid cannot use {code}"},
		{`link_title: "{bot}"`, "texts.link_title has the placeholder {bot}"},
		{`link_ended: "   "`, "texts.link_ended is blank"},
		{`link_confirm_waiting: "{code} ({queue}) 대기 중, {agent}"`, "texts.link_confirm_waiting has the unknown placeholder {agent}"},
		{`link_taken: "{code}, 큐 {queue}"`, "texts.link_taken has the unknown placeholder {queue}"},
		{`link_accept_button: "{code} 시작"`, "texts.link_accept_button cannot use {code}"},
		{`link_end_button: "  "`, "texts.link_end_button is blank"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			errs := parseErrors(t, "texts.yaml", withTexts(t, tt.line))
			if len(errs) != 1 || !strings.Contains(errs[0].Msg, tt.want) {
				t.Errorf("got %v, want one error with %q", errs, tt.want)
			}
		})
	}
}

func TestLinkTextWithoutCodeWarns(t *testing.T) {
	cfg, err := Parse("texts.yaml", []byte(withTexts(t, `link_accepted: "상담을 시작했습니다"`, `link_retry: "다시 눌러 주세요"`)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0].Msg, "texts.link_accepted has no {code}") {
		t.Errorf("got warnings %v, want one about link_accepted without {code}", cfg.Warnings)
	}
	if got, want := cfg.Texts.LinkRetry, "다시 눌러 주세요"; got != want {
		t.Errorf("got link_retry %q, want %q", got, want)
	}
}

func TestDefaultLinkTextsValid(t *testing.T) {
	cfg, err := Parse("texts.yaml", []byte(minimal(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "texts.link_") {
			t.Errorf("default link text warned: %v", w)
		}
	}
}

// TestSchemaTextDefaults: every texts default in baton.schema.json, which
// editors show, is the default Baton uses.
func TestSchemaTextDefaults(t *testing.T) {
	root := loadSchema(t)
	props := root["properties"].(map[string]any)["texts"].(map[string]any)["properties"].(map[string]any)
	def := reflect.ValueOf(DefaultTexts())
	for i := 0; i < def.NumField(); i++ {
		key := yamlName(def.Type().Field(i))
		p, ok := props[key].(map[string]any)
		if !ok {
			t.Errorf("texts.%s: not in the schema", key)
			continue
		}
		if got, want := p["default"], def.Field(i).String(); got != want {
			t.Errorf("texts.%s: schema default %q, want %q (DefaultTexts)", key, got, want)
		}
	}
}
