//go:build !unix

package main

import "os"

// tryLock is a no-op where flock is unavailable: baton is deployed on Linux,
// and elsewhere a second serve on one --data is not detected.
func tryLock(*os.File) error { return nil }
