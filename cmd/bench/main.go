// Command bench is the performance harness of issues #8 and #16 (make
// bench): it measures the drone and galaxias providers against
// terraform_data, the floor that Terraform core sets, and against their
// same-shape null twins, on the running local stack, and writes
// docs/performance.{json,md,png}. With BENCH_PEER_DRONE=/path/to/binary it
// also compares drone_secret with mavimo/terraform-provider-drone's (a binary
// already on the machine: never downloaded or built). See
// cmd/bench/internal/bench.
//
//	go run ./cmd/bench -n 100,500,1000 -runs 5 -apply-runs 3 -apply-runs-large 1 -latency 0,20ms
//
// -latency makes the counting proxies add a round trip to every request, as
// servers across a network would; -shapes adds the scale shapes of issue #27.
//
// -report-only redraws the Markdown and the plot from an existing JSON file.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/cmd/bench/internal/bench"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		ns    = flag.String("n", "100,500,1000", "resource counts, comma-separated")
		kinds = flag.String("kinds", "null_provider,null_drone_secret,null_galaxias,null_mixed,drone,galaxias,mixed",
			"configurations besides terraform_data: null_provider, null_drone_secret, null_galaxias, null_mixed (the same-shape null twins of drone, galaxias, mixed), drone, galaxias, mixed")
		runs        = flag.Int("runs", 5, "refresh-plans per configuration (the median is reported)")
		applyRuns   = flag.Int("apply-runs", 3, "apply/destroy cycles per configuration")
		largeN      = flag.Int("large", 1000, "from this N on, run -apply-runs-large apply/destroy cycles instead")
		applyLarge  = flag.Int("apply-runs-large", 1, "apply/destroy cycles per configuration at large N")
		parallelism = flag.Int("parallelism", 10, "terraform -parallelism")
		repos       = flag.Int("repos", 4, "Drone repositories the secrets are spread over")
		schemaRuns  = flag.Int("schema-runs", 10, "provider starts timed per family")
		stackDir    = flag.String("stack", ".stack", "stack directory (go run ./cmd/stack up)")
		work        = flag.String("work", ".cache/bench", "scratch directory: provider build, configurations, state")
		out         = flag.String("out", "docs", "directory for performance.json, .md and .png")
		reportOnly  = flag.Bool("report-only", false, "only redraw performance.md and .png from performance.json (summaries and targets recomputed from its samples)")
		noWarmup    = flag.Bool("no-warmup", false, "skip the unmeasured warm-up cycle")
		profile     = flag.String("profile", "", "instead of measuring, profile the providers (in-process) over refresh-plans of KIND:N, e.g. mixed:500, or over one apply of KIND:N:apply, e.g. drone:300:apply (null twins too: null_drone_secret:300:apply)")
		profileOut  = flag.String("profile-out", ".cache/bench/profile", "directory for cpu.pprof and heap.pprof")
		logsOn      = flag.Bool("logs-on-variant", true, "also run null_provider and mixed with the plugin SDKs' trace logging on, as before serve.QuietLogs, to show what that logging costs")
		guard       = flag.Bool("no-guard-variant", true, "also run null_provider without serve.ContextGuard, to show the memory the guard saves")
		gcDefault   = flag.Bool("gc-variant", true, "also run null_provider and mixed with Go's default collector (GOGC=100) and with the collector as before issue #16 (GOGC=400, no memory limit), to show what serve.TuneGC changes")
		latency     = flag.String("latency", "0,20ms", "round trips the proxies add to every request, comma-separated: the API configurations, the peer comparison and the scale shapes run once per value (the configurations without an API and the variants once, at the first)")
		shapes      = flag.String("shapes", "", "scale shapes, comma-separated drone=N/REPOSITORIES and galaxias=N/PROJECTS; make bench runs "+bench.DefaultShapes)
		tfEnv       multiFlag
		variants    multiFlag
	)
	flag.Var(&tfEnv, "env", "NAME=value added to terraform's environment (repeatable), e.g. TF_LOG_SDK=off for an experiment")
	flag.Var(&variants, "variant", "an extra variant NAME=KIND[+KIND]:ENV=VALUE[,ENV=VALUE] (repeatable), e.g. gomemlimit-24=drone:GOMEMLIMIT=24MiB")
	flag.Parse()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().UTC().Format("15:04:05")}, args...)...)
	}
	jsonPath := filepath.Join(*out, "performance.json")
	if *reportOnly {
		// Summaries and targets are recomputed from the raw samples, so that
		// a report from an older harness gains the current columns.
		rep, err := bench.ReadReport(jsonPath)
		if err != nil {
			return err
		}
		rep.Summarize()
		rep.Targets = bench.Targets(rep)
		return writeReport(rep, jsonPath, *out)
	}

	var nlist []int
	for _, s := range strings.Split(*ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 4 {
			return fmt.Errorf("-n: %q is not a count of at least 4", s)
		}
		nlist = append(nlist, n)
	}
	kl, err := bench.ParseKinds(*kinds)
	if err != nil {
		return err
	}
	lats, err := bench.ParseLatencies(*latency)
	if err != nil {
		return err
	}
	shl, err := bench.ParseShapes(*shapes)
	if err != nil {
		return err
	}
	env, err := stack.Load(*stackDir)
	if err != nil {
		return fmt.Errorf("the local stack is not running (go run ./cmd/stack up): %w", err)
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	workDir, err := filepath.Abs(*work)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	opt := bench.Options{
		Ns: nlist, Kinds: kl, RefreshRuns: *runs, ApplyRuns: *applyRuns, LargeN: *largeN, ApplyRunsLarge: *applyLarge, Parallelism: *parallelism,
		Repos: *repos, SchemaRuns: *schemaRuns, RepoRoot: root, WorkDir: workDir, Logf: logf,
		CommandLine: "go run ./cmd/bench " + strings.Join(os.Args[1:], " "), TerraformEnv: tfEnv,
		Latencies: lats, Shapes: shl,
	}
	if *logsOn {
		opt.Variants = append(opt.Variants, bench.LogsOnVariant)
	}
	if *gcDefault {
		opt.Variants = append(opt.Variants, bench.GCDefaultVariant, bench.GCBeforeVariant)
	}
	if *guard {
		opt.Variants = append(opt.Variants, bench.NoGuardVariant)
	}
	for _, s := range variants {
		v, err := bench.ParseVariant(s)
		if err != nil {
			return err
		}
		opt.Variants = append(opt.Variants, v)
	}
	// The peer comparison runs only with a binary already on this machine:
	// the harness never downloads or builds it.
	opt.PeerDrone = os.Getenv(bench.PeerEnv)
	start := time.Now()
	rep := &bench.Report{
		Date: bench.Now(), CommandLine: opt.CommandLine, Tree: bench.Tree(root), Machine: bench.CollectMachine(), Ns: nlist,
		RefreshRuns: *runs, ApplyRuns: *applyRuns, LargeN: *largeN, ApplyRunsLarge: *applyLarge, Parallelism: *parallelism,
		Repos: *repos, Method: bench.Method,
	}
	for _, l := range lats {
		rep.Latencies = append(rep.Latencies, float64(l.Milliseconds()))
	}
	logf("building the provider, starting the proxies, creating the fixture")
	h, closeAll, err := bench.New(ctx, opt, env)
	defer closeAll()
	if err != nil {
		return err
	}
	if *profile != "" {
		k, rest, _ := strings.Cut(*profile, ":")
		nstr, phase, _ := strings.Cut(rest, ":")
		if phase == "" {
			phase = "refresh"
		}
		n, err := strconv.Atoi(nstr)
		if err != nil {
			return fmt.Errorf("-profile: want KIND:N[:refresh|apply], got %q", *profile)
		}
		if err := h.Profile(ctx, bench.Kind(k), n, *runs, phase, *profileOut); err != nil {
			return err
		}
		logf("wrote %s/cpu.pprof and heap.pprof: go tool pprof -top %s/cpu.pprof", *profileOut, *profileOut)
		return nil
	}
	if rep.Schema, err = h.Schema(ctx); err != nil {
		return err
	}
	if !*noWarmup {
		logf("warm-up")
		if err := h.Warmup(ctx); err != nil {
			return err
		}
	}
	var runErr error
	for _, n := range nlist {
		if runErr = h.Measure(ctx, n, rep); runErr != nil {
			break
		}
	}
	if runErr == nil && opt.PeerDrone != "" {
		logf("peer comparison: drone_secret, this provider and %s", opt.PeerDrone)
		runErr = h.MeasurePeer(ctx, rep)
	}
	if runErr == nil && len(opt.Shapes) > 0 {
		runErr = h.MeasureShapes(ctx, rep)
	}
	rep.Machine.LoadAvgEnd = bench.LoadAvg()
	rep.DurationS = bench.F(time.Since(start).Seconds())
	rep.Summarize()
	rep.Targets = bench.Targets(rep)
	if err := os.MkdirAll(*out, 0o750); err != nil {
		return err
	}
	if err := writeReport(rep, jsonPath, *out); err != nil {
		return err
	}
	logf("wrote %s, performance.md and performance.png in %s (%s)", jsonPath, *out, time.Since(start).Round(time.Second))
	return runErr
}

// writeReport writes the JSON, and the Markdown and the plot from the JSON
// as written (its numbers rounded), so that -report-only redraws the same.
func writeReport(rep *bench.Report, jsonPath, dir string) error {
	if err := rep.WriteJSON(jsonPath); err != nil {
		return err
	}
	written, err := bench.ReadReport(jsonPath)
	if err != nil {
		return err
	}
	return bench.WriteDocs(written, dir)
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
