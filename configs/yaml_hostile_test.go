package configs

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestNumberLikeTextKeptAsWritten: a value the config reads as text but
// that YAML can also read as a number (a leading-zero code, 1.10, 1_000)
// must reach the bot as the bot master typed it. goccy reads 0101234 as
// the YAML 1.1 octal 33436 and the string field got "33436"; even an
// explicit !!str did not help.
func TestNumberLikeTextKeptAsWritten(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		get            func(*Config) string
		want           string
	}{
		{"option label 0101234", "label: 배송,", "label: 0101234,",
			func(c *Config) string { return c.Menus["main"].Options[0].Label }, "0101234"},
		{"text option 0212345", "{id: track, label: 배송 조회, faq: ship-track}", "{id: track, label: 배송 조회, text: 0212345}",
			func(c *Config) string { return c.Menus["shipping"].Options[0].Text }, "0212345"},
		{"keyword 0700", "keywords: [상담원]", "keywords: [상담원, 0700]",
			func(c *Config) string { return c.Escalation.Keywords[1] }, "0700"},
		{"keyword 1.10", "keywords: [상담원]", "keywords: [상담원, 1.10]",
			func(c *Config) string { return c.Escalation.Keywords[1] }, "1.10"},
		{"keyword 1_000", "keywords: [상담원]", "keywords: [상담원, 1_000]",
			func(c *Config) string { return c.Escalation.Keywords[1] }, "1_000"},
		{"keyword True", "keywords: [상담원]", "keywords: [상담원, True]",
			func(c *Config) string { return c.Escalation.Keywords[1] }, "True"},
		{"answer !!str 0101234", "answer: 마이페이지 > 주문내역에서 확인하세요.", "answer: !!str 0101234",
			func(c *Config) string { return c.FAQ[0].Answer }, "0101234"},
		{"anchored label", "label: 배송,", "label: &code 0101234,",
			func(c *Config) string { return c.Menus["main"].Options[0].Label }, "0101234"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("num.yaml", []byte(minimalReplace(t, tc.old, tc.new)))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got := tc.get(cfg); got != tc.want {
				t.Errorf("loaded with %q, want %q as written", got, tc.want)
			}
		})
	}
	t.Run("blocks.map key 0101", func(t *testing.T) {
		cfg, err := Parse("num.yaml", []byte(minimal(t)+"blocks: {map: {0101: {goto: shipping}}}\n"))
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		if _, ok := cfg.Blocks.Map["0101"]; !ok {
			t.Errorf("block \"0101\" is mapped as %v: Open Builder's block named 0101 never matches", cfg.Blocks.Map)
		}
	})
	t.Run("whole number still a number", func(t *testing.T) {
		cfg, err := Parse("num.yaml", []byte(minimalReplace(t,
			"general: {target: notify, hours: office}", "general: {target: notify, hours: office, max_waiting: 010}")))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Handoff.Queues["general"].MaxWaiting; got != 8 {
			t.Errorf("max_waiting: 010 loaded as %d, want 8 (a number field reads YAML numbers as before)", got)
		}
	})
}

// TestFractionalWholeNumberRefused: max_waiting: 2.5 silently became 2.
func TestFractionalWholeNumberRefused(t *testing.T) {
	for _, v := range []string{"2.5", `"2.5"`, ".inf"} {
		cfg, err := Parse("frac.yaml", []byte(minimalReplace(t,
			"general: {target: notify, hours: office}", "general: {target: notify, hours: office, max_waiting: "+v+"}")))
		if err == nil {
			t.Errorf("max_waiting: %s loaded as %d, want an error (must be a whole number)", v, cfg.Handoff.Queues["general"].MaxWaiting)
			continue
		}
		if want := `frac.yaml:22:59: key "max_waiting" in handoff.queues.general must be a whole number`; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("max_waiting: %s: got %v, want %q", v, err, want)
		}
	}
	if _, err := Parse("frac.yaml", []byte(minimalReplace(t,
		"general: {target: notify, hours: office}", "general: {target: notify, hours: office, max_waiting: 2.0}"))); err != nil {
		t.Errorf("max_waiting: 2.0 is refused: %v", err)
	}
}

// TestMergeKeyBombFailsFast: a 635-byte file of merge keys (<<) fanning
// out over anchors must be refused quickly and cheaply, at the alias that
// takes the copies past the budget; goccy resolves every merge
// recursively, so each added line multiplies the work by 9.
func TestMergeKeyBombFailsFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("handoff:\n  hours:\n")
	b.WriteString("    h0: {timezone: Asia/Seoul, weekly: &w0 {mon: [\"09:00-18:00\"], tue: [\"09:00-18:00\"]}}\n")
	for i := 1; i <= 6; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*w%d,", i-1), 9), ",")
		fmt.Fprintf(&b, "    h%d: {timezone: Asia/Seoul, weekly: &w%d {<<: [%s]}}\n", i, i, refs)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	start := time.Now()
	_, err := Parse("bomb.yaml", []byte(b.String()))
	took := time.Since(start)
	runtime.ReadMemStats(&ms)
	allocMiB := (ms.TotalAlloc - before) >> 20
	if err == nil {
		t.Fatal("the merge bomb loaded")
	}
	if allocMiB > 16 {
		t.Errorf("a %d-byte file allocated %d MiB in %v before failing with %q; want a fast, cheap refusal (each further line ×9)",
			b.Len(), allocMiB, took, err)
	}
	if !strings.HasPrefix(err.Error(), "bomb.yaml:8:") || !strings.Contains(err.Error(), fmt.Sprintf("copy more than %d values", MaxAliasValues)) {
		t.Errorf("got %v, want the alias budget error on line 8 (the first line whose aliases pass it)", err)
	}
}

// TestAliasBombFailsFast: the same with plain aliases of lists (the
// "billion laughs").
func TestAliasBombFailsFast(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal(t))
	b.WriteString("x0: &a0 [상담원, 상담원, 상담원, 상담원, 상담원, 상담원, 상담원, 상담원, 상담원]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), ","))
	}
	start := time.Now()
	_, err := Parse("laughs.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "copy more than") {
		t.Fatalf("got %v, want the alias budget error", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
}

// TestMergeKeyOverride: the point of a YAML merge key is to override
// some keys of the merged mapping; the decoder refused the override as a
// duplicate key. A key written twice beside a merge is still a duplicate.
func TestMergeKeyOverride(t *testing.T) {
	src := minimalReplace(t, "      - {id: agent, label: 상담원 연결, handoff: general}\n",
		"      - &agent {id: agent, label: 상담원 연결, handoff: general}\n")
	src = strings.Replace(src, "      - {id: top, label: 처음으로, home: true}\n",
		"      - {id: top, label: 처음으로, home: true}\n      - {<<: *agent, id: agent2, label: 상담 연결}\n", 1)
	cfg, err := Parse("merge.yaml", []byte(src))
	if err != nil {
		t.Fatalf("a merge key with overrides is refused: %v", err)
	}
	o := cfg.Menus["shipping"].Options[2]
	if o.ID != "agent2" || o.Label != "상담 연결" || o.Handoff != "general" {
		t.Errorf("got %+v, want id agent2, label 상담 연결, handoff general", o)
	}

	// Of a list of merged mappings, the first that has a key gives it; a
	// key written beside them wins.
	cfg, err = Parse("merge.yaml", []byte(minimal(t)+
		"blocks: {map: {A: &a {goto: shipping}, B: &b {goto: main}, C: {<<: [*a, *b]}, D: {<<: [*a, *b], goto: main}}}\n"))
	if err != nil {
		t.Fatalf("a merge of a list is refused: %v", err)
	}
	if c, d := cfg.Blocks.Map["C"].Goto, cfg.Blocks.Map["D"].Goto; c != "shipping" || d != "main" {
		t.Errorf("got goto %q for C (<<: [*a, *b]) and %q for D (goto: main beside it), want shipping and main", c, d)
	}

	dup := strings.Replace(src, "{<<: *agent, id: agent2, label: 상담 연결}", "{<<: *agent, id: agent2, id: agent3}", 1)
	errs := parseErrors(t, "merge.yaml", dup)
	if got, want := errs[0].Error(), `merge.yaml:15:34: duplicate key "id" (first defined at line 15)`; got != want {
		t.Errorf("a key written twice beside a merge: got %q, want %q", got, want)
	}
}

// TestMergeKeyUnknownAnchorPositioned: "<<: *agnet" (a typo of the anchor)
// was reported at 1:1 with goccy's raw message, while a plain "*agnet"
// gets its line and a hint.
func TestMergeKeyUnknownAnchorPositioned(t *testing.T) {
	src := minimalReplace(t, "      - {id: agent, label: 상담원 연결, handoff: general}\n",
		"      - &agent {id: agent, label: 상담원 연결, handoff: general}\n")
	src = strings.Replace(src, "      - {id: top, label: 처음으로, home: true}\n",
		"      - {id: top, label: 처음으로, home: true}\n      - {<<: *agnet}\n", 1)
	errs := parseErrors(t, "merge.yaml", src)
	if errs[0].Line != 15 {
		t.Errorf("got %v, want the error on line 15 (the <<: *agnet)", errs)
	}
	if got, want := errs[0].Error(), `merge.yaml:15:15: YAML syntax error: could not find alias "agnet"`; !strings.HasPrefix(got, want) || !strings.Contains(got, `did you mean "agent"?`) {
		t.Errorf("got %q, want it to start %q and suggest agent", got, want)
	}
}

// TestYAMLDirectiveAccepted: "%YAML 1.2" then "---" is one document, but
// it was refused as "only one YAML document is allowed (remove the second
// ---)". A second document after it still is.
func TestYAMLDirectiveAccepted(t *testing.T) {
	if _, err := Parse("directive.yaml", []byte("%YAML 1.2\n---\n"+minimal(t))); err != nil {
		t.Errorf("a config with a %%YAML directive is refused: %v", err)
	}
	errs := parseErrors(t, "directive.yaml", "%YAML 1.2\n---\n"+minimal(t)+"---\nbot: {name: x}\n")
	if got := errs[0].Msg; got != "only one YAML document is allowed (remove the second ---)" {
		t.Errorf("a second document after a directive: got %v", errs)
	}
}

// TestTabInPlainValueKept: a tab between two words of a plain value (text
// pasted from a spreadsheet) was dropped, gluing the words: the label
// 배송<TAB>조회 became 배송조회 without a word. It is kept, as YAML says; a
// plain value spanning lines with a tab inside is refused at the tab.
func TestTabInPlainValueKept(t *testing.T) {
	cfg, err := Parse("tab.yaml", []byte(minimalReplace(t, "label: 배송 조회,", "label: 배송\t조회,")))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Menus["shipping"].Options[0].Label; got != "배송\t조회" {
		t.Errorf("label loaded as %q, want the tab between the words kept", got)
	}
	// A tab as a separator (key:<TAB>value) is still only a separator.
	cfg, err = Parse("tab.yaml", []byte(minimalReplace(t, "escalation: {queue: general,", "escalation: {queue:\tgeneral,")))
	if err != nil || cfg.Escalation.Queue != "general" {
		t.Fatalf("queue:<TAB>general: got %v, %v", cfg, err)
	}
	errs := parseErrors(t, "tab.yaml", minimalReplace(t, "answer: 마이페이지 > 주문내역에서 확인하세요.", "answer: 마이페이지\t주문내역\n      확인"))
	if got, want := errs[0].Error(), "tab.yaml:18:18: a tab inside an unquoted value that spans lines"; !strings.HasPrefix(got, want) {
		t.Errorf("got %q, want %q…", got, want)
	}
}

// TestTabInQuotedValueAccepted: a tab inside a double-quoted value is
// valid YAML; it was refused with an indentation hint at a column past the
// end of the line.
func TestTabInQuotedValueAccepted(t *testing.T) {
	src := minimalReplace(t, "    text: 무엇을 도와드릴까요?\n", "    text: \"무엇을\t도와드릴까요?\"\n")
	cfg, err := Parse("tabq.yaml", []byte(src))
	if err != nil {
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatal(err)
		}
		lineRunes := len([]rune("    text: \"무엇을\t도와드릴까요?\""))
		t.Fatalf("a tab inside double quotes is refused: %v (line has %d columns)", err, lineRunes)
	}
	if got := cfg.Menus["main"].Text; got != "무엇을\t도와드릴까요?" {
		t.Errorf("text loaded as %q, want the tab kept", got)
	}
	// Several, in a flow mapping, a key and a value spanning lines.
	src = minimalReplace(t, "      - {id: ship, label: 배송, goto: shipping}\n",
		"      - {id: ship, label: \"배\t송\t\", goto: shipping}\n")
	src = strings.Replace(src, "answer: 마이페이지 > 주문내역에서 확인하세요.", "answer: \"마이페이지\t>\n      주문내역\t\\\"확인\\\"\"", 1)
	cfg, err = Parse("tabq.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.FAQ[0].Answer, "마이페이지\t> 주문내역\t\"확인\""; got != want {
		t.Errorf("answer loaded as %q, want %q", got, want)
	}
	if got, want := cfg.Menus["main"].Options[0].Label, "배\t송\t"; got != want {
		t.Errorf("label loaded as %q, want %q", got, want)
	}
	// A file that holds the stand-in for such a tab (U+FDD0) itself is told
	// where the tab is.
	src = minimalReplace(t, "    text: 무엇을 도와드릴까요?\n", "    text: \"무엇을\t도와드릴까요?\"\n")
	src = strings.Replace(src, "label: 처음으로", "label: 처음\uFDD0으로", 1)
	errs := parseErrors(t, "tabq.yaml", src)
	if got, want := errs[0].Error(), `tabq.yaml:6:15: a tab inside quotes: write \t for a tab, or a space`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestUnknownTagRefused: tags like !include are not supported, but the
// value loaded as the tag's operand: the FAQ answer became the file name.
func TestUnknownTagRefused(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"!include answers/ship-track.txt", "tag.yaml:18:13: the tag !include is not supported"},
		{"!env HOME", "tag.yaml:18:13: the tag !env is not supported"},
		{"!공지 배송이 늦어요", "tag.yaml:18:13: the tag !공지 is not supported"},
	} {
		cfg, err := Parse("tag.yaml", []byte(minimalReplace(t, "answer: 마이페이지 > 주문내역에서 확인하세요.", "answer: "+tc.value)))
		if err == nil {
			t.Errorf("%s loaded; the answer users get is %q", tc.value, cfg.FAQ[0].Answer)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q…", tc.value, err, tc.want)
		}
	}
}
