package configs

import (
	"strings"
	"testing"
	"time"
)

func TestPrivacyNoticeAgreesWithRetention(t *testing.T) {
	tests := []struct {
		name   string
		extra  string // appended to the minimal config
		wantOK bool
		want   string // "line:col: " plus the start of the message
	}{
		{"placeholder (default notice)", "", true, ""},
		{"placeholder with other turns", "retention: {turns: 30d}\n", true, ""},
		{"days agree", "texts:\n  privacy_notice: 대화 내용은 90일간 보관되고 문의는 365일 보관됩니다.\n", true, ""},
		{"months agree", "texts:\n  privacy_notice: 대화 내용은 3개월간 보관되고 문의는 365일 보관됩니다.\n", true, ""},
		{"year agrees", "texts:\n  privacy_notice: 대화 내용은 1년간 보관됩니다.\nretention: {turns: 365d}\n", true, ""},
		{"weeks agree", "texts:\n  privacy_notice: 대화 내용은 2 주 보관되고 문의는 365일 보관됩니다.\nretention: {turns: 14d}\n", true, ""},
		{"one of several agrees", "texts:\n  privacy_notice: 연락처는 30일, 대화 내용은 90일 보관되고 문의는 365일 보관됩니다.\n", true, ""},
		{"days disagree", "texts:\n  privacy_notice: 대화 내용은 30일간 보관되고 문의는 365일 보관됩니다.\n", false,
			"28:19: texts.privacy_notice says conversations are kept 30일 but retention.turns is 90d (90일)"},
		{"months disagree", "texts:\n  privacy_notice: 대화 내용은 6개월간 보관되고 문의는 365일 보관됩니다.\n", false,
			"28:19: texts.privacy_notice says conversations are kept 6개월 but retention.turns is 90d"},
		{"year disagrees", "texts:\n  privacy_notice: 대화 내용은 1년간 보관됩니다.\n", false,
			"28:19: texts.privacy_notice says conversations are kept 1년"},
		{"no period", "texts:\n  privacy_notice: 대화 내용은 보관되고 문의는 {retention.tickets}간 보관됩니다.\n", false,
			"28:19: texts.privacy_notice does not say how long conversations are kept"},
		{"changed retention, fixed notice", "texts:\n  privacy_notice: 대화 내용은 90일간 보관되고 문의는 365일 보관됩니다.\nretention:\n  turns: 30d\n", false,
			"28:19: texts.privacy_notice says conversations are kept 90일 but retention.turns is 30d (30일)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal(t) + tc.extra
			_, err := Parse("c.yaml", []byte(src))
			if tc.wantOK {
				if err != nil {
					t.Fatalf("Parse: got %v, want nil", err)
				}
				return
			}
			errs := parseErrors(t, "c.yaml", src)
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "c.yaml:"+tc.want) {
				t.Errorf("got %v, want one error starting c.yaml:%s", errs, tc.want)
			}
		})
	}
}

func TestRetentionDefaultsAndMinimum(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(minimal(t)))
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"notifications", cfg.Retention.Notifications.D(), 30 * day},
		{"timers", cfg.Retention.Timers.D(), 14 * day},
		{"outbox", cfg.Retention.Outbox.D(), 7 * day},
		{"users", cfg.Retention.Users.D(), 365 * day},
	} {
		if c.got != c.want {
			t.Errorf("retention.%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	errs := parseErrors(t, "c.yaml", minimal(t)+"retention:\n  turns: 90d\n  outbox: 90m\n")
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "c.yaml:29:11: retention.outbox is 1h30m0s; keep records at least 1d") {
		t.Errorf("got %v, want one error at retention.outbox", errs)
	}
}

func TestNoticePeriods(t *testing.T) {
	day := 24 * time.Hour
	got := NoticePeriods("연락처 30일, 대화 3개월, 로그 1년, 2주, 6 달, 0일")
	want := [][2]time.Duration{{30 * day, 30 * day}, {84 * day, 93 * day}, {365 * day, 366 * day}, {14 * day, 14 * day}, {168 * day, 186 * day}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("period %d: got %v, want %v", i, got[i], want[i])
		}
	}
}
