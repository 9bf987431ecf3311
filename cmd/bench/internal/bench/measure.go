package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sample is one measured terraform command.
type sample struct {
	WallS     float64          `json:"wall_s"`
	LatencyMs float64          `json:"latency_ms"` // the round trip the proxies added to each request
	Drone     counts           `json:"drone"`
	Galaxias  counts           `json:"galaxias"`
	PeakKiB   map[string]int64 `json:"peak_kib,omitempty"`
	// CPU seconds during the phase: terraform core (terraform minus its
	// providers), the providers, the harness itself (the two proxies), and
	// the Drone and Galaxias servers of the stack.
	CoreCPU     float64 `json:"terraform_core_cpu_s"`
	ProviderCPU float64 `json:"provider_cpu_s"`
	HarnessCPU  float64 `json:"harness_cpu_s"`
	ServerCPU   float64 `json:"server_cpu_s"`
}

// total is the requests of both servers.
func (s sample) total() counts { return s.Drone.Add(s.Galaxias) }

func (h *Harness) phaseArgs(phase string) []string {
	p := "-parallelism=" + strconv.Itoa(h.opt.Parallelism)
	switch phase {
	case phaseApply:
		return []string{"apply", "-auto-approve", "-input=false", "-no-color", p}
	case phaseRefresh:
		return []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}
	default:
		return []string{"destroy", "-auto-approve", "-input=false", "-no-color", p}
	}
}

// runPhase runs one phase in dir, without added latency, and checks its
// outcome.
func (h *Harness) runPhase(ctx context.Context, dir, phase string) (sample, error) {
	return h.runPhaseEnv(ctx, dir, phase, h.tfEnv, 0)
}

// runPhaseEnv runs one phase with the proxies adding latency to every
// request.
func (h *Harness) runPhaseEnv(ctx context.Context, dir, phase string, env []string, latency time.Duration) (sample, error) {
	h.drone.SetDelay(latency)
	h.galaxias.SetDelay(latency)
	h.drone.Take()
	h.galaxias.Take()
	r := &runner{Dir: dir, Env: env}
	self0, servers0 := selfCPU(), h.serverCPU()
	res, err := r.Run(ctx, h.phaseArgs(phase)...)
	s := sample{LatencyMs: ms(latency), Drone: h.drone.Take(), Galaxias: h.galaxias.Take(), HarnessCPU: (selfCPU() - self0).Seconds(),
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
	res     *result
	dir     string
	env     []string
	latency time.Duration // added by the proxies to every request
}

// tags shorten kinds and variants in resource names.
var tags = map[Kind]string{
	kindData: "d", kindNull: "nu", kindNullSecret: "ns", kindNullGalaxias: "ng", kindNullMixed: "nm",
	kindDrone: "dr", kindGalaxias: "ga", kindMixed: "mx", kindPeerDrone: "pd",
}

// Measure runs every configuration at one N and adds the results to rep:
// the API configurations at each latency, the configurations without an API
// (which the latency cannot reach) and the variants once, at the first
// latency. The configurations take turns: all are applied, then each refresh
// round runs every configuration once, then all are destroyed; so the floor
// and the providers are measured under the same load of the (shared) machine.
func (h *Harness) Measure(ctx context.Context, n int, rep *Report) error {
	fx := h.fx
	fx.Repos = fx.Repos[:min(len(fx.Repos), h.opt.Repos)]
	lats := h.latencies()
	var cfgs []*config
	for i, lat := range lats {
		for _, k := range h.opt.Kinds {
			if k.NoAPI() && i > 0 {
				continue
			}
			c, err := h.newConfig(configSpec{k: k, n: n, fx: fx, latency: lat})
			if err != nil {
				return err
			}
			cfgs = append(cfgs, c)
		}
	}
	for i, v := range h.opt.Variants {
		for _, k := range v.Kinds {
			c, err := h.newConfig(configSpec{k: k, v: v, idx: i + 1, n: n, fx: fx, latency: lats[0]})
			if err != nil {
				return err
			}
			cfgs = append(cfgs, c)
		}
	}
	for _, c := range cfgs {
		rep.Results = append(rep.Results, c.res)
	}
	return h.cycles(ctx, n, h.applyCycles(n), cfgs)
}

// latencies are the round trips measured, 0 when none was given.
func (h *Harness) latencies() []time.Duration {
	if len(h.opt.Latencies) == 0 {
		return []time.Duration{0}
	}
	return h.opt.Latencies
}

// applyCycles is the number of apply/destroy cycles at N.
func (h *Harness) applyCycles(n int) int {
	if h.opt.LargeN > 0 && n >= h.opt.LargeN {
		return h.opt.ApplyRunsLarge
	}
	return h.opt.ApplyRuns
}

// configSpec is one configuration to write: kind k (variant v, numbered idx
// for unique names, part of a scale shape or not) with n resources on a
// fixture, measured with the proxies adding latency.
type configSpec struct {
	k       Kind
	v       Variant
	idx, n  int
	fx      fixture
	latency time.Duration
	shape   string
}

// newConfig writes a configuration into its own directory; a kind without an
// API is measured without latency (none could reach it).
func (h *Harness) newConfig(spec configSpec) (*config, error) {
	k, v, idx, n, base, latency := spec.k, spec.v, spec.idx, spec.n, spec.fx, spec.latency
	if k.NoAPI() {
		latency = 0
	}
	fx := base
	fx.Prefix = fmt.Sprintf("%s-%s%d", h.fx.Prefix, tags[k], idx)
	if latency > 0 {
		fx.Prefix += fmt.Sprintf("l%d", latency.Milliseconds())
	}
	text, mix, err := generate(k, n, fx)
	if err != nil {
		return nil, err
	}
	res := &result{Kind: k, Variant: v.Name, N: n, LatencyMs: ms(latency), Shape: spec.shape, Mix: mix, Samples: map[string][]sample{}}
	dir := filepath.Join(h.opt.WorkDir, fmt.Sprintf("%s-%d", strings.NewReplacer(" ", "", "(", "-", ")", "", "/", "-", "=", "-").Replace(spec.shape+res.Label()), n))
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o600); err != nil {
		return nil, err
	}
	env := append(append([]string(nil), h.tfEnv...), v.Env...)
	if len(v.ProviderEnv) > 0 {
		conf, err := h.wrapProviders(v)
		if err != nil {
			return nil, err
		}
		env = append(env, "TF_CLI_CONFIG_FILE="+conf) // exec keeps the last of duplicate variables
	}
	return &config{res: res, dir: dir, env: env, latency: latency}, nil
}

// cycles runs the apply/refresh/destroy cycles of cfgs, taking turns.
func (h *Harness) cycles(ctx context.Context, n, cycles int, cfgs []*config) error {
	run := func(c *config, phase string) error {
		pctx := ctx
		if phase == phaseDestroy {
			// Destroy even after an interrupt: nothing is left on the stack.
			pctx = context.WithoutCancel(ctx)
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		s, err := h.runPhaseEnv(pctx, c.dir, phase, c.env, c.latency)
		c.res.Samples[phase] = append(c.res.Samples[phase], s)
		t := s.total()
		h.opt.Logf("%-36s N=%-5d %-7s %6.2fs  requests=%d checks=%d conns=%d in-flight=%d  cpu core=%.2fs provider=%.2fs harness=%.2fs servers=%.2fs",
			c.res.Label(), n, phase, s.WallS, t.Requests, t.Checks, t.Conns, t.MaxInFlight, s.CoreCPU, s.ProviderCPU, s.HarnessCPU, s.ServerCPU)
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
	for cycle := 0; cycle < max(1, cycles); cycle++ {
		applied := make([]bool, len(cfgs))
		for i, c := range cfgs {
			applied[i] = run(c, phaseApply) == nil
		}
		if cycle == 0 {
			failed := make([]bool, len(cfgs))
			for range max(1, h.opt.RefreshRuns) {
				for i, c := range cfgs {
					if applied[i] && !failed[i] {
						failed[i] = run(c, phaseRefresh) != nil
					}
				}
			}
		}
		for i, c := range cfgs {
			if !applied[i] && ctx.Err() != nil {
				continue // never applied: nothing to destroy
			}
			if err := run(c, phaseDestroy); err != nil {
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
	kinds := h.opt.Kinds
	if h.opt.PeerDrone != "" {
		kinds = append(append([]Kind(nil), kinds...), kindPeerDrone) // proves the peer binary before the long run
	}
	for _, k := range kinds {
		fx := h.fx
		fx.Prefix = h.fx.Prefix + "-w" + tags[k]
		cfg, _, err := generate(k, 4, fx)
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
		for _, p := range phases {
			if _, err := h.runPhase(ctx, dir, p); err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
		}
	}
	return nil
}
