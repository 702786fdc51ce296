package handoff_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/baton-chat/baton/handoff"
)

// TestEventAPITransportOutcomes: a call whose TLS handshake fails (here the
// host's certificate is not trusted) never wrote its request, so nothing
// reached Kakao and nothing was billed: ErrEventNotSent, which the
// deliverer tries again. It used to be ErrEventUnknown (only a failed dial
// counted as not sent), and those messages were never sent. A request that
// was written and then got no answer stays unknown: it may have been
// accepted, and resending could send it twice.
func TestEventAPITransportOutcomes(t *testing.T) {
	req := handoff.EventRequest{Event: handoff.EventName{Name: "상담 재개 알림"}, User: []handoff.EventUser{{Type: "botUserKey", ID: "u1"}}}

	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the request reached a host whose certificate is not trusted")
	}))
	defer untrusted.Close()
	_, err := handoff.NewEventAPIClient(untrusted.URL, "key").Talk(context.Background(), "bot1", req)
	if !errors.Is(err, handoff.ErrEventNotSent) || !handoff.Retryable(err) {
		t.Errorf("TLS handshake failed: got %v, want ErrEventNotSent (retryable)", err)
	}

	hangUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close() // read the whole call, then no answer
		}
	}))
	defer hangUp.Close()
	_, err = handoff.NewEventAPIClient(hangUp.URL, "key").Talk(context.Background(), "bot1", req)
	if !errors.Is(err, handoff.ErrEventUnknown) || handoff.Retryable(err) {
		t.Errorf("request written, no answer: got %v, want ErrEventUnknown (not retryable)", err)
	}
}
