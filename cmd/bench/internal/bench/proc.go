package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TFResult is one timed terraform command.
type TFResult struct {
	Args     []string
	Wall     time.Duration
	ExitCode int
	Stdout   string
	Stderr   string
	// PeakKiB is the highest VmHWM seen per provider executable name
	// (terraform-provider-drone, terraform-provider-galaxias) among the
	// children of the terraform process.
	PeakKiB map[string]int64
	// CPU time: of terraform with its reaped children (the providers), and
	// of the providers alone (last sample of /proc/<pid>/stat, so a few
	// milliseconds short).
	TotalCPU, ProviderCPU time.Duration
}

// Runner runs terraform in one directory with a fixed environment.
type Runner struct {
	Dir  string
	Env  []string      // the full environment
	Poll time.Duration // memory sampling period; 0 means 50ms
}

// Run runs terraform with args, measures its wall time and samples the peak
// memory of the provider processes it starts. err is set only when terraform
// could not be run at all.
func (r *Runner) Run(ctx context.Context, args ...string) (*TFResult, error) {
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir, cmd.Env = r.Dir, r.Env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	poll := r.Poll
	if poll <= 0 {
		poll = 50 * time.Millisecond
	}
	peak := map[string]int64{}
	cpu := map[int]time.Duration{}
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			for _, pid := range Children(cmd.Process.Pid) {
				name, kib := providerHWM(pid)
				if name == "" {
					continue
				}
				c, _ := procCPU(pid)
				mu.Lock()
				peak[name] = max(peak[name], kib)
				cpu[pid] = max(cpu[pid], c)
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	wg.Wait()
	res := &TFResult{Args: args, Wall: wall, Stdout: out.String(), Stderr: errb.String(), PeakKiB: peak}
	if ps := cmd.ProcessState; ps != nil {
		res.TotalCPU = ps.UserTime() + ps.SystemTime()
	}
	for _, c := range cpu {
		res.ProviderCPU += c
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return res, err
		}
		res.ExitCode = ee.ExitCode()
	}
	return res, nil
}

// clockTick is USER_HZ, 100 on Linux for every architecture Go supports.
const clockTick = 10 * time.Millisecond

// procCPU returns utime+stime of a process from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads fields 14 and 15 (utime, stime) of a stat line; the
// command name (field 2) may hold spaces, so fields are counted after ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("bad stat line")
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bad stat line")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad stat line")
	}
	return time.Duration(u+s) * clockTick, nil
}

// Children lists the child processes of pid (from every thread's children
// file; Terraform's goroutines start plugins from any thread).
func Children(pid int) []int {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, _ := os.ReadDir(dir)
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// providerHWM returns the executable name and VmHWM (KiB) of a provider
// process, or "" when pid is not a terraform-provider-* process.
func providerHWM(pid int) (string, int64) {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return "", 0
	}
	name := filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	if !strings.HasPrefix(name, "terraform-provider-") {
		return "", 0
	}
	kib, err := statusKiB(pid, "VmHWM")
	if err != nil {
		return "", 0
	}
	return name, kib
}

// statusKiB reads one "Name:  123 kB" line of /proc/<pid>/status.
func statusKiB(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseStatusKiB(f, field)
}

func parseStatusKiB(f io.Reader, field string) (int64, error) {
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		fs := strings.Fields(rest)
		if len(fs) == 0 {
			break
		}
		return strconv.ParseInt(fs[0], 10, 64)
	}
	return 0, fmt.Errorf("no %s in status", field)
}
