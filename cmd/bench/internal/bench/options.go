package bench

import (
	"fmt"
	"strings"
	"time"
)

// phases in the order they run.
const (
	phaseApply   = "apply"   // terraform apply from an empty state
	phaseRefresh = "refresh" // terraform plan with refresh, no changes expected
	phaseDestroy = "destroy" // terraform destroy
)

// phases lists the phases in report order.
var phases = []string{phaseApply, phaseRefresh, phaseDestroy}

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
	PeerDrone      string    // BENCH_PEER_DRONE: mavimo's provider binary for the peer comparison, or ""
	// Latencies are the round trips the proxies add to every request, one
	// pass of the API configurations each (none: [0]).
	Latencies []time.Duration
	Shapes    []Shape // scale shapes measured after the main configurations
}

// ParseLatencies parses -latency: comma-separated durations ("0,20ms"),
// each at least 0, no duplicates, in the order given.
func ParseLatencies(s string) ([]time.Duration, error) {
	var out []time.Duration
	seen := map[time.Duration]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-latency: %q is not a duration of at least 0 (e.g. 20ms)", f)
		}
		if d%time.Millisecond != 0 {
			return nil, fmt.Errorf("-latency: %q: whole milliseconds only", f)
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return []time.Duration{0}, nil
	}
	return out, nil
}

// Variant re-runs some kinds with extra environment variables, e.g. to show
// what a proposed provider change would give without changing the provider.
// Env reaches terraform and, through it, the providers; ProviderEnv reaches
// the provider processes only (through wrappers that the harness points
// dev_overrides at), for settings such as GOGC and GOMEMLIMIT that the
// terraform process, a Go program too, would otherwise also take.
type Variant struct {
	Name        string
	Kinds       []Kind
	Env         []string
	ProviderEnv []string
}

// NoGuardVariant runs the null provider without serve.ContextGuard, to show
// how much memory the framework's retained per-RPC contexts take.
var NoGuardVariant = Variant{Name: "no-context-guard", Kinds: []Kind{kindNull}, Env: []string{"BENCHNULL_CONTEXT_GUARD=off"}}

// GCDefaultVariant runs the null provider and the mixed configuration with
// GOGC=100, Go's default collector without a memory limit: with GOGC (or
// GOMEMLIMIT) set, serve.TuneGC leaves the collector alone (Terraform itself
// runs with Go's default either way). The least memory, the most GC CPU.
var GCDefaultVariant = Variant{Name: "gogc-100", Kinds: []Kind{kindNull, kindMixed}, ProviderEnv: []string{"GOGC=100"}}

// GCBeforeVariant runs them with the collector as serve.TuneGC set it
// before issue #16: GOGC=400 and no memory limit. The least GC CPU, the
// most memory. The default (no variant) is TuneGC's current setting.
var GCBeforeVariant = Variant{Name: "gogc-400-no-limit", Kinds: []Kind{kindNull, kindMixed}, ProviderEnv: []string{"GOGC=400"}}

// LogsOnVariant runs the null provider and the mixed configuration with the
// plugin SDKs' logging as it was before serve.QuietLogs: with TF_LOG_SDK set,
// QuietLogs leaves the logging alone, and every SDK and provider logger that
// is not set logs at TRACE to the plugin's stderr, where Terraform parses and
// drops each line. It shows, in the same run, what QuietLogs saves.
var LogsOnVariant = Variant{
	Name:  "sdk-logs-on",
	Kinds: []Kind{kindNull, kindMixed},
	Env:   []string{"TF_LOG_SDK=trace"},
}

// ParseVariant parses -variant NAME=KIND[+KIND...]:ENV=VALUE[,ENV=VALUE...],
// e.g. "gomemlimit-32=drone+mixed:GOMEMLIMIT=32MiB", an ad-hoc variant for
// an experiment; the variables reach the provider processes only.
func ParseVariant(s string) (Variant, error) {
	name, rest, ok := strings.Cut(s, "=")
	kinds, env, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || name == "" || kinds == "" || env == "" {
		return Variant{}, fmt.Errorf("-variant %q: want NAME=KIND[+KIND]:ENV=VALUE[,ENV=VALUE]", s)
	}
	v := Variant{Name: name}
	for _, k := range strings.Split(kinds, "+") {
		parsed, err := ParseKinds(k)
		if err != nil {
			return Variant{}, fmt.Errorf("-variant %q: %w", s, err)
		}
		v.Kinds = append(v.Kinds, parsed[len(parsed)-1]) // ParseKinds adds terraform_data first
	}
	for _, kv := range strings.Split(env, ",") {
		if n, _, ok := strings.Cut(kv, "="); !ok || n == "" {
			return Variant{}, fmt.Errorf("-variant %q: %q is not NAME=VALUE", s, kv)
		}
		v.ProviderEnv = append(v.ProviderEnv, kv)
	}
	return v, nil
}
