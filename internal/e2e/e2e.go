// Package e2e runs the Terraform examples (examples/quickstart,
// examples/bootstrap-environment, the galaxias-service module,
// examples/drift-detection) with the real CLIs against the local stack, the
// way a user would: a copy of the example in a temporary folder, `init
// -upgrade` from the filesystem mirror of the local build
// (TF_CLI_CONFIG_FILE_MIRROR) or plan and apply through dev_overrides, apply,
// plan, destroy. Every suite runs once per CLI, Terraform (terraform from
// PATH) and OpenTofu (.cache/tools/tofu, built on demand from tools/opentofu),
// as parallel subtests named after the CLI; E2E_CLIS=terraform or
// E2E_CLIS=tofu limits them to one. The tests skip unless TF_ACC is set, like
// the other acceptance tests; the fmt and validate checks of the examples
// need only a built provider (go run ./cmd/stack install).
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Terraform runs a Terraform CLI, terraform or OpenTofu's tofu, in one
// working directory.
type Terraform struct {
	Bin string // the CLI's executable; "" means terraform from PATH
	Dir string
	Env []string // added to the environment (NAME=value)
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

// Run runs the CLI with args. err is set only when the CLI could not be run
// at all; a non-zero exit is in Result.ExitCode.
func (tf *Terraform) Run(ctx context.Context, args ...string) (*Result, error) {
	bin := tf.Bin
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = tf.Dir
	cmd.Env = append(append(os.Environ(), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1"), tf.Env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := &Result{CLI: filepath.Base(bin), Args: args, Stdout: out.String(), Stderr: errb.String()}
	if tf.Log != nil {
		tf.Log("%s %s (%s)", r.CLI, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
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

// CopyExamples copies the named folders of examples/ (e.g.
// "bootstrap-environment", "modules") into dst, keeping their relative
// layout so that module sources like ../modules/x still resolve. State,
// lock files and .terraform folders are left out.
func CopyExamples(root, dst string, names ...string) error {
	for _, n := range names {
		src := filepath.Join(root, "examples", n)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			base := d.Name()
			if d.IsDir() && base == ".terraform" {
				return filepath.SkipDir
			}
			if strings.HasSuffix(base, ".tfstate") || strings.Contains(base, ".tfstate.") || base == ".terraform.lock.hcl" {
				return nil
			}
			target := filepath.Join(dst, n, rel)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, info.Mode().Perm())
		})
		if err != nil {
			return err
		}
	}
	return nil
}
