package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := stack.FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// stackEnv skips unless TF_ACC is set and returns the running stack's
// settings; with TF_ACC set, a missing stack is a failure.
func stackEnv(t *testing.T) (root string, env *stack.Env) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and start the stack (make testacc does both)")
	}
	root = repoRoot(t)
	env, err := stack.Load(filepath.Join(root, ".stack"))
	if err != nil {
		t.Fatalf("the local stack is not running (go run ./cmd/stack up): %v", err)
	}
	// make testacc's second pass points the GALAXIAS_* variables at the
	// stack's rock-dialect server (GALAXIAS_DIALECT=rock): they win.
	for _, v := range []struct {
		name string
		dst  *string
	}{
		{"GALAXIAS_ENDPOINT", &env.GalaxiasEndpoint}, {"GALAXIAS_TOKEN", &env.GalaxiasToken},
		{"GALAXIAS_USERNAME", &env.GalaxiasUsername}, {"GALAXIAS_PASSWORD", &env.GalaxiasPassword},
		{"GALAXIAS_KUBECONFIG", &env.GalaxiasKubeconfig},
	} {
		if val := os.Getenv(v.name); val != "" {
			*v.dst = val
		}
	}
	if env.GalaxiasEndpoint == "" {
		t.Fatal("the local stack runs no Galaxias server")
	}
	if _, err := os.Stat(env.TFCLIConfigFileMirror); err != nil {
		t.Fatalf("no filesystem-mirror CLI config (go run ./cmd/stack install): %v", err)
	}
	return root, env
}

// privateMirror copies the locally built provider into a filesystem mirror
// of the test's own and returns a CLI config for it. terraform init links
// .terraform/providers to the mirror's files, so with the shared mirror a
// rebuild by anyone else in the middle of a test (go run ./cmd/stack install)
// would break the lock file's checksums.
func privateMirror(t *testing.T, root string) string {
	t.Helper()
	l := &stack.Launcher{Root: root}
	binary := filepath.Join(l.ProviderDir(), "terraform-provider-galaxias")
	if _, err := os.Stat(binary); err != nil {
		t.Fatalf("the provider is not built (go run ./cmd/stack install): %v", err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "terraformrc")
	if err := stack.WriteMirror(dir, binary, cfg, true); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cli is one of the CLIs the suites run under.
type cli struct {
	Name string // stack.Terraform or stack.OpenTofu
	Bin  string // its executable
}

// forEachCLI runs f once per CLI (Terraform and OpenTofu, or those E2E_CLIS
// names), each in a parallel subtest named after the CLI. With TF_ACC set a
// CLI that cannot be had fails its subtest (OpenTofu is built on demand,
// which takes minutes the first time); without TF_ACC, Terraform's subtest
// skips when terraform is not on PATH and OpenTofu's always skips.
func forEachCLI(t *testing.T, f func(t *testing.T, c cli)) {
	t.Helper()
	names := []string{stack.Terraform, stack.OpenTofu}
	if v := os.Getenv("E2E_CLIS"); v != "" {
		names = strings.Split(v, ",")
	}
	root := repoRoot(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			acc := os.Getenv("TF_ACC") != ""
			if name == stack.OpenTofu && !acc {
				t.Skip("OpenTofu runs with TF_ACC set (it is built on demand into .cache/tools/tofu)")
			}
			l := &stack.Launcher{Root: root, Out: testWriter{t}}
			bin, err := l.CLIPath(context.Background(), name)
			if err != nil {
				if !acc {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			t.Parallel()
			f(t, cli{Name: name, Bin: bin})
		})
	}
}

// bothCLIs returns Terraform and OpenTofu, for the tests that move one
// configuration between them. It fails the test when either cannot be had,
// and skips it when E2E_CLIS leaves one out.
func bothCLIs(t *testing.T, root string) (terraform, tofu cli) {
	t.Helper()
	if v := os.Getenv("E2E_CLIS"); v != "" && !(strings.Contains(v, stack.Terraform) && strings.Contains(v, stack.OpenTofu)) {
		t.Skipf("E2E_CLIS=%s: this test needs both CLIs", v)
	}
	l := &stack.Launcher{Root: root, Out: testWriter{t}}
	var out [2]cli
	for i, name := range []string{stack.Terraform, stack.OpenTofu} {
		bin, err := l.CLIPath(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = cli{Name: name, Bin: bin}
	}
	return out[0], out[1]
}

// terraformCLI returns Terraform, for the tests that run under it alone.
func terraformCLI(t *testing.T, root string) cli {
	t.Helper()
	l := &stack.Launcher{Root: root, Out: testWriter{t}}
	bin, err := l.CLIPath(context.Background(), stack.Terraform)
	if err != nil {
		t.Fatal(err)
	}
	return cli{Name: stack.Terraform, Bin: bin}
}

// startPostgres starts (or reuses) the launcher's PostgreSQL for the pg
// backend, and stops it when the test ends if this call started it.
func startPostgres(t *testing.T, root string) *stack.PG {
	t.Helper()
	l := &stack.Launcher{Root: root, Out: testWriter{t}}
	pg, err := l.Postgres(context.Background())
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	if pg.Started {
		t.Cleanup(func() {
			if err := l.StopPostgres(); err != nil {
				t.Errorf("stop postgres: %v", err)
			}
		})
	}
	return pg
}

// newCLIRunner returns a runner of c for dir that talks to the stack and
// installs the providers from a private copy of the filesystem mirror.
func newCLIRunner(t *testing.T, c cli, env *stack.Env, dir string, extra ...string) *tfcli.CLI {
	t.Helper()
	return newRunner(t, c, env, dir, privateMirror(t, repoRoot(t)), extra...)
}

// newRunner returns a runner of c for dir that talks to the stack with the
// CLI configuration cliConfig.
func newRunner(t *testing.T, c cli, env *stack.Env, dir, cliConfig string, extra ...string) *tfcli.CLI {
	t.Helper()
	vars := []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"DRONE_SERVER=" + env.DroneServer, "DRONE_TOKEN=" + env.DroneToken,
		"GALAXIAS_ENDPOINT=" + env.GalaxiasEndpoint, "GALAXIAS_TOKEN=" + env.GalaxiasToken,
		// The token wins; keep a sourced .stack/env from adding a login.
		"GALAXIAS_USERNAME=", "GALAXIAS_PASSWORD=",
		"TF_PLUGIN_CACHE_DIR=",
	}
	return &tfcli.CLI{Bin: c.Bin, Dir: dir, Env: append(vars, extra...), Log: t.Logf}
}

// must runs the CLI and fails the test unless it exits with one of codes
// (default 0).
func must(t *testing.T, tf *tfcli.CLI, args []string, codes ...int) *tfcli.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	r, err := tf.Run(ctx, args...)
	if err != nil {
		t.Fatalf("%s %s: %v", tf.Bin, strings.Join(args, " "), err)
	}
	if len(codes) == 0 {
		codes = []int{0}
	}
	for _, c := range codes {
		if r.ExitCode == c {
			return r
		}
	}
	t.Fatalf("want exit %v; %s", codes, r)
	return nil
}

// noErr fails the test on an error.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func randomSuffix(t testing.TB) string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// service is one application seeded for a test.
type service struct {
	Name, Repository string
	Versions         []string // chart versions, oldest first
}

// seedMu serialises seeding: the suites run one parallel subtest per CLI,
// and Gitea (on SQLite) answers concurrent commits slowly enough to time out.
var seedMu sync.Mutex

// seedServices creates, for each name, a Gitea repository under the demo's
// organisation with two release commits and their charts, all named after
// the service, and removes them when the test ends.
func seedServices(t *testing.T, root string, env *stack.Env, names ...string) []service {
	t.Helper()
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	var out []service
	for _, name := range names {
		res, err := seedService(t, root, env, name, "1.0.0", "1.0.1")
		if err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		s := service{Name: name, Repository: res.Repository}
		for _, r := range res.Releases {
			s.Versions = append(s.Versions, r.ChartVersion)
		}
		out = append(out, s)
		t.Cleanup(func() {
			ctx := context.Background()
			for _, v := range s.Versions {
				_ = galaxiasapi.DeleteChart(ctx, gc, env.GalaxiasEndpoint, env.GalaxiasToken, name, v)
			}
			_, _ = stack.RemoveDroneHooks(ctx, env, s.Repository)
			g := &gitea.Client{URL: env.GiteaURL, Token: env.GiteaToken}
			if err := g.DeleteRepo(ctx, s.Repository); err != nil {
				t.Log(err)
			}
		})
	}
	return out
}

// seedService seeds one service's repository (examples/quickstart/repository
// and chart, named after the service) with a commit and a chart per release.
func seedService(t *testing.T, root string, env *stack.Env, name string, releases ...string) (*stack.SeedResult, error) {
	t.Helper()
	files, err := stack.ReadTree(filepath.Join(root, "examples", "quickstart", "repository"))
	if err != nil {
		return nil, err
	}
	chart, err := stack.ReadTree(filepath.Join(root, "examples", "quickstart", "chart"))
	if err != nil {
		return nil, err
	}
	rename := func(in map[string]string) map[string]string {
		o := make(map[string]string, len(in))
		for p, c := range in {
			o[p] = strings.ReplaceAll(c, stack.DemoApp, name)
		}
		return o
	}
	seedMu.Lock()
	defer seedMu.Unlock()
	return stack.Seed(context.Background(), env, stack.SeedSpec{Org: stack.DemoOrg, Repo: name, Branch: "master",
		Releases: releases, Files: rename(files), ChartFiles: rename(chart)})
}

// buildRelease is what the pipeline's build of a new release does before its
// deploy step: a commit raising APP_VERSION to release, and its chart in the
// chart repository. It returns the new chart version (removed when the test
// ends) and appends it to svc.Versions.
func buildRelease(t *testing.T, root string, env *stack.Env, svc *service, release string) string {
	t.Helper()
	var releases []string
	for _, v := range svc.Versions {
		releases = append(releases, strings.SplitN(v, "-", 2)[0])
	}
	res, err := seedService(t, root, env, svc.Name, append(releases, release)...)
	if err != nil {
		t.Fatalf("build %s %s: %v", svc.Name, release, err)
	}
	v := res.Releases[len(res.Releases)-1].ChartVersion
	svc.Versions = append(svc.Versions, v)
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = galaxiasapi.DeleteChart(context.Background(), gc, env.GalaxiasEndpoint, env.GalaxiasToken, svc.Name, v)
	})
	return v
}

// e2eKubeconfig is the kubeconfig of the stack's Kubernetes API server
// (GALAXIAS_KUBECONFIG), into which both dialects of the reference server
// install releases; testKubeconfig (an address that does not exist) where
// the stack has none.
func e2eKubeconfig(env *stack.Env) string {
	if env != nil && env.GalaxiasKubeconfig != "" {
		return env.GalaxiasKubeconfig
	}
	return testKubeconfig
}

const testKubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: e2e
    cluster:
      server: https://kubernetes.e2e.invalid:6443
contexts:
  - name: e2e
    context: {cluster: e2e, user: e2e}
current-context: e2e
users:
  - name: e2e
    user: {token: not-a-real-token}
`

// bootstrapVars writes a tfvars JSON file for a root configuration that
// calls examples/bootstrap-environment, with the test's project, services,
// the deployer's email and the extra variables, and returns its path and the
// variables that must come from the environment (the ephemeral ones).
func bootstrapVars(t *testing.T, env *stack.Env, dir, project string, services []service, extra map[string]any) (string, []string) {
	t.Helper()
	svc := map[string]any{}
	for i, s := range services {
		svc[s.Name] = map[string]any{
			"repository":  s.Repository,
			"description": "e2e service " + s.Name,
			"env":         map[string]string{"INDEX": string(rune('a' + i))},
			"nightly":     i == 0,
		}
	}
	vars := map[string]any{
		"project": project,
		"environments": map[string]any{
			"staging":    map[string]any{"namespace": project + "-staging"},
			"production": map[string]any{"namespace": project + "-production", "replicas": 2},
		},
		"services":       svc,
		"deployer_email": project + "-deployer@example.com",
	}
	for k, v := range extra {
		vars[k] = v
	}
	b, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "e2e.auto.tfvars.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, []string{
		"TF_VAR_kubeconfig=" + e2eKubeconfig(env),
		"TF_VAR_docker_password=e2e-" + randomSuffix(t),
		"TF_VAR_deployer_password=e2e-" + randomSuffix(t) + randomSuffix(t),
	}
}
