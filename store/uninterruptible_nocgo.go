//go:build !cgo

package store

import "database/sql/driver"

// uninterruptible returns conn: without cgo no connection ever opens.
func uninterruptible(conn driver.Conn) driver.Conn { return conn }
