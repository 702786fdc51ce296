package configs

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// formalEnding finds a sentence in 합쇼체 ("보관됩니다.", "메뉴입니다",
// "가능합니까?"): a word ending in 니다 or 니까 before punctuation, a space
// or the end of the text.
var formalEnding = regexp.MustCompile(`[가-힣]*니[다까]([.!?)~]|\s|$)`)

// formalAllowed are the set phrases a 해요체 bot still says in 합쇼체.
var formalAllowed = map[string]bool{"감사합니다": true}

// TestUserTextsHaeyoche: every text a user reads in KakaoTalk from the
// reference config — the texts (with the Korean defaults it leaves out),
// the welcome, menu and option texts, the FAQ answers and the intake
// prompts — speaks in 해요체, the bot's one politeness level, so an answer
// does not switch from "도착해요" to "출고됩니다" mid-way. The agents' link
// pages and Slack lines (link_*, slack_*) are for staff and are left out.
func TestUserTextsHaeyoche(t *testing.T) {
	cfg, err := Load("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	check := func(where, text string) {
		t.Helper()
		for _, m := range formalEnding.FindAllStringSubmatch(text, -1) {
			word := strings.TrimRight(m[0], ".!?)~ \t\n")
			if !formalAllowed[word] {
				t.Errorf("%s: %q is 합쇼체 in %q; write it in 해요체 (…해요, …예요/이에요)", where, word, text)
			}
		}
	}
	v := reflect.ValueOf(cfg.Texts)
	for i := 0; i < v.NumField(); i++ {
		key := yamlName(v.Type().Field(i))
		if strings.HasPrefix(key, "link_") || strings.HasPrefix(key, "slack_") {
			continue
		}
		check("texts."+key, v.Field(i).String())
	}
	check("welcome.text", cfg.Welcome.Text)
	for id, m := range cfg.Menus {
		check("menus."+id+".text", m.Text)
		for _, o := range m.Options {
			check("menus."+id+"."+o.ID+".text", o.Text)
		}
	}
	for _, e := range cfg.FAQ {
		check("faq."+e.ID+".answer", e.Answer)
	}
	for name, q := range cfg.Handoff.Queues {
		for _, f := range q.Intake {
			check("handoff.queues."+name+".intake."+f.Name+".prompt", f.Prompt)
		}
	}
}
