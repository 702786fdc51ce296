package configs

import (
	"strings"
	"testing"
)

// TestCheckLinkURL pins the one link rule shared by the loader and the
// bubble builders.
func TestCheckLinkURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string // "" for accepted, else a part of the error
	}{
		{"https://www.sample-mall.co.kr/mypage/orders", ""},
		{"HTTP://www.sample-mall.co.kr", ""},
		{"https://www.sample-mall.co.kr/" + strings.Repeat("a", MaxLinkURLBytes-30), ""},
		{"", "empty"},
		{"https://www.sample-mall.co.kr/" + strings.Repeat("a", MaxLinkURLBytes), "bytes"},
		{"https://www.sample-mall.co.kr/고객 센터", "whitespace"},
		{"https://www.sample-mall.co.kr/a\tb", "whitespace"},
		{"www.sample-mall.co.kr/mypage", "not an absolute"},
		{"ftp://www.sample-mall.co.kr", "not an absolute"},
		{"https:///path", "not an absolute"},
		{"https://www.sample-mall.co.kr/%zz", "parse"},
	} {
		err := CheckLinkURL(tc.url)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckLinkURL(%.50q): got %v, want nil", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckLinkURL(%.50q): got %v, want an error containing %q", tc.url, err, tc.want)
		}
	}
}
