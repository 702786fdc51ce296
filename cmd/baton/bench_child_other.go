//go:build !linux

package main

import "os/exec"

// dieWithParent does nothing here: only Linux can tie a child's life to its
// parent's. A bench killed with SIGKILL leaves its child running.
func dieWithParent(*exec.Cmd) {}
