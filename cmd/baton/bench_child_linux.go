package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel SIGKILL cmd when this process dies, so a
// bench killed with SIGKILL (or by an OOM) leaves no `baton serve` child
// holding its ports and data dir.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
