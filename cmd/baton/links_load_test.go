package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/baton-chat/baton/configs"
)

// TestConfigLinkURLRefusedAtLoad checks that a menu option link or an FAQ
// link.url the bubble builders would refuse (whitespace, over 2048 bytes)
// is refused at load with file:line:col, instead of loading fine and
// answering every tap with the fallback (Kakao audit finding 1).
func TestConfigLinkURLRefusedAtLoad(t *testing.T) {
	t.Parallel()
	for _, where := range []struct{ name, old, new string }{
		{"menu option link", `link: "https://www.sample-mall.co.kr"}`, `link: "%s"}`},
		{"faq link url", `url: "https://www.sample-mall.co.kr/join"}`, `url: "%s"}`},
	} {
		for _, tc := range []struct{ name, url string }{
			{"space in the path", "https://www.sample-mall.co.kr/event/summer sale"},
			{"over 2048 bytes", "https://www.sample-mall.co.kr/?q=" + strings.Repeat("a", 2100)},
		} {
			t.Run(where.name+"/"+tc.name, func(t *testing.T) {
				cfg := exampleWith(t, where.old, strings.Replace(where.new, "%s", tc.url, 1))
				_, err := configs.Load(cfg)
				if err == nil {
					t.Fatalf("got no load error for link %.60q, want one with file:line:col", tc.url)
				}
				if !regexp.MustCompile(`links\.yaml:\d+:\d+`).MatchString(err.Error()) {
					t.Fatalf("got load error %v, want one with file:line:col", err)
				}
			})
		}
	}
}

// TestConfigLinkURLAcceptedAtLoadRenders checks the other side of the
// shared rule: the shipped link loads and a tap on it answers the link card,
// a valid bubble, not the fallback.
func TestConfigLinkURLAcceptedAtLoadRenders(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: mondayMorning}
	m := startBaton(t, exampleConfig, t.TempDir(), clock)
	const user = "link-ok"
	welcome := validTurn(t, m, turn{User: user, Block: "웰컴 블록", IsFriend: true}.payload(), false)
	text, extra := welcome.quickReply(t, "샘플몰 바로가기")
	clock.Advance(3e9)
	validTurn(t, m, turn{User: user, Utterance: text, Extra: extra, IsFriend: true, Trigger: "QUICKREPLY_BUTTON_MESSAGE"}.payload(), false)
}
