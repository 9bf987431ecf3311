package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

// Harness holds what one run shares.
type Harness struct {
	opt      Options
	env      *stack.Env
	fx       fixture
	drone    *proxy
	galaxias *proxy
	provider string // directory with terraform-provider-{drone,galaxias}
	servers  []int  // pids of the stack's Drone and Galaxias servers
	cliConf  string
	tfEnv    []string
	// shapeProjects are the Galaxias projects of the scale shapes (the
	// fixture's project first); the main configurations use one project.
	shapeProjects []galaxiasProject
}

// New prepares a run: builds the provider, starts the proxies, creates the
// fixture. Close undoes it.
func New(ctx context.Context, opt Options, env *stack.Env) (*Harness, func(), error) {
	h := &Harness{opt: opt, env: env}
	closers := []func(){}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	if err := os.MkdirAll(opt.WorkDir, 0o750); err != nil {
		return nil, closeAll, err
	}
	if err := h.build(ctx); err != nil {
		return nil, closeAll, err
	}
	var err error
	if h.drone, err = startProxy("drone", env.DroneServer, droneCheck); err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, func() { _ = h.drone.Close() })
	if h.galaxias, err = startProxy("galaxias", env.GalaxiasEndpoint, galaxiasCheck); err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, func() { _ = h.galaxias.Close() })
	prefix := "bench-" + strconv.FormatInt(time.Now().Unix()%1000000, 36)
	repos := 0
	for _, k := range opt.Kinds {
		if mixFor(k, 4)["drone_secret"] > 0 {
			repos = opt.Repos
		}
	}
	if opt.PeerDrone != "" {
		repos = max(repos, peerRepos)
	}
	shapeRepos, projects := shapeParents(opt.Shapes)
	repos = max(repos, shapeRepos)
	fx, undo, err := setup(ctx, env, prefix, repos, projects, opt.Logf)
	if err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, undo)
	h.shapeProjects, fx.Projects = fx.Projects, nil
	fx.DroneServer, fx.GalaxiasURL = h.drone.URL(), h.galaxias.URL()
	h.fx = fx
	h.tfEnv = h.environ()
	pids, err := (&stack.Launcher{Root: filepath.Dir(env.StackDir)}).Pids()
	if err != nil || pids["drone"] == 0 || pids["galaxias"] == 0 {
		return nil, closeAll, fmt.Errorf("the pids of the stack's servers in %s: %v (found %v)", env.StackDir, err, pids)
	}
	h.servers = []int{pids["drone"], pids["galaxias"]}
	return h, closeAll, nil
}

// build compiles the provider into the work dir under both names, and writes
// a CLI configuration with dev_overrides for it: the benchmark does not
// depend on (or disturb) .cache/provider, which others rebuild.
func (h *Harness) build(ctx context.Context) error {
	h.provider = filepath.Join(h.opt.WorkDir, "provider")
	if err := os.MkdirAll(h.provider, 0o750); err != nil {
		return err
	}
	bin := filepath.Join(h.provider, "terraform-provider-galaxias")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = h.opt.RepoRoot
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	cmd = exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(h.provider, "terraform-provider-benchnull"), "./cmd/bench/nullprovider") //nolint:gosec // our own scratch path
	cmd.Dir = h.opt.RepoRoot
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	drone := filepath.Join(h.provider, "terraform-provider-drone")
	_ = os.Remove(drone)
	if err := os.Link(bin, drone); err != nil {
		return err
	}
	if h.opt.PeerDrone != "" {
		if err := installPeer(h.opt.PeerDrone, filepath.Join(h.opt.WorkDir, "peer")); err != nil {
			return err
		}
	}
	h.cliConf = filepath.Join(h.opt.WorkDir, "terraformrc")
	return h.writeCLIConfig(h.cliConf, h.provider)
}

// writeCLIConfig writes a CLI configuration whose dev_overrides point our
// providers at dir (and the peer at its copy, if any).
func (h *Harness) writeCLIConfig(path, dir string) error {
	peer := ""
	if h.opt.PeerDrone != "" {
		peer = fmt.Sprintf("    \"registry.terraform.io/%s\" = %q\n", peerSource, filepath.Join(h.opt.WorkDir, "peer"))
	}
	conf := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/galaxias/drone" = %q
    "registry.terraform.io/galaxias/galaxias" = %q
    "registry.terraform.io/galaxias/benchnull" = %q
%s  }
  direct {}
}
`, dir, dir, dir, peer)
	return os.WriteFile(path, []byte(conf), 0o600)
}

// providerNames are the executables in the provider directory.
var providerNames = []string{"terraform-provider-galaxias", "terraform-provider-drone", "terraform-provider-benchnull"}

// wrapProviders writes, for a variant with provider-only environment,
// wrappers that exec the built providers with it (same process, so the
// memory sampler sees the real executable), and a CLI configuration that
// points dev_overrides at them. It returns the configuration's path.
func (h *Harness) wrapProviders(v Variant) (string, error) {
	dir := filepath.Join(h.opt.WorkDir, "provider-"+v.Name)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	for _, name := range providerNames {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(wrapperScript(v.ProviderEnv, filepath.Join(h.provider, name))), 0o700); err != nil { //nolint:gosec // an executable in our scratch dir
			return "", err
		}
	}
	conf := filepath.Join(h.opt.WorkDir, "terraformrc-"+v.Name)
	return conf, h.writeCLIConfig(conf, dir)
}

// wrapperScript is a shell script that execs binary with env added.
func wrapperScript(env []string, binary string) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\nexec env")
	for _, kv := range env {
		b.WriteString(" '" + strings.ReplaceAll(kv, "'", `'\''`) + "'")
	}
	b.WriteString(" '" + strings.ReplaceAll(binary, "'", `'\''`) + "' \"$@\"\n")
	return b.String()
}

// environ is the environment of every terraform command: the tokens (never
// the Galaxias password: a login rotates the token others use), the CLI
// configuration, and nothing else of the stack's variables.
func (h *Harness) environ() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "DRONE_") || strings.HasPrefix(name, "GALAXIAS_") || strings.HasPrefix(name, "GITEA_") || strings.HasPrefix(name, "TF_") {
			continue
		}
		out = append(out, kv)
	}
	out = append(out,
		"TF_CLI_CONFIG_FILE="+h.cliConf,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"DRONE_TOKEN="+h.env.DroneToken,
		"GALAXIAS_TOKEN="+h.env.GalaxiasToken,
	)
	return append(out, h.opt.TerraformEnv...)
}

// serverCPU is the CPU time used so far by the stack's Drone and Galaxias
// servers.
func (h *Harness) serverCPU() time.Duration {
	var sum time.Duration
	for _, pid := range h.servers {
		c, _ := procCPU(pid)
		sum += c
	}
	return sum
}
