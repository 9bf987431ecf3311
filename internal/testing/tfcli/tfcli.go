// Package tfcli runs a Terraform CLI (terraform, or OpenTofu's tofu) for the
// project's tooling, and serves providers in-process for it: the one runner
// behind the acceptance tests' CLI steps (internal/acctest), the end-to-end
// suites (internal/e2e), the reliability tests and the benchmark harness.
package tfcli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// defaultBin is the CLI the tests use unless they choose one:
// TF_ACC_TERRAFORM_PATH (as terraform-plugin-testing reads it), else
// terraform from PATH.
func defaultBin() string {
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	return "terraform"
}

// CLI runs a Terraform CLI in one working directory.
type CLI struct {
	Bin string   // the CLI's executable; "" means defaultBin
	Dir string   // the working directory
	Env []string // added to this process's environment (NAME=value)
	// Log, when set, is told each command and how long it took.
	Log func(format string, args ...any)
}

// Result is one finished CLI command.
type Result struct {
	CLI      string // base name of the executable
	Args     []string
	ExitCode int
	Stdout   string
	Stderr   string
}

func (r *Result) String() string {
	return fmt.Sprintf("%s %s: exit %d\n%s\n%s", r.CLI, strings.Join(r.Args, " "), r.ExitCode,
		tail(r.Stdout, 4000), tail(r.Stderr, 4000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// Command returns the command that runs the CLI with args: in Dir, never
// interactive, no update check, with Env added.
func (c *CLI) Command(ctx context.Context, args ...string) *exec.Cmd {
	bin := c.Bin
	if bin == "" {
		bin = defaultBin()
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = c.Dir
	cmd.Env = append(append(os.Environ(), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1"), c.Env...)
	return cmd
}

// Run runs the CLI with args. err is set only when the CLI could not be run
// at all; a non-zero exit is in Result.ExitCode.
func (c *CLI) Run(ctx context.Context, args ...string) (*Result, error) {
	cmd := c.Command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := &Result{CLI: filepath.Base(cmd.Path), Args: args, Stdout: out.String(), Stderr: errb.String()}
	if c.Log != nil {
		c.Log("%s %s (%s)", r.CLI, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return r, err
		}
		r.ExitCode = ee.ExitCode()
	}
	return r, nil
}
