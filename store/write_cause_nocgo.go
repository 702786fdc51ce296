//go:build !cgo

package store

// sqliteCause is "" without cgo: there is no SQLite library to fail.
func sqliteCause(error) string { return "" }
