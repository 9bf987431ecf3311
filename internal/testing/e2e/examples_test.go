package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// workflowExamples are the example configurations of the user workflows
// (not the per-resource snippets tfplugindocs reads).
var workflowExamples = []string{"quickstart", "modules/galaxias-service", "bootstrap-environment", "drift-detection", "adopt-estate"}

// TestExamplesFormatted runs `fmt -check` on the workflow examples, under
// each CLI: both must accept the formatting. It needs only the CLI.
func TestExamplesFormatted(t *testing.T) {
	root := repoRoot(t)
	forEachCLI(t, func(t *testing.T, c cli) {
		for _, ex := range workflowExamples {
			dir := filepath.Join(root, "examples", ex)
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("example %s: %v", ex, err)
				continue
			}
			tf := &tfcli.CLI{Bin: c.Bin, Dir: dir}
			r, err := tf.Run(context.Background(), "fmt", "-check", "-recursive", "-diff", "-no-color")
			if err != nil {
				t.Fatal(err)
			}
			if r.ExitCode != 0 {
				t.Errorf("examples/%s is not formatted (terraform fmt -recursive examples/):\n%s%s", ex, r.Stdout, r.Stderr)
			}
		}
	})
}

// TestExamplesValidate runs `init -backend=false` from the filesystem mirror
// and `validate` on a copy of each workflow example, under each CLI. It
// needs the provider built and installed into the mirror (go run ./cmd/stack
// install, which make testacc and make demo run); without it the test
// skips, unless TF_ACC is set.
func TestExamplesValidate(t *testing.T) {
	root := repoRoot(t)
	l := &stack.Launcher{Root: root}
	mirror := l.MirrorCLIConfig()
	if _, err := os.Stat(mirror); err != nil {
		if os.Getenv("TF_ACC") != "" {
			t.Fatalf("no filesystem-mirror CLI config %s (go run ./cmd/stack install): %v", mirror, err)
		}
		t.Skipf("no filesystem-mirror CLI config %s: run go run ./cmd/stack install", mirror)
	}
	forEachCLI(t, func(t *testing.T, c cli) {
		mirror := privateMirror(t, root)
		tmp := t.TempDir()
		if err := copyExamples(root, tmp, "quickstart", "modules", "bootstrap-environment", "drift-detection", "adopt-estate"); err != nil {
			t.Fatal(err)
		}
		for _, ex := range workflowExamples {
			t.Run(filepath.Base(ex), func(t *testing.T) {
				tf := &tfcli.CLI{Bin: c.Bin, Dir: filepath.Join(tmp, ex), Log: t.Logf,
					Env: []string{"TF_CLI_CONFIG_FILE=" + mirror, "TF_PLUGIN_CACHE_DIR="}}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				for _, args := range [][]string{
					{"init", "-upgrade", "-backend=false", "-input=false", "-no-color"},
					{"validate", "-no-color"},
				} {
					r, err := tf.Run(ctx, args...)
					if err != nil {
						t.Fatal(err)
					}
					if r.ExitCode != 0 {
						t.Fatalf("examples/%s: %s", ex, r)
					}
				}
			})
		}
	})
}
