//go:build !linux

package store

import "os"

// datasync flushes f to disk (on macOS with F_FULLFSYNC, as os.File.Sync does).
func datasync(f *os.File) error { return f.Sync() }
