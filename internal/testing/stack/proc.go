package stack

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a server started in its own process group (pgid = pid).
type proc struct {
	Name  string
	Pid   int
	Start uint64        // the leader's start time, to tell a reused pid apart
	done  chan struct{} // closed when it exits; nil when started by another launcher run
	log   string
}

const pidsFile = "pids"

// start runs a server in the background in its own process group, with its
// output in .stack/logs/<name>.log, and records it in the pids file. dir,
// its working directory, must be inside .stack: that is how a later `stack
// down` tells this checkout's servers from those of a copy (owner.go).
func (l *Launcher) start(name, dir string, env []string, bin string, args ...string) (*proc, error) {
	if !l.insideStack(dir) {
		return nil, stepErr("start "+name, "", fmt.Errorf("its working directory %s is not inside %s, where stack down looks for its servers", dir, l.StackDir()))
	}
	logPath := l.stackDir("logs", name+".log")
	if err := os.MkdirAll(l.stackDir("logs"), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "\n=== %s: %s %s\n", time.Now().Format(time.RFC3339), bin, strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnviron(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, stepErr("start "+name, logPath, err)
	}
	p := &proc{Name: name, Pid: cmd.Process.Pid, done: make(chan struct{}), log: logPath}
	if _, _, st, err := procStat(p.Pid); err == nil {
		p.Start = st
	}
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	pf, err := os.OpenFile(l.stackDir(pidsFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(pf, "%s %d %d\n", p.Name, p.Pid, p.Start)
		if cerr := pf.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		stopProcs([]*proc{p}, 0)
		return nil, err
	}
	return p, nil
}

// exited reports whether a process started by this run has ended.
func (p *proc) exited() bool {
	if p.done == nil {
		return !groupAlive(p)
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Pids returns the pid of each server this checkout's stack started, by
// name (gitea, drone, galaxias), for tools that watch them, such as the
// benchmark.
func (l *Launcher) Pids() (map[string]int, error) {
	procs, err := l.ownProcs()
	out := map[string]int{}
	for _, p := range procs {
		out[p.Name] = p.Pid
	}
	return out, err
}

// readPids reads the pids file; a missing file means no processes.
func (l *Launcher) readPids() ([]*proc, error) {
	f, err := os.Open(l.stackDir(pidsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*proc
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		pid, err1 := strconv.Atoi(fields[1])
		start, err2 := strconv.ParseUint(fields[2], 10, 64)
		if err1 != nil || err2 != nil || pid <= 1 {
			continue
		}
		out = append(out, &proc{Name: fields[0], Pid: pid, Start: start, log: l.stackDir("logs", fields[0]+".log")})
	}
	return out, sc.Err()
}

// procStat reads a process's group, state and start time from /proc.
func procStat(pid int) (pgrp int, state byte, start uint64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state), f[2] field 5 (pgrp), f[19] field 22 (starttime).
	if len(f) < 20 {
		return 0, 0, 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	pgrp, err = strconv.Atoi(f[2])
	if err != nil {
		return 0, 0, 0, err
	}
	start, err = strconv.ParseUint(f[19], 10, 64)
	return pgrp, f[0][0], start, err
}

// groupAlive reports whether the process group started as p still has a
// running (non-zombie) member. A leader pid now used by another process
// means the group is gone: Linux does not reuse a pid while its group exists.
func groupAlive(p *proc) bool {
	if _, _, start, err := procStat(p.Pid); err == nil && p.Start != 0 && start != p.Start {
		return false
	}
	return len(groupMembers(p.Pid)) > 0
}

// groupMembers lists the running (non-zombie) processes of process group pgid.
func groupMembers(pgid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		pgrp, state, _, err := procStat(pid)
		if err == nil && pgrp == pgid && state != 'Z' && state != 'X' {
			out = append(out, pid)
		}
	}
	return out
}

// stopProcs sends SIGTERM to each live group, waits up to grace, then
// sends SIGKILL to what is left and waits a little more.
func stopProcs(procs []*proc, grace time.Duration) {
	alive := func() []*proc {
		var out []*proc
		for _, p := range procs {
			if groupAlive(p) {
				out = append(out, p)
			}
		}
		return out
	}
	wait := func(d time.Duration) []*proc {
		deadline := time.Now().Add(d)
		for {
			left := alive()
			if len(left) == 0 || time.Now().After(deadline) {
				return left
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	for _, p := range alive() {
		_ = syscall.Kill(-p.Pid, syscall.SIGTERM)
	}
	left := wait(grace)
	for _, p := range left {
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	}
	if len(left) > 0 {
		wait(5 * time.Second)
	}
}

// waitReaped waits a little for the stopped leaders to disappear from the
// process table: after the launcher exits they are reaped by init, which
// may take a moment, and until then ps lists them as defunct.
func waitReaped(procs []*proc, d time.Duration) {
	deadline := time.Now().Add(d)
	for _, p := range procs {
		for time.Now().Before(deadline) {
			_, _, start, err := procStat(p.Pid)
			if err != nil || start != p.Start {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
