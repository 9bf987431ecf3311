package bench

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"runtime"
	"strings"

	"github.com/prometheus/procfs"
)

// Machine describes where the numbers were taken.
type Machine struct {
	NProc         int    `json:"nproc"`
	MemTotalMiB   int64  `json:"mem_total_mib"`
	CPU           string `json:"cpu"`
	GoVersion     string `json:"go_version"`
	Terraform     string `json:"terraform_version"`
	LoadAvgStart  string `json:"loadavg_start"`
	LoadAvgEnd    string `json:"loadavg_end"`
	Kernel        string `json:"kernel"`
	SharedMachine bool   `json:"shared_machine"`
	Note          string `json:"note,omitempty"`
}

// CollectMachine describes this machine.
func CollectMachine() Machine {
	m := Machine{NProc: runtime.NumCPU(), GoVersion: runtime.Version(), SharedMachine: true}
	if fs, err := procfs.NewDefaultFS(); err == nil {
		if mi, err := fs.Meminfo(); err == nil && mi.MemTotal != nil {
			m.MemTotalMiB = int64(*mi.MemTotal / 1024) //nolint:gosec // memory in MiB fits
		}
		if cpus, err := fs.CPUInfo(); err == nil && len(cpus) > 0 {
			m.CPU = cpus[0].ModelName
		}
	}
	if out, err := exec.Command("terraform", "version", "-json").Output(); err == nil {
		var v struct {
			Version string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil {
			m.Terraform = v.Version
		}
	}
	if out, err := exec.Command("uname", "-sr").Output(); err == nil {
		m.Kernel = strings.TrimSpace(string(out))
	}
	m.LoadAvgStart = LoadAvg()
	return m
}

// Tree describes the source tree the provider was built from.
func Tree(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	t := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		t += " with uncommitted changes"
	}
	return t
}

// LoadAvg returns the 1, 5 and 15 minute load averages, as /proc/loadavg
// shows them.
func LoadAvg() string {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return ""
	}
	l, err := fs.LoadAvg()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%.2f %.2f %.2f", l.Load1, l.Load5, l.Load15)
}
