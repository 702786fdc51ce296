// Package keyfile keeps a random 32-byte key in a file under the data
// directory, created with mode 0600 on first use, so keys that must survive
// restarts (accept-link HMAC, contact encryption) need no configuration.
package keyfile

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Size is the length of every key file.
const Size = 32

// Load returns the key in dir/name, creating dir (0700) and the file (0600)
// with a random key when it does not exist. Two processes racing to create
// it read the same key. A file of another length is an error naming it.
func Load(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil {
		if len(b) != Size {
			return nil, fmt.Errorf("key file %s: %d bytes, want %d", path, len(b), Size)
		}
		return b, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	key := make([]byte, Size)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("new key file %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("new key file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return Load(dir, name) // another process won the race
	}
	if err != nil {
		return nil, fmt.Errorf("new key file %s: %w", path, err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write key file %s: %w", path, err)
	}
	return key, nil
}
