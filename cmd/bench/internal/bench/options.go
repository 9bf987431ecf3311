package bench

// phases in the order they run.
const (
	PhaseApply   = "apply"   // terraform apply from an empty state
	PhaseRefresh = "refresh" // terraform plan with refresh, no changes expected
	PhaseDestroy = "destroy" // terraform destroy
)

// phases lists the phases in report order.
var phases = []string{PhaseApply, PhaseRefresh, PhaseDestroy}

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
