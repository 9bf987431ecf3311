package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
		t.Run("release_name", func(t *testing.T) { testReleaseNameBound(t, c, mirror, tmp) })
		t.Run("cluster_one_of", func(t *testing.T) { testClusterOneOf(t, c, mirror, tmp) })
	})
}

// serviceCall calls the galaxias-service module with an app name and one
// environment's namespace, and nothing else that a plan could fail on
// before the providers are configured.
const serviceCall = `
module "svc" {
  source             = "../modules/galaxias-service"
  name               = %q
  project_id         = 1
  repository         = "octo/api"
  docker_username    = "robot"
  docker_password    = "x"
  galaxias_api_token = "x"
  environments = {
    staging = { project_environment_id = 1, namespace = %q }
  }
}
`

// testReleaseNameBound plans the galaxias-service module with a name and a
// namespace whose Helm release <name>-<namespace> is 54 characters, one
// more than Helm (and so both Galaxias servers) accepts: the plan fails on
// the module's environments variable, saying why. At 53 it passes that check.
// No server is needed: the providers' settings are left empty.
func testReleaseNameBound(t *testing.T, c cli, mirror, tmp string) {
	name := "svc-" + strings.Repeat("a", 26) // 30 characters
	for _, tc := range []struct {
		namespace string
		refused   bool
	}{
		{strings.Repeat("n", 23), true}, // release: 30 + 1 + 23 = 54
		{strings.Repeat("n", 22), false},
	} {
		dir := filepath.Join(tmp, fmt.Sprintf("release-%d", len(tc.namespace)))
		noErr(t, os.MkdirAll(dir, 0o755))
		noErr(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(fmt.Sprintf(serviceCall, name, tc.namespace)), 0o600))
		tf := &tfcli.CLI{Bin: c.Bin, Dir: dir, Log: t.Logf, Env: []string{"TF_CLI_CONFIG_FILE=" + mirror, "TF_PLUGIN_CACHE_DIR=",
			"DRONE_SERVER=", "DRONE_TOKEN=", "GALAXIAS_ENDPOINT=", "GALAXIAS_TOKEN=", "GALAXIAS_USERNAME=", "GALAXIAS_PASSWORD="}}
		must(t, tf, []string{"init", "-backend=false", "-input=false", "-no-color"})
		r := must(t, tf, []string{"plan", "-input=false", "-no-color"}, 1)
		text := r.Stdout + r.Stderr
		refused := strings.Contains(text, "The Helm release <name>-<namespace> must be at most 53")
		if refused != tc.refused {
			t.Errorf("release %s-%s (%d characters): refused %v, want %v\n%s", name, tc.namespace,
				len(name)+1+len(tc.namespace), refused, tc.refused, text)
		}
		if tc.refused && !strings.Contains(text, "var.environments") {
			t.Errorf("the error does not name the variable environments:\n%s", text)
		}
	}
}

// TestExamplesPinVersions requires every provider requirement in the
// examples' Terraform files to carry a "~> major.minor" constraint that the
// locally built provider (stack.MirrorVersion) satisfies.
func TestExamplesPinVersions(t *testing.T) {
	root := repoRoot(t)
	want := `"~> ` + strings.Join(strings.Split(stack.MirrorVersion, ".")[:2], ".") + `"`
	source := regexp.MustCompile(`source\s*=\s*"galaxias/(drone|galaxias)"`)
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, loc := range source.FindAllIndex(b, -1) {
			n++
			// The requirement's object: from its source to the closing brace.
			rest := string(b[loc[0]:])
			if i := strings.Index(rest, "}"); i >= 0 {
				rest = rest[:i]
			}
			if !regexp.MustCompile(`version\s*=\s*` + regexp.QuoteMeta(want)).MatchString(rest) {
				rel, _ := filepath.Rel(root, p)
				t.Errorf("%s: %s has no version = %s", rel, b[loc[0]:loc[1]], want)
			}
		}
		return nil
	})
	noErr(t, err)
	if n == 0 {
		t.Fatal("no provider requirement found in examples/")
	}
}

// bootstrapCall calls the bootstrap-environment module with the cluster
// settings given, and no services.
const bootstrapCall = `
variable "kubeconfig" {
  type      = string
  default   = null
  ephemeral = true
}
variable "cluster" {
  type    = object({ id = number })
  default = null
}
module "env" {
  source            = "../bootstrap-environment"
  project           = "one-of"
  services          = {}
  cluster           = var.cluster
  kubeconfig        = var.kubeconfig
  docker_password   = "x"
  deployer_email    = "ci@example.com"
  deployer_password = "x"
}
`

// testClusterOneOf plans the bootstrap-environment module with both, none
// and each one of cluster and kubeconfig: the plan fails on the first two,
// saying to give one. No server is needed.
func testClusterOneOf(t *testing.T, c cli, mirror, tmp string) {
	dir := filepath.Join(tmp, "cluster-one-of")
	noErr(t, os.MkdirAll(dir, 0o755))
	noErr(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bootstrapCall), 0o600))
	tf := &tfcli.CLI{Bin: c.Bin, Dir: dir, Log: t.Logf, Env: []string{"TF_CLI_CONFIG_FILE=" + mirror, "TF_PLUGIN_CACHE_DIR=",
		"DRONE_SERVER=", "DRONE_TOKEN=", "GALAXIAS_ENDPOINT=", "GALAXIAS_TOKEN=", "GALAXIAS_USERNAME=", "GALAXIAS_PASSWORD="}}
	must(t, tf, []string{"init", "-backend=false", "-input=false", "-no-color"})
	for _, tc := range []struct {
		vars    []string
		refused bool
	}{
		{[]string{"-var", "cluster={id=1}", "-var", "kubeconfig=k"}, true},
		{nil, true},
		{[]string{"-var", "cluster={id=1}"}, false},
		{[]string{"-var", "kubeconfig=k"}, false},
	} {
		r := must(t, tf, append([]string{"plan", "-input=false", "-no-color"}, tc.vars...), 1)
		text := r.Stdout + r.Stderr
		if refused := strings.Contains(text, "Give either cluster"); refused != tc.refused {
			t.Errorf("plan %q: refused %v, want %v\n%s", tc.vars, refused, tc.refused, text)
		}
	}
}
