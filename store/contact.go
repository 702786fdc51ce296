package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/baton-chat/baton/internal/keyfile"
)

// ContactKeyEnv names the environment variable holding the contact key
// (base64 of 32 bytes). Without it the key lives in <data>/contact.key.
const ContactKeyEnv = "BATON_CONTACT_KEY"

// contactKeyFile is the key file under the data directory.
const contactKeyFile = "contact.key"

// ContactKey returns the 32-byte AES key for contacts: envValue decoded
// from base64 when set, else the key file under dataDir, created (0600)
// with a random key on first use. It returns an error for a malformed
// envValue or an unreadable or unwritable key file.
func ContactKey(dataDir, envValue string) ([]byte, error) {
	if envValue != "" {
		key, err := base64.StdEncoding.DecodeString(envValue)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("store: %s must be base64 of 32 bytes", ContactKeyEnv)
		}
		return key, nil
	}
	key, err := keyfile.Load(dataDir, contactKeyFile)
	if err != nil {
		return nil, fmt.Errorf("store: contact key: %w", err)
	}
	return key, nil
}

// ContactBox seals and opens contacts (phone numbers left with a ticket)
// with AES-256-GCM. The row id is the additional data, so a ciphertext moved
// to another row does not open. It is safe for concurrent use.
type ContactBox struct {
	aead cipher.AEAD
}

// NewContactBox returns a box for a 32-byte key (see ContactKey).
func NewContactBox(key []byte) (*ContactBox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("store: contact key: %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("store: contact key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("store: contact key: %w", err)
	}
	return &ContactBox{aead: aead}, nil
}

// seal returns nonce || ciphertext of plain bound to id.
func (b *ContactBox) seal(id, plain string) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, []byte(plain), []byte(id)), nil
}

// open is the inverse of seal.
func (b *ContactBox) open(id string, sealed []byte) (string, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("ciphertext too short")
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

const sqlAddContact = `INSERT INTO contacts (id, user_key, ciphertext, created_at) VALUES (?, ?, ?, ?)`

// AddContactOp encrypts contact and records it as row id for userKey within
// a turn (TurnWrite.Ops). The plaintext goes nowhere else. It returns an
// error only when the system's randomness fails.
func (b *ContactBox) AddContactOp(id, userKey, contact string, at time.Time) (Op, error) {
	sealed, err := b.seal(id, contact)
	if err != nil {
		return Op{}, fmt.Errorf("store: seal contact %s: %w", id, err)
	}
	return Op{Name: "add contact", SQL: sqlAddContact, Args: []any{id, userKey, sealed, at.UnixMilli()}}, nil
}

// Contact decrypts contact id with box, for masters only (callers log the
// read in access_log). ok is false when the row is gone (retention). It
// returns an error when the row does not open with box's key, ErrClosed
// after Close, or the query's error, wrapped.
func (db *DB) Contact(ctx context.Context, box *ContactBox, id string) (contact string, ok bool, err error) {
	if db.writer.isClosed() {
		return "", false, fmt.Errorf("store: contact %s: %w", id, ErrClosed)
	}
	var sealed []byte
	err = db.r.QueryRowContext(ctx, `SELECT ciphertext FROM contacts WHERE id = ?`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: contact %s: %w", id, err)
	}
	plain, err := box.open(id, sealed)
	if err != nil {
		return "", false, fmt.Errorf("store: contact %s: open: %w", id, err)
	}
	return plain, true, nil
}

// PruneContacts deletes contacts created before before (retention.contacts),
// in writes of at most 500 rows, and returns how many it deleted. Tickets
// keep their contact_id; Contact then reports the row gone. It stops at the
// first error, wrapped.
func (db *DB) PruneContacts(ctx context.Context, before time.Time) (int, error) {
	return db.pruneChunks(ctx, "contacts", `DELETE FROM contacts WHERE id IN
		(SELECT id FROM contacts WHERE created_at < ? LIMIT ?)`, before)
}
