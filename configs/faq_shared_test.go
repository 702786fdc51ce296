package configs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSharedFAQTextWarnings: a question or alternate that another entry
// lists too (spacing, punctuation and a trailing 요 aside) is warned about
// at the later one; repeats inside one entry are not.
func TestSharedFAQTextWarnings(t *testing.T) {
	const entries = `  - id: ship-fee
    question: 배송비는 얼마인가요?
    alternates: [%s]
    answer: 3만원 이상 무료예요.
`
	for _, tc := range []struct {
		name, alternates string
		want             []string
	}{
		{"another entry's question", `"배송 조회는 어떻게 하나요"`, []string{
			`faq.yaml:21:18: alternate 1 of FAQ "ship-fee", "배송 조회는 어떻게 하나요", is also the question of FAQ "ship-track": typed as written it answers neither directly (the matcher ranks them or asks); keep it in one entry`,
		}},
		{"without the trailing 요", `택배비, "배송 조회는 어떻게 하나"`, []string{
			`faq.yaml:21:23: alternate 2 of FAQ "ship-fee", "배송 조회는 어떻게 하나", is also the question of FAQ "ship-track": typed as written it answers neither directly (the matcher ranks them or asks); keep it in one entry`,
		}},
		{"own question", `"배송비는 얼마인가요", 택배비`, nil},
		{"different text", `"배송 조회 비용"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal(t), "escalation:", strings.Replace(entries, "%s", tc.alternates, 1)+"escalation:", 1)
			cfg, err := Parse("faq.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range cfg.Warnings {
				got = append(got, w.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}
