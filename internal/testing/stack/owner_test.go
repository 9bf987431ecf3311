package stack

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// foreignServer starts `sleep 60` in its own process group with its working
// directory in dir, as a server of another checkout's stack runs, and ends
// it when the test ends.
func foreignServer(t *testing.T, name, dir string) *proc {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start sleep: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	_, _, start, err := procStat(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	return &proc{Name: name, Pid: cmd.Process.Pid, Start: start}
}

// ownServer starts `sleep 60` as the launcher starts a server, in
// .stack/<name>, and stops it when the test ends.
func ownServer(t *testing.T, l *Launcher, name string, args ...string) *proc {
	t.Helper()
	dir := l.stackDir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if len(args) == 0 {
		args = []string{"sleep", "60"}
	}
	p, err := l.start(name, dir, nil, args[0], args[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopProcs([]*proc{p}, 0) })
	return p
}

func writePids(t *testing.T, l *Launcher, procs ...*proc) {
	t.Helper()
	var b strings.Builder
	for _, p := range procs {
		fmt.Fprintf(&b, "%s %d %d\n", p.Name, p.Pid, p.Start)
	}
	if err := os.MkdirAll(l.StackDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.stackDir(pidsFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A process recorded under our pids file with its real start time, but
// running in another checkout's .stack, is neither stopped nor reported as
// ours, and Down says why.
func TestDownLeavesAProcessThatIsNotOurs(t *testing.T) {
	other := t.TempDir() // another checkout's .stack/drone
	p := foreignServer(t, "drone", other)
	var out bytes.Buffer
	l := &Launcher{Root: t.TempDir(), Out: &out}
	writePids(t, l, p)

	if pids, err := l.Pids(); err != nil || len(pids) != 0 {
		t.Errorf("Pids = %v, %v; want none: the process is not this checkout's", pids, err)
	}
	if err := l.Down(false); err != nil {
		t.Fatal(err)
	}
	if !groupAlive(p) {
		t.Fatal("stack down stopped a process of another checkout")
	}
	msg := out.String()
	for _, want := range []string{"not stopping or reusing drone (process group " + strconv.Itoa(p.Pid) + ")", "it runs in " + realPath(other), "cp -a"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Down said %q, want it to contain %q", msg, want)
		}
	}
	if _, err := os.Stat(l.stackDir(pidsFile)); !os.IsNotExist(err) {
		t.Errorf("the pids file naming another checkout's process is still there (%v)", err)
	}
}

// The cp -a scenario: `stack down` in the copy leaves the original's
// servers running; `stack down` in the original stops them.
func TestCopiedCheckoutStopsOnlyItsOwn(t *testing.T) {
	if _, err := exec.LookPath("cp"); err != nil {
		t.Skip("no cp")
	}
	base := t.TempDir()
	orig := &Launcher{Root: filepath.Join(base, "orig"), Out: io.Discard}
	p := ownServer(t, orig, "drone")
	if out, err := exec.Command("cp", "-a", orig.Root, filepath.Join(base, "copy")).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v\n%s", err, out)
	}
	var out bytes.Buffer
	cp := &Launcher{Root: filepath.Join(base, "copy"), Out: &out}
	if err := cp.Down(false); err != nil {
		t.Fatal(err)
	}
	if !groupAlive(p) {
		t.Fatal("stack down in the copy stopped the original's server")
	}
	if !strings.Contains(out.String(), "not stopping or reusing drone") || !strings.Contains(out.String(), realPath(orig.stackDir("drone"))) {
		t.Errorf("the copy's stack down said %q", out.String())
	}
	if pids, err := orig.Pids(); err != nil || pids["drone"] != p.Pid {
		t.Errorf("the original's Pids = %v, %v; want drone %d", pids, err, p.Pid)
	}

	if err := orig.Down(false); err != nil {
		t.Fatal(err)
	}
	if groupAlive(p) {
		t.Fatal("stack down in the original left its server running")
	}
}

func TestBelongs(t *testing.T) {
	l := &Launcher{Root: t.TempDir(), Out: io.Discard}
	p := ownServer(t, l, "galaxias")
	if ok, why := belongs(p, l.StackDir()); !ok {
		t.Fatalf("our own server does not belong to our stack: %s", why)
	}
	if ok, why := belongs(&proc{Name: p.Name, Pid: p.Pid, Start: p.Start + 1}, l.StackDir()); ok || !strings.Contains(why, "another process") {
		t.Errorf("a pid with another start time: belongs = %v, %q", ok, why)
	}
	if ok, why := belongs(p, t.TempDir()); ok || !strings.Contains(why, "not in this checkout's") {
		t.Errorf("a server of the stack in another folder: belongs = %v, %q", ok, why)
	}
}

// When the leader has exited, its group is recognised by a member that
// still runs in .stack, and Down stops it.
func TestDownStopsTheGroupOfAnExitedLeader(t *testing.T) {
	l := &Launcher{Root: t.TempDir(), Out: io.Discard}
	p := ownServer(t, l, "forker", "sh", "-c", `sleep 60 & echo KID""PID=$!`)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the leader did not exit")
	}
	if !groupAlive(p) {
		t.Fatal("the child is not running")
	}
	if ok, why := belongs(p, l.StackDir()); !ok {
		t.Fatalf("the group of an exited leader does not belong to our stack: %s", why)
	}
	if err := l.Down(false); err != nil {
		t.Fatal(err)
	}
	if groupAlive(p) {
		t.Fatal("the child is still running after stack down")
	}
}

func TestStartRefusesAFolderOutsideTheStack(t *testing.T) {
	l := &Launcher{Root: t.TempDir(), Out: io.Discard}
	if p, err := l.start("x", l.Root, nil, "sleep", "60"); err == nil || !strings.Contains(err.Error(), "not inside") {
		if p != nil {
			stopProcs([]*proc{p}, 0)
		}
		t.Fatalf("start outside .stack: %v", err)
	}
}

// A postmaster.pid copied from another checkout names that checkout's
// PostgreSQL: StopPostgres must not signal it.
func TestStopPostgresLeavesAnotherCheckoutsServer(t *testing.T) {
	other := t.TempDir() // the other checkout's .stack/postgres/data
	p := foreignServer(t, "postgres", other)
	var out bytes.Buffer
	l := &Launcher{Root: t.TempDir(), Out: &out}
	data := l.pgDir("data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(data, "postmaster.pid")
	if err := os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n%s\n", p.Pid, other)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := l.StopPostgres(); err != nil {
		t.Fatal(err)
	}
	if !groupAlive(p) {
		t.Fatal("StopPostgres stopped another checkout's server")
	}
	if !strings.Contains(out.String(), "not stopping PostgreSQL") || !strings.Contains(out.String(), realPath(other)) {
		t.Errorf("StopPostgres said %q", out.String())
	}
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("the copied pid file is still there (%v)", err)
	}
}
