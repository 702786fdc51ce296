//go:build !race

package skill_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/fsm"
	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/allocbytes"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/skill"
)

// TestSlowTurnPathAllocs holds a menu tap through the real handler (the
// store in memory, as in BenchmarkTurnPath) to the allocations this version
// measures, the test's request and recorder included: the hard-deadline
// timer is reused with its pooled turn, not made per turn, and it ends the
// turn's context too (no context.WithTimeout per turn); a turn that opens
// no handoff makes no handoff id or code (fsm.Minter); its write and its
// outcome are one allocation (stepped), reused from turn to turn
// (steppedPool). A pool refilled after a collection costs an allocation
// now and then, so a count may read one over its usual value: the menu
// tap's 65 reads 66 in about one run of six.
//
// It holds the heap bytes of both turns too (allocbytes.Least, the least of three rounds): at a fixed
// rate the share of turns that meet a collection follows the bytes a turn
// allocates (docs/benchmarks.md §1 "What a turn allocates"). The ceilings
// are this version's measurement plus about 9%, room for the runtime's own
// variation but not for a change that adds a kilobyte; most of the bytes
// are the test's own request (its 4 KB bufio.Reader) and recorder.
// Measured: a menu tap 10,356 bytes (11,765 with a stepped allocated per
// turn); a turn while waiting, whose reply is rendered for it alone and
// written from the encoder's pooled buffer (turnResult.enc), not from a
// copy, with its quick replies' taps marshalled into a pooled buffer too
// and its wire structs built in the encoders' scratch space (tapExtras,
// pooledEncoder; held by TestSlowRenderAllocs), and its card's operator
// button stamped with the engine's shared tap (fsm's buttonTaps), 11,073 in
// 65 allocations (11,153 in 66 with a tap made per turn, 13,441 in 71 with
// the wire structs allocated too, 14,213 with the taps copied out too,
// 16,516 with the reply copied too, 17,923 with the stepped too).
//
// Lower the ceilings when a change cuts more; raise them only with a
// reason in the commit.
func TestSlowTurnPathAllocs(t *testing.T) {
	const menuBytes, waitingBytes = 11300, 12200
	cfg, e := testutil.Engine(t, "../configs/example.yaml")
	post := allocsPoster(t, cfg, e, time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)) // 10:00 KST
	tap := tapLabel(t, "allocs-user", post(welcomeOf("allocs-user")), "주문/배송")
	if got := post(tap); !bytes.Contains(got, []byte("배송 조회")) {
		t.Fatalf("got %s, want the 주문/배송 menu", got)
	}
	got := testing.AllocsPerRun(200, func() { post(tap) })
	if got > 66 {
		t.Errorf("got %v allocations per menu tap, want at most 66", got)
	}
	if got := allocbytes.Least(3, 200, func() { post(tap) }); got > menuBytes {
		t.Errorf("got %.0f bytes per menu tap, want at most %d", got, menuBytes)
	}

	// A turn while waiting for a human (one_on_one): answered as the bot,
	// with the operator button and ten quick replies, rendered per turn.
	// Button labels are checked without formatting their field names, the
	// quick replies' extras are marshalled into one allocation, and the
	// bubbles are appended to one slice (a short text without SplitText's).
	confirm := post(payload("allocs-waiting", "상담원"))
	post(tapLabel(t, "allocs-waiting", confirm, "네, 연결해 주세요"))
	question := payload("allocs-waiting", "배송비 얼마에요")
	if got := post(question); !bytes.Contains(got, []byte(`"operator"`)) {
		t.Fatalf("got %s, want the waiting answer with the operator button", got)
	}
	got = testing.AllocsPerRun(200, func() { post(question) })
	if got > 65 {
		t.Errorf("got %v allocations per turn while waiting, want at most 65", got)
	}
	if got := allocbytes.Least(3, 200, func() { post(question) }); got > waitingBytes {
		t.Errorf("got %.0f bytes per turn while waiting, want at most %d", got, waitingBytes)
	}
}

// allocsPoster serves e through a real handler (the store in memory, the
// rate limit out of the way, the clock stopped at now) and returns a
// function that posts a payload and returns the answer, failing t on a
// status other than 200: the allocation tests measure whole turns with it.
func allocsPoster(t *testing.T, cfg *configs.Config, e *fsm.Engine, now time.Time) func([]byte) []byte {
	t.Helper()
	s := skill.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), e, newMemConversations(), handoff.Effects{}, nil, skill.Options{
		FallbackText: cfg.Texts.Fallback, FallbackButton: cfg.Texts.FallbackButton, RateLimitedText: cfg.Texts.RateLimited,
		RateTurns: 1 << 30, RatePer: time.Second, RateBurst: 1 << 30,
		Now: func() time.Time { return now },
	})
	h := s.Handler()
	return func(body []byte) []byte {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/skill", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			t.Fatalf("got status %d, want 200", rec.Code)
		}
		return rec.Body.Bytes()
	}
}
