package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
)

// TestBenchChildDiesWithParent: a child started with dieWithParent is killed
// by the kernel when its parent dies of SIGKILL, as the soak's `baton serve`
// is when the bench is killed. The test binary plays both: a parent that
// starts a child and prints its pid, and a child that blocks.
func TestBenchChildDiesWithParent(t *testing.T) {
	switch os.Getenv("BATON_TEST_DEATHSIG_ROLE") {
	case "child":
		select {}
	case "parent":
		cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChildDiesWithParent$")
		cmd.Env = append(os.Environ(), "BATON_TEST_DEATHSIG_ROLE=child")
		dieWithParent(cmd)
		if err := cmd.Start(); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(cmd.Process.Pid)
		select {}
	}

	parent := exec.Command(os.Args[0], "-test.run=^TestBenchChildDiesWithParent$")
	parent.Env = append(os.Environ(), "BATON_TEST_DEATHSIG_ROLE=parent")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = parent.Process.Kill(); _ = parent.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read the child's pid: %v", err)
	}
	pid, err := strconv.Atoi(line[:len(line)-1])
	if err != nil {
		t.Fatalf("parent said %q, want the child's pid", line)
	}
	// A pidfd becomes readable when its process exits.
	fd, _, errno := syscall.Syscall(434 /* pidfd_open */, uintptr(pid), 0, 0)
	if errno != 0 {
		t.Skipf("pidfd_open: %v (Linux before 5.3)", errno)
	}
	pidfd := int(fd)
	defer syscall.Close(pidfd)
	if err := parent.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = parent.Wait()

	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(ep)
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, pidfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(pidfd)}); err != nil {
		t.Fatal(err)
	}
	events := make([]syscall.EpollEvent, 1)
	for {
		n, err := syscall.EpollWait(ep, events, 10_000)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child %d still running 10s after its parent was killed", pid)
		}
		return
	}
}
