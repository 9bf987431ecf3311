package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/stack"
)

// Phases in the order they run.
const (
	PhaseApply   = "apply"   // terraform apply from an empty state
	PhaseRefresh = "refresh" // terraform plan with refresh, no changes expected
	PhaseDestroy = "destroy" // terraform destroy
)

// Phases lists the phases in report order.
var Phases = []string{PhaseApply, PhaseRefresh, PhaseDestroy}

// Options configure a harness run.
type Options struct {
	Ns             []int
	Kinds          []Kind
	RefreshRuns    int // refresh-plans per configuration
	ApplyRuns      int // apply/destroy cycles per configuration (the refreshes run in the first)
	LargeN         int // from this N on, ApplyRunsLarge cycles instead (Terraform core's apply grows faster than N)
	ApplyRunsLarge int
	Parallelism    int // terraform -parallelism
	Repos          int // Drone repositories the secrets are spread over
	SchemaRuns     int // provider starts timed per family
	RepoRoot       string
	WorkDir        string // scratch space: provider build, configurations, state
	Logf           func(format string, args ...any)
	CommandLine    string
	TerraformEnv   []string  // extra NAME=value for terraform
	Variants       []Variant // extra configurations: a kind run with a different environment
}

// Variant re-runs some kinds with extra environment variables, e.g. to show
// what a proposed provider change would give without changing the provider.
type Variant struct {
	Name  string
	Kinds []Kind
	Env   []string
}

// NoGuardVariant runs the null provider without serve.ContextGuard, to show
// how much memory the framework's retained per-RPC contexts take.
var NoGuardVariant = Variant{Name: "no-context-guard", Kinds: []Kind{KindNull}, Env: []string{"BENCHNULL_CONTEXT_GUARD=off"}}

// GCDefaultVariant runs the null provider and the mixed configuration with
// GOGC=100, Go's default: with GOGC set, serve.TuneGC leaves the collector
// alone (Terraform itself runs with Go's default either way). It shows, in the
// same run, what TuneGC saves and costs.
var GCDefaultVariant = Variant{Name: "gogc-100", Kinds: []Kind{KindNull, KindMixed}, Env: []string{"GOGC=100"}}

// LogsOnVariant runs the null provider and the mixed configuration with the
// plugin SDKs' logging as it was before serve.QuietLogs: with TF_LOG_SDK set,
// QuietLogs leaves the logging alone, and every SDK and provider logger that
// is not set logs at TRACE to the plugin's stderr, where Terraform parses and
// drops each line. It shows, in the same run, what QuietLogs saves.
var LogsOnVariant = Variant{
	Name:  "sdk-logs-on",
	Kinds: []Kind{KindNull, KindMixed},
	Env:   []string{"TF_LOG_SDK=trace"},
}

// Harness holds what one run shares.
type Harness struct {
	opt      Options
	env      *stack.Env
	fx       Fixture
	drone    *Proxy
	galaxias *Proxy
	provider string // directory with terraform-provider-{drone,galaxias}
	servers  []int  // pids of the stack's Drone and Galaxias servers
	cliConf  string
	tfEnv    []string
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
	if h.drone, err = StartProxy("drone", env.DroneServer, DroneCheck); err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, func() { _ = h.drone.Close() })
	if h.galaxias, err = StartProxy("galaxias", env.GalaxiasEndpoint, GalaxiasCheck); err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, func() { _ = h.galaxias.Close() })
	prefix := "bench-" + strconv.FormatInt(time.Now().Unix()%1000000, 36)
	repos := 0
	for _, k := range opt.Kinds {
		if MixFor(k, 4)["drone_secret"] > 0 {
			repos = opt.Repos
		}
	}
	fx, undo, err := Setup(ctx, env, prefix, repos, opt.Logf)
	if err != nil {
		return nil, closeAll, err
	}
	closers = append(closers, undo)
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
	h.cliConf = filepath.Join(h.opt.WorkDir, "terraformrc")
	conf := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/galaxias/drone" = %q
    "registry.terraform.io/galaxias/galaxias" = %q
    "registry.terraform.io/galaxias/benchnull" = %q
  }
  direct {}
}
`, h.provider, h.provider, h.provider)
	return os.WriteFile(h.cliConf, []byte(conf), 0o600)
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

// Sample is one measured terraform command.
type Sample struct {
	WallS    float64          `json:"wall_s"`
	Drone    Counts           `json:"drone"`
	Galaxias Counts           `json:"galaxias"`
	PeakKiB  map[string]int64 `json:"peak_kib,omitempty"`
	// CPU seconds during the phase: terraform core (terraform minus its
	// providers), the providers, the harness itself (the two proxies), and
	// the Drone and Galaxias servers of the stack.
	CoreCPU     float64 `json:"terraform_core_cpu_s"`
	ProviderCPU float64 `json:"provider_cpu_s"`
	HarnessCPU  float64 `json:"harness_cpu_s"`
	ServerCPU   float64 `json:"server_cpu_s"`
}

// total is the requests of both servers.
func (s Sample) total() Counts { return s.Drone.Add(s.Galaxias) }

func (h *Harness) phaseArgs(phase string) []string {
	p := "-parallelism=" + strconv.Itoa(h.opt.Parallelism)
	switch phase {
	case PhaseApply:
		return []string{"apply", "-auto-approve", "-input=false", "-no-color", p}
	case PhaseRefresh:
		return []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}
	default:
		return []string{"destroy", "-auto-approve", "-input=false", "-no-color", p}
	}
}

// runPhase runs one phase in dir and checks its outcome.
func (h *Harness) runPhase(ctx context.Context, dir, phase string) (Sample, error) {
	return h.runPhaseEnv(ctx, dir, phase, h.tfEnv)
}

func (h *Harness) runPhaseEnv(ctx context.Context, dir, phase string, env []string) (Sample, error) {
	h.drone.Take()
	h.galaxias.Take()
	r := &Runner{Dir: dir, Env: env}
	self0, servers0 := selfCPU(), h.serverCPU()
	res, err := r.Run(ctx, h.phaseArgs(phase)...)
	s := Sample{Drone: h.drone.Take(), Galaxias: h.galaxias.Take(), HarnessCPU: (selfCPU() - self0).Seconds(),
		ServerCPU: max(0, (h.serverCPU() - servers0).Seconds())}
	if err != nil {
		return s, err
	}
	s.WallS, s.PeakKiB = res.Wall.Seconds(), res.PeakKiB
	s.ProviderCPU = res.ProviderCPU.Seconds()
	s.CoreCPU = max(0, (res.TotalCPU - res.ProviderCPU).Seconds())
	if res.ExitCode != 0 {
		return s, fmt.Errorf("terraform %s in %s: exit %d (0 expected; 2 means the refresh found changes)\n%s\n%s",
			strings.Join(res.Args, " "), dir, res.ExitCode, tail(res.Stdout, 3000), tail(res.Stderr, 3000))
	}
	return s, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// config is one configuration being measured at one N.
type config struct {
	res *Result
	dir string
	env []string
}

// tags shorten kinds and variants in resource names.
var tags = map[Kind]string{KindData: "d", KindNull: "nu", KindNullSecret: "ns", KindDrone: "dr", KindGalaxias: "ga", KindMixed: "mx"}

// Measure runs every configuration at one N and adds the results to rep.
// The configurations take turns: all are applied, then each refresh round
// runs every configuration once, then all are destroyed; so the floor and
// the providers are measured under the same load of the (shared) machine.
func (h *Harness) Measure(ctx context.Context, n int, rep *Report) error {
	var cfgs []*config
	add := func(k Kind, v Variant, idx int) error {
		fx := h.fx
		fx.Prefix = fmt.Sprintf("%s-%s%d", h.fx.Prefix, tags[k], idx)
		text, mix, err := Generate(k, n, fx)
		if err != nil {
			return err
		}
		res := &Result{Kind: k, Variant: v.Name, N: n, Mix: mix, Samples: map[string][]Sample{}}
		dir := filepath.Join(h.opt.WorkDir, fmt.Sprintf("%s-%d", strings.NewReplacer(" ", "", "(", "-", ")", "").Replace(res.Label()), n))
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o600); err != nil {
			return err
		}
		env := h.tfEnv
		if len(v.Env) > 0 {
			env = append(append([]string(nil), h.tfEnv...), v.Env...)
		}
		rep.Results = append(rep.Results, res)
		cfgs = append(cfgs, &config{res: res, dir: dir, env: env})
		return nil
	}
	for _, k := range h.opt.Kinds {
		if err := add(k, Variant{}, 0); err != nil {
			return err
		}
	}
	for i, v := range h.opt.Variants {
		for _, k := range v.Kinds {
			if err := add(k, v, i+1); err != nil {
				return err
			}
		}
	}
	run := func(c *config, phase string) error {
		pctx := ctx
		if phase == PhaseDestroy {
			// Destroy even after an interrupt: nothing is left on the stack.
			pctx = context.WithoutCancel(ctx)
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		s, err := h.runPhaseEnv(pctx, c.dir, phase, c.env)
		c.res.Samples[phase] = append(c.res.Samples[phase], s)
		t := s.total()
		h.opt.Logf("%-28s N=%-5d %-7s %6.2fs  requests=%d checks=%d conns=%d  cpu core=%.2fs provider=%.2fs harness=%.2fs servers=%.2fs",
			c.res.Label(), n, phase, s.WallS, t.Requests, t.Checks, t.Conns, s.CoreCPU, s.ProviderCPU, s.HarnessCPU, s.ServerCPU)
		if err != nil {
			c.res.Errors = append(c.res.Errors, err.Error())
			h.opt.Logf("%v", err)
		}
		return err
	}
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	cycles := h.opt.ApplyRuns
	if h.opt.LargeN > 0 && n >= h.opt.LargeN {
		cycles = h.opt.ApplyRunsLarge
	}
	for cycle := 0; cycle < max(1, cycles); cycle++ {
		applied := make([]bool, len(cfgs))
		for i, c := range cfgs {
			applied[i] = run(c, PhaseApply) == nil
		}
		if cycle == 0 {
			failed := make([]bool, len(cfgs))
			for range max(1, h.opt.RefreshRuns) {
				for i, c := range cfgs {
					if applied[i] && !failed[i] {
						failed[i] = run(c, PhaseRefresh) != nil
					}
				}
			}
		}
		for i, c := range cfgs {
			if !applied[i] && ctx.Err() != nil {
				continue // never applied: nothing to destroy
			}
			if err := run(c, PhaseDestroy); err != nil {
				keep(fmt.Errorf("destroy failed; %s is left with state: %w", c.dir, err))
			}
		}
		if firstErr == nil && ctx.Err() != nil {
			firstErr = ctx.Err()
		}
		if firstErr != nil {
			return firstErr
		}
	}
	return nil
}

// Warmup applies and destroys a small mixed configuration, unmeasured: it
// loads terraform and the provider into the page cache and proves the setup.
func (h *Harness) Warmup(ctx context.Context) error {
	for _, k := range h.opt.Kinds {
		fx := h.fx
		fx.Prefix = h.fx.Prefix + "-w" + tags[k]
		cfg, _, err := Generate(k, 4, fx)
		if err != nil {
			return err
		}
		dir := filepath.Join(h.opt.WorkDir, "warmup-"+string(k))
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
			return err
		}
		for _, p := range Phases {
			if _, err := h.runPhase(ctx, dir, p); err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
		}
	}
	return nil
}

// Schema times provider starts for both families.
func (h *Harness) Schema(ctx context.Context) (map[string]SchemaStats, error) {
	out := map[string]SchemaStats{}
	for _, fam := range []string{"drone", "galaxias", "benchnull"} {
		bin := filepath.Join(h.provider, "terraform-provider-"+fam)
		var hs, sc []float64
		var size int
		for i := 0; i < max(1, h.opt.SchemaRuns)+1; i++ {
			t, err := TimeSchema(ctx, bin)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fam, err)
			}
			if i == 0 {
				continue // the first start warms the page cache
			}
			hs = append(hs, ms(t.Handshake))
			sc = append(sc, ms(t.Schema))
			size = t.Bytes
		}
		lo, hi := MinMax(sc)
		out[fam] = SchemaStats{Runs: len(sc), HandshakeMs: F(Median(hs)), SchemaMs: F(Median(sc)), SchemaMinMs: F(lo), SchemaMaxMs: F(hi), SchemaBytes: size}
		h.opt.Logf("%-8s start→handshake %.1f ms, start→schema %.1f ms (median of %d; %d..%d ms), schema %d bytes",
			fam, Median(hs), Median(sc), len(sc), int(lo), int(hi), size)
	}
	return out, nil
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

// selfCPU is the CPU time of the harness process (proxies, sampling).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
