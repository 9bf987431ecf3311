package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/procfs"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// tfResult is one timed terraform command.
type tfResult struct {
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

// runner runs terraform in one directory with a fixed environment.
type runner struct {
	Dir  string
	Env  []string      // the full environment
	Poll time.Duration // memory sampling period; 0 means 50ms
}

// Run runs terraform with args, measures its wall time and samples the peak
// memory of the provider processes it starts. err is set only when terraform
// could not be run at all.
func (r *runner) Run(ctx context.Context, args ...string) (*tfResult, error) {
	cmd := (&tfcli.CLI{Bin: "terraform", Dir: r.Dir}).Command(ctx, args...)
	cmd.Env = r.Env // exactly the measured environment
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
			for _, pid := range children(cmd.Process.Pid) {
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
	res := &tfResult{Args: args, Wall: wall, Stdout: out.String(), Stderr: errb.String(), PeakKiB: peak}
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

// procCPU returns the CPU time (user and system) a process has used so far.
func procCPU(pid int) (time.Duration, error) {
	p, err := procfs.NewProc(pid)
	if err != nil {
		return 0, err
	}
	st, err := p.Stat()
	if err != nil {
		return 0, err
	}
	return time.Duration(st.CPUTime() * float64(time.Second)).Round(time.Millisecond), nil
}

// children lists the child processes of pid (from every thread's children
// file; Terraform's goroutines start plugins from any thread).
func children(pid int) []int {
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
	p, err := procfs.NewProc(pid)
	if err != nil {
		return "", 0
	}
	exe, err := p.Executable()
	if err != nil {
		return "", 0
	}
	name := filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	if !strings.HasPrefix(name, "terraform-provider-") {
		return "", 0
	}
	st, err := p.NewStatus()
	if err != nil {
		return "", 0
	}
	return name, int64(st.VmHWM / 1024) //nolint:gosec // a process's peak memory in KiB fits
}

// selfCPU is the CPU time of the harness process (proxies, sampling).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
