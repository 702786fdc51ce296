package main

import (
	"io"
	"testing"
)

// TestBenchChildTakesNoBackup: the `baton serve` a soak or a --separate
// run measures is started with nightly backups off, so a run after the
// backup hour does not copy the database inside its first window.
func TestBenchChildTakesNoBackup(t *testing.T) {
	t.Parallel()
	args := benchServeArgs("configs/example.yaml", t.TempDir())
	if args[0] != "serve" {
		t.Fatalf("got %q, want a serve command line", args)
	}
	m := NewMain()
	m.Stderr = io.Discard
	if err := m.ParseFlags(args[1:]); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args[1:], err)
	}
	if m.BackupHour != -1 {
		t.Errorf("the bench child's --backup-hour: got %d, want -1 (no backups)", m.BackupHour)
	}
	if m.Addr != "127.0.0.1:0" || m.AdminAddr != "127.0.0.1:0" {
		t.Errorf("the bench child's addresses: got %s and %s, want loopback ports", m.Addr, m.AdminAddr)
	}
}

// TestBenchBatonTakesNoBackup: the in-process Baton of the comparison and
// memory modes takes no nightly backup either; its first housekeeping tick
// falls inside Baton's fixed-rate phase.
func TestBenchBatonTakesNoBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := newBenchMain("configs/example.yaml", dir, io.Discard)
	if got := m.backupDir(); got != "" {
		t.Errorf("the in-process bench Baton's backup dir: got %q (backup hour %d), want none", got, m.BackupHour)
	}
	if m.DataDir != dir || m.Addr != "127.0.0.1:0" || m.AdminAddr != "127.0.0.1:0" {
		t.Errorf("the in-process bench Baton: data %q, addresses %s and %s; want %q and loopback ports", m.DataDir, m.Addr, m.AdminAddr, dir)
	}
}
