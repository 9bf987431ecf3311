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
	"null_twins": "The same-shape null twins: null_drone_secret, null_galaxias and null_mixed are the drone, galaxias " +
		"and mixed configurations (same N, same mix, same attribute values) with each type served by the null provider " +
		"as benchnull_<type>, whose schema is the real type's (taken from the real provider: validators, defaults and " +
		"plan modifiers included) and whose CRUD only decodes and encodes the object, with no API. null_mixed's galaxias " +
		"types use a second benchnull provider configuration, so that it runs two provider processes as mixed does. " +
		"A configuration's refresh ÷ its twin's is what its API work (client, HTTP, server) adds to the refresh.",
	"requests_per_refresh": "Every request the proxies saw during one refresh-plan (median of the runs), credential " +
		"checks included; the refresh-requests target compares it with one list per parent (Drone: the secrets of " +
		"each repository; Galaxias: the apps of the project and the environments of the cluster, 100 per page), one " +
		"read per resource that no list covers (a Galaxias app config: there is no route listing an app's configs) " +
		"and one credential check per provider process.",
	"peer": "With " + PeerEnv + "=/path/to/terraform-provider-drone (mavimo's provider, a binary already on the machine; " +
		"the harness never downloads or builds it), the harness copies it into its scratch directory, points " +
		"registry.terraform.io/" + peerSource + " at it with dev_overrides, and runs 300 drone_secret over 3 repositories " +
		"with this provider and with the peer at each latency, and with terraform_data once, in turns, like every other " +
		"configuration. Without it the page shows issue #27's reference figures (loopback) and says so, and the " +
		"targets against mavimo are \"not measured\".",
	"cpu": "utime+stime from /proc: terraform with its reaped children, minus the providers (sampled while " +
		"they run) = core; the harness process itself (the proxies); the stack's Drone and Galaxias server " +
		"processes (their pids from .stack/pids), before and after each command.",
	"variants": "Configurations re-run in the same rounds with one thing of the shipped set-up undone: " +
		"sdk-logs-on (TF_LOG_SDK=trace, so serve.QuietLogs leaves logging as the SDKs default it: every SDK and " +
		"provider logger at TRACE, as before QuietLogs), no-context-guard (the null provider without " +
		"serve.ContextGuard), gogc-100 (the provider processes only get GOGC=100: Go's default collector, no memory " +
		"limit, as serve.TuneGC leaves the collector alone when GOGC or GOMEMLIMIT is set) and gogc-400-no-limit (the " +
		"provider processes only get GOGC=400: the setting before issue #16, no memory limit). The rows without a " +
		"variant run the shipped setting, serve.TuneGC's GOGC=400 with a soft memory limit of 28 MiB that follows the " +
		"live heap (twice the live heap and 8 MiB, after every collection). GOGC and GOMEMLIMIT reach the providers " +
		"through wrapper scripts that dev_overrides point at, not terraform's environment: terraform is a Go program too.",
	"latency": "-latency makes both counting proxies add a round trip to every request of both providers (one sleep " +
		"per request, before it is forwarded, so that connections kept alive do not hide it; requests in flight " +
		"together wait side by side). It models servers a network round trip away with the connections open: the " +
		"handshakes of new TCP or TLS connections (more round trips) and bandwidth are not modelled. The API " +
		"configurations, the peer comparison and the scale shapes run once per latency, taking turns with the " +
		"rest; terraform_data, the null provider's configurations (no request to delay) and the variants run once, " +
		"and each latency's refresh is compared with the same null twin. \"most in flight\" is the most requests " +
		"one server was answering at once.",
	"scale_shapes": "-shapes runs configurations spread over many parents, as users have them (make bench: " +
		DefaultShapes + ": 300 drone_secret over 100 repositories, 1,000 galaxias resources, apps spread over 50 " +
		"projects each with its own environment and project-environment), with the same-shape null twin, at each " +
		"latency, with -apply-runs-large apply/destroy cycles and -runs refresh-plans.",
	"provider_build": "The harness builds the provider (go build) into its own scratch directory and points " +
		"terraform at it with dev_overrides, so it measures the tree as it is and does not touch .cache/provider.",
}

// galaxiasPage is the page size the galaxias client asks its lists for.
const galaxiasPage = 100

// expectedRefreshRequests is what issue #16's batched refresh should send
// in one refresh-plan of a mix, credential checks included: one list per
// parent (Drone: the secrets of each repository holding secrets; Galaxias:
// the apps of the project and the environments of the cluster, in pages of
// galaxiasPage), one GET per app config (Galaxias has no route that lists an
// app's configs), and one credential check per provider process. It returns
// the count and the formula in words.
func expectedRefreshRequests(mix mix, repos int) (int, string) {
	total, checks := 0, 0
	var parts []string
	if s := mix["drone_secret"]; s > 0 {
		r := min(s, max(1, repos)) // secrets go round-robin over the repositories
		total += r
		checks++
		parts = append(parts, fmt.Sprintf("%d secret lists", r))
	}
	apps, envs, cfgs := mix["galaxias_app"], mix["galaxias_environment"], mix["galaxias_app_config"]
	if apps+envs+cfgs > 0 {
		pa, pe := pages(apps, galaxiasPage), pages(envs, galaxiasPage)
		total += pa + pe + cfgs
		checks++
		parts = append(parts, fmt.Sprintf("%d app-list pages + %d env-list pages + %d app-config reads", pa, pe, cfgs))
	}
	parts = append(parts, fmt.Sprintf("%d credential check(s)", checks))
	return total + checks, strings.Join(parts, " + ")
}

// pages is the number of pages of size per that n items take.
func pages(n, per int) int {
	if n <= 0 {
		return 0
	}
	return (n + per - 1) / per
}

// requestsTolerance is how far above the expected count a refresh may go and
// still count as "≈ parents": 10 %, at least one request.
func requestsMet(measured float64, expected int) bool {
	return !math.IsNaN(measured) && measured <= float64(expected)+math.Max(1, 0.1*float64(expected))
}

// nullRatioLimit is issue #16's bound on refresh ÷ same-shape null twin.
const nullRatioLimit = 1.10

// Targets evaluates the goals of issues #27 and #16, and the goals of issue
// #8 that still hold, on a summarized report. The goals of #16 and #8 are
// judged on the results without added latency.
func Targets(r *Report) []Target {
	var out []Target
	maxN := 0
	for _, n := range r.Ns {
		maxN = max(maxN, n)
	}

	// (a) requests per refresh ≈ parents, not resources.
	var seen []string
	met, any := true, false
	for _, res := range sortedResults(r) {
		if res.Kind.NoAPI() || res.Variant != "" {
			continue
		}
		s := res.Summary[phaseRefresh]
		want, _ := expectedRefreshRequests(res.Mix, r.Repos)
		ok := requestsMet(float64(s.RequestsPerRun), want)
		met, any = met && ok, true
		seen = append(seen, fmt.Sprintf("%s/%d: %s (expected %d, one per resource would be %d)", res.Label(), res.N,
			fmtF(s.RequestsPerRun, 0), want, res.Mix.Total()+providersOf(res.Mix)))
	}
	if any {
		_, drone := expectedRefreshRequests(mix{"drone_secret": 500}, r.Repos)
		_, gal := expectedRefreshRequests(mix{"galaxias_app": 167, "galaxias_environment": 167, "galaxias_app_config": 166}, r.Repos)
		out = append(out, Target{
			Name: "refresh-requests",
			Goal: fmt.Sprintf("requests per refresh-plan (all, credential checks included) ≈ parents, not resources: at most "+
				"10 %% (≥ 1) above one list per parent + one read per resource no list covers + one credential check per provider. "+
				"drone N=500 over %d repositories: %s; galaxias N=500: %s (app configs have no list route)", r.Repos, drone, gal),
			Measured: strings.Join(seen, "; "), Met: met,
		})
	}

	// (b) refresh within 1.10 × the same-shape null provider at N=500 and 1000.
	seen, met, any = nil, true, false
	for _, k := range []Kind{kindDrone, kindGalaxias, kindMixed} {
		for _, n := range []int{500, 1000} {
			res := r.Find(k, n)
			if res == nil || r.Find(k.Twin(), n) == nil {
				continue
			}
			q := res.Summary[phaseRefresh].RatioToNull
			met, any = met && !math.IsNaN(float64(q)) && float64(q) <= nullRatioLimit, true
			seen = append(seen, fmt.Sprintf("%s/%d %s× %s", k, n, fmtF(q, 2), k.Twin()))
		}
	}
	if any {
		out = append(out, Target{Name: "refresh-vs-null",
			Goal: fmt.Sprintf("refresh-plan at N=500 and N=1000: at most %.2f × the same-shape null provider "+
				"(drone ÷ null_drone_secret, galaxias ÷ null_galaxias, mixed ÷ null_mixed)", nullRatioLimit),
			Measured: strings.Join(seen, ", "), Met: met})
	}

	// Issue #27: against mavimo at 0 and 20 ms, and the galaxias refresh
	// with latency.
	out = append(out, peerTargets(r.Peers)...)
	out = append(out, latencyTarget(r))

	// (d) the GC setting keeps the memory of Go's default and the CPU of GOGC=400.
	if t, ok := gcTarget(r); ok {
		out = append(out, t)
	}

	// Issue #8: provider start to schema ≤ 100 ms.
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

	// Issue #8: new TCP connections during a refresh ≤ parallelism + 2, per
	// provider process (each provider has its own connection pool, and the
	// parallelism bounds the requests in flight at any moment).
	limit := r.Parallelism + 2
	worst, where, worstTotal := -1, "", 0
	for _, res := range r.Results {
		if res.Kind.NoAPI() || res.Variant != "" {
			continue
		}
		s := res.Summary[phaseRefresh]
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

	// Issue #8: peak provider memory at the largest N < 100 MiB.
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

// providersOf counts the provider processes (one per family) of a mix.
func providersOf(mix mix) int {
	n := 0
	if mix["drone_secret"] > 0 {
		n++
	}
	if mix["galaxias_app"]+mix["galaxias_environment"]+mix["galaxias_app_config"] > 0 {
		n++
	}
	return n
}

// gcMemoryMargin and gcCPUMargin: how close the shipped GC setting must come
// to the memory of Go's default (gogc-100) and to the provider CPU of the
// setting before issue #16 (gogc-400-no-limit).
const (
	gcMemoryMargin = 1.15
	gcCPUMargin    = 1.10
)

// gcTarget compares, at the largest N where both GC variants ran, the
// shipped setting (no variant) with gogc-100 (memory) and gogc-400-no-limit
// (provider CPU during refresh) for each kind the variants ran.
func gcTarget(r *Report) (Target, bool) {
	n := 0
	for _, res := range r.Results {
		if res.Variant == GCDefaultVariant.Name && r.findVariant(res.Kind, res.N, GCBeforeVariant.Name) != nil {
			n = max(n, res.N)
		}
	}
	if n == 0 {
		return Target{}, false
	}
	met := true
	var parts []string
	for _, k := range GCDefaultVariant.Kinds {
		def, low, old := r.Find(k, n), r.findVariant(k, n, GCDefaultVariant.Name), r.findVariant(k, n, GCBeforeVariant.Name)
		if def == nil || low == nil || old == nil {
			continue
		}
		pd, pl, po := largestPeak(def), largestPeak(low), largestPeak(old)
		cd, co := float64(def.Summary[phaseRefresh].ProviderCPUS), float64(old.Summary[phaseRefresh].ProviderCPUS)
		cl := float64(low.Summary[phaseRefresh].ProviderCPUS)
		ok := pd <= pl*gcMemoryMargin && cd <= co*gcCPUMargin
		met = met && ok
		parts = append(parts, fmt.Sprintf("%s/%d: peak %.1f MiB (gogc-100 %.1f, gogc-400-no-limit %.1f), refresh provider CPU %.2f s (gogc-100 %.2f, gogc-400-no-limit %.2f)",
			k, n, pd, pl, po, cd, cl, co))
	}
	if len(parts) == 0 {
		return Target{}, false
	}
	return Target{Name: "gc-setting",
		Goal: fmt.Sprintf("the shipped GC setting (serve.TuneGC) keeps both: peak provider memory at most %.2f × Go's default "+
			"collector's (gogc-100) and refresh provider CPU at most %.2f × the setting before issue #16's (gogc-400-no-limit)",
			gcMemoryMargin, gcCPUMargin),
		Measured: strings.Join(parts, "; "), Met: met}, true
}

// findVariant returns the result of a kind at N in a variant, or nil.
func (r *Report) findVariant(k Kind, n int, variant string) *result {
	for _, res := range r.Results {
		if res.Kind == k && res.N == n && res.Variant == variant {
			return res
		}
	}
	return nil
}
