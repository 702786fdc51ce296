package handoff

import (
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/store"
)

// TestAlreadyText: a link that changed nothing says what happened to the
// handoff, and says "nobody took it" exactly when nobody did.
func TestAlreadyText(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	for _, tc := range []struct {
		name         string
		accepted     bool
		ended        bool
		reason, want string
		nobodyTookIt bool
	}{
		{name: "open, accepted", accepted: true, want: "이미 수락된 상담입니다"},
		{name: "open, not accepted", want: "아직 아무도 맡지 않은", nobodyTookIt: true},
		{name: "user cancelled", ended: true, reason: "user_cancel", want: "고객이 상담 요청을 취소했습니다", nobodyTookIt: true},
		// rowCancelAccepted: their 상담 취소 reached the bot as an agent took
		// it; the accept is kept, and somebody did take it.
		{name: "user cancelled after an agent took it", ended: true, accepted: true, reason: "user_cancel", want: "상담원이 맡았던 상담이 이미 종료되었습니다"},
		{name: "wait timed out", ended: true, reason: "wait_timeout", want: "대기 시간이 지나", nobodyTookIt: true},
		{name: "one_on_one not connected", ended: true, reason: "not_connected", want: "대기 시간이 지나", nobodyTookIt: true},
		{name: "returned", ended: true, accepted: true, reason: "returned_via_kakao", want: "고객이 챗봇으로 돌아와"},
		{name: "superseded", ended: true, reason: "superseded", want: "새 상담을 요청해"},
		{name: "ended by an agent", ended: true, accepted: true, reason: LinkReason, want: "상담원이 맡았던 상담이 이미 종료되었습니다"},
		{name: "ended by an admin before anyone took it", ended: true, reason: AdminReason, want: "이미 종료된 상담입니다"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := store.Handoff{EndReason: tc.reason}
			if tc.accepted {
				h.AcceptedAt = at
			}
			if tc.ended {
				h.EndedAt = at.Add(time.Minute)
			}
			got := alreadyText(h, configs.DefaultTexts())
			if !strings.Contains(got, tc.want) {
				t.Errorf("alreadyText: got %q, want it to contain %q", got, tc.want)
			}
			if nobody := strings.Contains(got, "아무도 맡지 않은"); nobody != tc.nobodyTookIt {
				t.Errorf("alreadyText %q says nobody took it: got %v, want %v", got, nobody, tc.nobodyTookIt)
			}
		})
	}
}

// TestAlreadyTextFromConfig: each case of a link that changed nothing
// takes its own text from the config (texts.link_*), not a built-in one.
func TestAlreadyTextFromConfig(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	tx := configs.Texts{LinkTaken: "taken", LinkNotWaiting: "not waiting", LinkUserCancelled: "cancelled",
		LinkWaitTimedOut: "timed out", LinkUserReturned: "returned", LinkSuperseded: "superseded",
		LinkAgentEnded: "agent ended", LinkAlreadyEnded: "already ended"}
	for _, tc := range []struct {
		accepted, ended bool
		reason, want    string
	}{
		{accepted: true, want: "taken"},
		{want: "not waiting"},
		{ended: true, reason: "user_cancel", want: "cancelled"},
		{ended: true, accepted: true, reason: "user_cancel", want: "agent ended"},
		{ended: true, reason: "wait_timeout", want: "timed out"},
		{ended: true, reason: "not_connected", want: "timed out"},
		{ended: true, accepted: true, reason: "returned_via_kakao", want: "returned"},
		{ended: true, reason: "superseded", want: "superseded"},
		{ended: true, accepted: true, reason: LinkReason, want: "agent ended"},
		{ended: true, reason: AdminReason, want: "already ended"},
	} {
		h := store.Handoff{EndReason: tc.reason}
		if tc.accepted {
			h.AcceptedAt = at
		}
		if tc.ended {
			h.EndedAt = at.Add(time.Minute)
		}
		if got := alreadyText(h, tx); got != tc.want {
			t.Errorf("alreadyText(accepted %v, ended %v, reason %q): got %q, want %q", tc.accepted, tc.ended, tc.reason, got, tc.want)
		}
	}
}
