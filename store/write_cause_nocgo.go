//go:build !cgo

package store

// sqliteCause is "" without cgo: there is no SQLite library to fail.
func sqliteCause(error) string { return "" }

// isFsyncError is false without cgo (sqliteCause).
func isFsyncError(error) bool { return false }
