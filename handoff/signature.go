package handoff

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries Baton's HMAC signature on dealer requests, dealer
// events and notify sinks: "t=<unix seconds>,v1=<hex HMAC-SHA256>".
const SignatureHeader = "X-Baton-Signature"

// DefaultSignatureSkew is how far a signature's timestamp may be from the
// receiver's clock (either direction) before it is refused as stale.
const DefaultSignatureSkew = 300 * time.Second

// ErrBadSignature is wrapped by every error Verify returns: the header is
// missing or malformed, its timestamp is outside the allowed skew, or no v1
// value matches. Receivers answer 401 and apply nothing.
var ErrBadSignature = errors.New("handoff: bad signature")

// Sign returns the X-Baton-Signature value for body sent at t:
// "t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>." + body)>". body must be the
// exact bytes sent.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// mac is HMAC-SHA256(secret, ts + "." + body).
func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks header (an X-Baton-Signature value) against the raw body:
// the timestamp must be within skew of now (inclusive) and one of the v1
// values must equal HMAC-SHA256(secret, t + "." + body), compared in
// constant time. Several v1 values are allowed (a sender rotating secrets).
// An empty secret verifies nothing. Every error wraps ErrBadSignature.
func Verify(secret []byte, header string, body []byte, now time.Time, skew time.Duration) error {
	if len(secret) == 0 {
		return fmt.Errorf("handoff: verify signature: no secret configured: %w", ErrBadSignature)
	}
	ts, sigs, err := parseSignature(header)
	if err != nil {
		return fmt.Errorf("handoff: verify signature: %v: %w", err, ErrBadSignature)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("handoff: verify signature: timestamp %q: %w", ts, ErrBadSignature)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > skew || d < -skew {
		return fmt.Errorf("handoff: verify signature: timestamp %d is %s from now: %w",
			unix, d.Round(time.Second), ErrBadSignature)
	}
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err == nil && hmac.Equal(got, want) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("handoff: verify signature: no v1 value matches: %w", ErrBadSignature)
	}
	return nil
}

// parseSignature splits "t=..,v1=..[,v1=..]" into the timestamp and the v1
// values. Unknown keys (a future v2) are skipped.
func parseSignature(header string) (ts string, v1 []string, err error) {
	if header == "" {
		return "", nil, errors.New("header missing")
	}
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, fmt.Errorf("malformed element %q", part)
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, errors.New("two timestamps")
			}
			ts = v
		case "v1":
			v1 = append(v1, v)
		}
	}
	if ts == "" {
		return "", nil, errors.New("no timestamp")
	}
	if len(v1) == 0 {
		return "", nil, errors.New("no v1 signature")
	}
	return ts, v1, nil
}
