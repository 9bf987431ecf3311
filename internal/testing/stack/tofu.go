package stack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// The Terraform CLIs the provider is tested with. Terraform cannot be built
// from the Go module proxy (its go.mod replaces point at nested modules the
// proxy does not serve), so it must be installed; OpenTofu is built from
// tools/opentofu on demand.
const (
	Terraform = "terraform"
	OpenTofu  = "tofu"
)

// Tofu returns the path of OpenTofu, built from the module in tools/opentofu
// into .cache/tools/tofu the first time (and again only when that module
// changes).
func (l *Launcher) Tofu(ctx context.Context) (string, error) {
	return l.buildTool(ctx, tofuTool)
}

// CLIPath returns the executable of a CLI by name: Terraform from PATH,
// OpenTofu from .cache/tools (built on demand).
func (l *Launcher) CLIPath(ctx context.Context, name string) (string, error) {
	switch name {
	case Terraform:
		p, err := exec.LookPath(Terraform)
		if err != nil {
			return "", fmt.Errorf("terraform is not on PATH: install Terraform >= 1.11 (it cannot be built from the Go module proxy), or use OpenTofu (tofu): %w", err)
		}
		return p, nil
	case OpenTofu:
		return l.Tofu(ctx)
	default:
		return "", fmt.Errorf("unknown CLI %q: want %s or %s", name, Terraform, OpenTofu)
	}
}

// lockFile takes an exclusive lock on path (created if needed), waiting for
// another process that holds it. The returned function releases it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
