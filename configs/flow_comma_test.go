package configs

import (
	"strings"
	"testing"
)

// TestUnknownKeyHints: an unknown key with no value inside { } is a comma
// that ended the value before it, and the error shows that value quoted
// whole; elsewhere a typo gets its closest key, and a key no known key is
// close to (a Korean word against English keys) gets no guess.
func TestUnknownKeyHints(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"comma in a text", "welcome: {text: 안녕하세요,", "welcome: {text: 안녕하세요, 반가워요,",
			`keys.yaml:3:24: unknown key "반가워요" in welcome: inside { } a comma ends a value, so quote a value that holds one (text: "안녕하세요, 반가워요")`},
		{"comma in a label", "label: 배송 조회,", "label: 배송, 조회,",
			`keys.yaml:13:32: unknown key "조회" in option 1 of menu "shipping": inside { } a comma ends a value, so quote a value that holds one (label: "배송, 조회")`},
		{"after a true", "home: true}", "home: true, 메뉴}",
			`keys.yaml:14:44: unknown key "메뉴" in option 2 of menu "shipping": inside { } a comma ends a value, so quote a value that holds one`},
		{"typo in a block mapping", "    text: 배송 메뉴입니다.", "    txet: 배송 메뉴입니다.",
			`keys.yaml:11:5: unknown key "txet" in menu "shipping" (did you mean "text"?)`},
		{"typo with a value in { }", "label: 배송 조회,", "lable: 배송 조회,",
			`keys.yaml:13:21: unknown key "lable" in option 1 of menu "shipping" (did you mean "label"?)`},
		{"no value in a block mapping", "    text: 배송 메뉴입니다.", "    text: 배송 메뉴입니다.\n    조회:",
			`keys.yaml:12:5: unknown key "조회" in menu "shipping"`},
		{"no close key", "{id: top, label: 처음으로", "{id: top, 처음: 1, label: 처음으로",
			`keys.yaml:14:19: unknown key "처음" in option 2 of menu "shipping"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("minimal.yaml has no %q", tc.old)
			}
			errs := parseErrors(t, "keys.yaml", strings.Replace(src, tc.old, tc.new, 1))
			if got := errs.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
