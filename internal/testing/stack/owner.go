package stack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A checkout copied with `cp -a` carries .stack/pids (and PostgreSQL's
// postmaster.pid), which name the original checkout's servers: `stack down`
// in the copy must not stop them, nor `stack up` reuse them. Every server is
// started with its working directory inside its checkout's .stack, so a
// recorded process belongs to this checkout when it still has the start
// time recorded at launch and runs inside this checkout's .stack.

// ownProcs reads the pids file and returns the processes of this checkout's
// stack. A recorded process that is alive but is not this checkout's is
// left out, and said so.
func (l *Launcher) ownProcs() ([]*proc, error) {
	procs, err := l.readPids()
	if err != nil {
		return nil, err
	}
	var out []*proc
	for _, p := range procs {
		if !groupAlive(p) {
			out = append(out, p) // nothing runs: nothing to stop, nothing to reuse
			continue
		}
		if ok, why := belongs(p, l.StackDir()); !ok {
			l.logf("not stopping or reusing %s (process group %d): %s", p.Name, p.Pid, why)
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// belongs tells whether the running process group started as p belongs to
// the stack in stackDir: its leader still has the recorded start time and
// runs inside stackDir or, once the leader has exited, a member of its group
// runs there. why says why not.
func belongs(p *proc, stackDir string) (ok bool, why string) {
	dir := realPath(stackDir)
	pgrp, state, start, err := procStat(p.Pid)
	if err == nil && state != 'Z' && state != 'X' {
		switch {
		case p.Start != 0 && start != p.Start:
			return false, fmt.Sprintf("pid %d is now another process (started at tick %d, not %d)", p.Pid, start, p.Start)
		case pgrp != p.Pid:
			return false, fmt.Sprintf("pid %d is now in process group %d, not leading its own", p.Pid, pgrp)
		}
		return runsIn(p.Pid, dir)
	}
	members := groupMembers(p.Pid)
	for _, pid := range members {
		if ok, _ := runsIn(pid, dir); ok {
			return true, ""
		}
	}
	if len(members) == 0 {
		return false, "it is not running"
	}
	_, why = runsIn(members[0], dir)
	return false, why
}

// runsIn tells whether process pid's working directory is dir or below it.
func runsIn(pid int, dir string) (bool, string) {
	cwd, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err != nil {
		return false, fmt.Sprintf("cannot tell where pid %d runs: %v", pid, err)
	}
	if cwd == dir || strings.HasPrefix(cwd, dir+string(filepath.Separator)) {
		return true, ""
	}
	return false, fmt.Sprintf("it runs in %s, not in this checkout's %s: it belongs to another checkout's stack "+
		"(a copy made with cp -a carries the original's .stack); stop it from there", cwd, dir)
}

// insideStack tells whether dir is this checkout's .stack or below it.
func (l *Launcher) insideStack(dir string) bool {
	stack, d := realPath(l.StackDir()), realPath(dir)
	return d == stack || strings.HasPrefix(d, stack+string(filepath.Separator))
}

// realPath is path made absolute with its symbolic links resolved, as the
// kernel shows a working directory; as far as it exists.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// foreignPostmaster checks PostgreSQL's pid file in data: when it names a
// running process that does not run in data (PostgreSQL's working
// directory is its data directory), the file was copied from another
// checkout or is stale, and pg_ctl must not signal that process. It returns
// why, or "" when pg_ctl may use the file.
func foreignPostmaster(data string) string {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return ""
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); errors.Is(err, os.ErrNotExist) {
		return "" // not running: pg_ctl sees that itself
	}
	cwd, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err == nil && cwd == realPath(data) {
		return ""
	}
	if err != nil {
		return fmt.Sprintf("its pid file names process %d, and where that runs cannot be seen (%v)", pid, err)
	}
	return fmt.Sprintf("its pid file names process %d, which runs in %s, not in %s: the file was copied from "+
		"another checkout (cp -a) or is stale", pid, cwd, realPath(data))
}
