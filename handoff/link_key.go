package handoff

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/baton-chat/baton/internal/keyfile"
)

// LinkSigningKey returns the HMAC key that signs new accept/end links: 32
// random bytes kept in dataDir/link.key, created 0600 on first use, so links
// survive restarts and every process sharing the data directory verifies
// them. It never depends on BATON_ADMIN_TOKEN: links are posted to Slack and
// other sinks, and a link signed with a key derived from the admin token
// lets anyone who reads it test guesses of that (master) token offline. It
// returns an error when the key file cannot be read or created.
func LinkSigningKey(dataDir string) ([]byte, error) {
	key, err := keyfile.Load(dataDir, "link.key")
	if err != nil {
		return nil, fmt.Errorf("handoff: link signing key: %w", err)
	}
	return key, nil
}

// AcceptOld makes Parse also accept tokens signed with any of keys — the
// keys that signed links before LinkSigningKey did (LinkKey of the admin
// token), so links already sent to agents keep working until they expire.
// New links are always signed with the key given to NewLinks. Keys equal to
// it, or empty, are ignored. It returns l; call it before serving.
func (l *Links) AcceptOld(keys ...[]byte) *Links {
	for _, k := range keys {
		if len(k) > 0 && !bytes.Equal(k, l.key) {
			l.old = append(l.old, k)
		}
	}
	return l
}

// signedBy reports whether mac is payload's truncated HMAC under the signing
// key or one of the keys AcceptOld added, comparing in constant time.
func (l *Links) signedBy(payload, mac []byte) bool {
	ok := false
	for _, k := range append([][]byte{l.key}, l.old...) {
		m := hmac.New(sha256.New, k)
		m.Write(payload)
		if hmac.Equal(mac, m.Sum(nil)[:linkMACLen]) {
			ok = true
		}
	}
	return ok
}
