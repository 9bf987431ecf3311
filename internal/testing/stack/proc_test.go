package stack

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStartStop(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	l := &Launcher{Root: t.TempDir()}
	dir := l.stackDir("sleeper")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A parent with a child: stopping must end the whole group.
	p, err := l.start("sleeper", dir, nil, "sh", "-c", `sleep 60 & echo KID""PID=$! ; wait`)
	if err != nil {
		t.Fatal(err)
	}
	var child int
	deadline := time.Now().Add(5 * time.Second)
	for child == 0 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(p.log)
		if _, after, ok := strings.Cut(string(b), "KIDPID="); ok {
			child, _ = strconv.Atoi(strings.TrimSpace(after))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if child == 0 || !groupAlive(p) {
		t.Fatalf("group not running (child %d)", child)
	}
	procs, err := l.readPids()
	if err != nil || len(procs) != 1 || procs[0].Pid != p.Pid || procs[0].Start != p.Start || procs[0].Name != "sleeper" {
		t.Fatalf("readPids = %+v, %v", procs, err)
	}
	stopProcs(procs, 5*time.Second)
	if groupAlive(p) {
		t.Fatal("group still alive after stop")
	}
	if _, state, _, err := procStat(child); err == nil && state != 'Z' {
		t.Fatalf("child %d still running (%c)", child, state)
	}
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Fatal("leader not reaped")
	}
}

func TestGroupAliveIgnoresReusedPid(t *testing.T) {
	// Our own pid with a different start time stands for a reused pid.
	_, _, start, err := procStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if groupAlive(&proc{Pid: os.Getpid(), Start: start + 1}) {
		t.Fatal("a leader with another start time counted as ours")
	}
}
