package bench

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Method explains, in the report, how each number is taken.
var Method = map[string]string{
	"wall_time": "Wall time of the terraform command (exec to exit), median of the runs. apply starts from an empty " +
		"state; refresh is `terraform plan -detailed-exitcode` on the applied configuration and must report no " +
		"changes (exit 0); destroy removes everything. Every configuration of one N runs in the same harness run " +
		"as its terraform_data floor, taking turns: all configurations are applied, then each refresh round runs " +
		"every configuration once, then all are destroyed, so that the floor and the providers share the load of " +
		"the (shared) machine. terraform destroy refreshes before it deletes, hence 2 requests per resource.",
	"requests": "Counted server-side by a counting reverse proxy in front of Drone and one in front of Galaxias; " +
		"the providers are pointed at the proxies. Credential checks (Drone GET /api/user, Galaxias GET " +
		"/v1/projects?page=1&per_page=1, made once by each provider's Configure) are counted apart and not per resource.",
	"connections": "TCP connections accepted by the proxies from the providers during the phase (new connections, " +
		"both servers together).",
	"memory": "VmHWM (peak resident set) of every terraform-provider-* child of the terraform process, from " +
		"/proc/<pid>/status sampled every 50 ms (VmHWM is the lifetime peak, so sampling only has to catch the process alive); the maximum over all phases and runs of a configuration.",
	"schema": "The provider binary is started the way Terraform starts it (go-plugin handshake environment, " +
		"protocol 6); the time is taken from exec to the handshake line on stdout, and to the answer of a " +
		"GetProviderSchema gRPC call on the announced socket. Median of several starts after one unmeasured " +
		"start (page cache warm).",
	"null_provider": "A provider without an API, built from cmd/bench/nullprovider (benchnull_item: three " +
		"string attributes; Read decodes the state and sets it back). It separates what Terraform core, the " +
		"plugin protocol and terraform-plugin-framework cost from what the real providers and their servers add. " +
		"It is served like the real providers, with serve.QuietLogs, serve.TuneGC and serve.ContextGuard; each variant " +
		"runs it without one of them.",
	"cpu": "utime+stime from /proc: terraform with its reaped children, minus the providers (sampled while " +
		"they run) = core; the harness process itself (the proxies); the stack's Drone and Galaxias server " +
		"processes (their pids from .stack/pids), before and after each command.",
	"variants": "Configurations re-run in the same rounds with one thing of the shipped set-up undone: " +
		"sdk-logs-on (TF_LOG_SDK=trace, so serve.QuietLogs leaves logging as the SDKs default it: every SDK and " +
		"provider logger at TRACE, as before QuietLogs), no-context-guard (the null provider without " +
		"serve.ContextGuard), gogc-100 (GOGC=100, Go's default, so serve.TuneGC leaves the collector alone; " +
		"terraform runs with Go's default either way).",
	"provider_build": "The harness builds the provider (go build) into its own scratch directory and points " +
		"terraform at it with dev_overrides, so it measures the tree as it is and does not touch .cache/provider.",
}

// Targets evaluates the goals of issue #8 on a summarized report.
func Targets(r *Report) []Target {
	var out []Target
	maxN := 0
	for _, n := range r.Ns {
		maxN = max(maxN, n)
	}

	// 1. refresh at N=500 (mixed) ≤ 1.3 × terraform_data.
	if res := r.Find(KindMixed, 500); res != nil {
		s := res.Summary[PhaseRefresh]
		floor := r.Find(KindData, 500).Summary[PhaseRefresh]
		out = append(out, Target{
			Name: "refresh-ratio", Goal: "refresh-plan, mixed, N=500: at most 1.3 × terraform_data",
			Measured: fmt.Sprintf("%ss vs %ss: %s×", fmtF(s.MedianS, 2), fmtF(floor.MedianS, 2), fmtF(s.Ratio, 2)),
			Met:      float64(s.Ratio) <= 1.3,
		})
	}

	// 2. one request per resource per refresh, no list or sync, one check per provider.
	var bad []string
	var seen []string
	for _, res := range r.Results {
		if res.Kind.NoAPI() || res.Variant != "" {
			continue
		}
		s := res.Summary[PhaseRefresh]
		providers := 0
		if res.Mix["drone_secret"] > 0 {
			providers++
		}
		if res.Mix["galaxias_app"]+res.Mix["galaxias_environment"]+res.Mix["galaxias_app_config"] > 0 {
			providers++
		}
		seen = append(seen, fmt.Sprintf("%s/%d: %s req/resource, %s lists, %s checks", res.Kind, res.N,
			fmtF(s.ReqPerResource, 3), fmtF(s.ListCallsPerRun, 0), fmtF(s.ChecksPerRun, 0)))
		if float64(s.ReqPerResource) != 1 || float64(s.ListCallsPerRun) != 0 || float64(s.ChecksPerRun) > float64(providers) {
			bad = append(bad, fmt.Sprintf("%s/%d", res.Kind, res.N))
		}
	}
	if len(seen) > 0 {
		m := "all configurations: exactly 1.000 request per resource, 0 list/sync calls, one credential check per provider"
		if len(bad) > 0 {
			m = "missed by " + strings.Join(bad, ", ") + "; " + strings.Join(seen, "; ")
		}
		out = append(out, Target{
			Name: "refresh-requests", Goal: "refresh: exactly one HTTP request per resource, no list or sync calls, " +
				"no credential check per resource (one per provider instance)",
			Measured: m, Met: len(bad) == 0,
		})
	}

	// 3. provider start to schema ≤ 100 ms.
	if len(r.Schema) > 0 {
		fams := make([]string, 0, len(r.Schema))
		for f := range r.Schema {
			fams = append(fams, f)
		}
		sort.Strings(fams)
		met := true
		var parts []string
		for _, f := range fams {
			if f == "benchnull" {
				continue // the benchmark's own provider, for comparison only
			}
			s := r.Schema[f]
			parts = append(parts, fmt.Sprintf("%s %s ms", f, fmtF(s.SchemaMs, 1)))
			met = met && float64(s.SchemaMs) <= 100
		}
		out = append(out, Target{Name: "schema-time", Goal: "provider start to schema answer: at most 100 ms",
			Measured: strings.Join(parts, ", ") + " (median)", Met: met})
	}

	// 4. new TCP connections during a refresh ≤ parallelism + 2, per
	// provider process (each provider has its own connection pool, and the
	// parallelism bounds the requests in flight at any moment).
	limit := r.Parallelism + 2
	worst, where, worstTotal := -1, "", 0
	for _, res := range r.Results {
		if res.Kind.NoAPI() || res.Variant != "" {
			continue
		}
		s := res.Summary[PhaseRefresh]
		for server, c := range s.ConnsByServer {
			if c > worst {
				worst, where = c, fmt.Sprintf("%s, %s/%d", server, res.Kind, res.N)
			}
		}
		worstTotal = max(worstTotal, s.MaxNewConns)
	}
	if worst >= 0 {
		out = append(out, Target{Name: "refresh-connections",
			Goal:     fmt.Sprintf("new TCP connections during a refresh: at most parallelism (%d) + 2 per provider", r.Parallelism),
			Measured: fmt.Sprintf("worst %d per provider (%s); both providers together at most %d", worst, where, worstTotal),
			Met:      worst <= limit})
	}

	// 5. peak provider memory at the largest N < 100 MiB.
	peak, where := math.NaN(), ""
	for _, res := range r.Results {
		if res.N != maxN || res.Variant != "" {
			continue
		}
		for name, v := range res.PeakMiB {
			if math.IsNaN(peak) || float64(v) > peak {
				peak, where = float64(v), fmt.Sprintf("%s in %s/%d", name, res.Kind, res.N)
			}
		}
	}
	if !math.IsNaN(peak) {
		out = append(out, Target{Name: "peak-memory",
			Goal:     fmt.Sprintf("peak provider memory (VmHWM) at N=%d: under 100 MiB", maxN),
			Measured: fmt.Sprintf("%.1f MiB (%s)", peak, where), Met: peak < 100})
	}
	return out
}
