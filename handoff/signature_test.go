package handoff_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
)

// The worked example of docs/dealer-contract.md; the hex was computed
// independently with `openssl dgst -sha256 -hmac`.
const (
	kaSecret = "whsec_test_happytalk"
	kaUnix   = 1795838400 // 2026-11-28T04:00:00Z
	kaBody   = `{"version":1,"id":"evt_01","type":"session.started","handoff_id":"01JD0000000000000000000000","at":"2026-11-28T04:00:00Z"}`
	kaHeader = "t=1795838400,v1=45285f778be87a3c32dea221364e903956b475e72e424b7d9e1017bfbaac0eae"
)

func TestSignKnownAnswer(t *testing.T) {
	got := handoff.Sign([]byte(kaSecret), time.Unix(kaUnix, 0), []byte(kaBody))
	if got != kaHeader {
		t.Fatalf("got %s, want %s", got, kaHeader)
	}
}

func TestVerify(t *testing.T) {
	secret := []byte(kaSecret)
	at := time.Unix(kaUnix, 0)
	sign := func(d time.Duration) string { return handoff.Sign(secret, at.Add(d), []byte(kaBody)) }
	tests := []struct {
		name   string
		secret []byte
		header string
		body   string
		now    time.Time
		ok     bool
	}{
		{"known answer", secret, kaHeader, kaBody, at, true},
		{"299 s old", secret, kaHeader, kaBody, at.Add(299 * time.Second), true},
		{"299 s ahead", secret, kaHeader, kaBody, at.Add(-299 * time.Second), true},
		{"300 s old", secret, kaHeader, kaBody, at.Add(300 * time.Second), true},
		{"301 s old", secret, kaHeader, kaBody, at.Add(301 * time.Second), false},
		{"301 s ahead", secret, kaHeader, kaBody, at.Add(-301 * time.Second), false},
		{"tampered body", secret, kaHeader, kaBody[:len(kaBody)-2] + " }", at, false},
		{"body with trailing newline", secret, kaHeader, kaBody + "\n", at, false},
		{"tampered timestamp", secret, "t=" + strconv.Itoa(kaUnix+1) + kaHeader[12:], kaBody, at, false},
		{"wrong secret", []byte("other"), kaHeader, kaBody, at, false},
		{"empty secret", nil, handoff.Sign(nil, at, []byte(kaBody)), kaBody, at, false},
		{"rotation: second v1 matches", secret, kaHeader[:13] + "v1=00ff," + kaHeader[13:], kaBody, at, true},
		{"missing header", secret, "", kaBody, at, false},
		{"no v1", secret, "t=1795838400", kaBody, at, false},
		{"no t", secret, kaHeader[13:], kaBody, at, false},
		{"not hex", secret, "t=1795838400,v1=zz", kaBody, at, false},
		{"garbage", secret, "sha256=abc", kaBody, at, false},
		{"fresh signature", secret, sign(0), kaBody, at, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := handoff.Verify(tc.secret, tc.header, []byte(tc.body), tc.now, handoff.DefaultSignatureSkew)
			if tc.ok && err != nil {
				t.Fatalf("got %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, handoff.ErrBadSignature) {
				t.Fatalf("got %v, want ErrBadSignature", err)
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	secret, body, now := []byte(kaSecret), []byte(kaBody), time.Unix(kaUnix, 0)
	for b.Loop() {
		if err := handoff.Verify(secret, kaHeader, body, now, handoff.DefaultSignatureSkew); err != nil {
			b.Fatal(err)
		}
	}
}
