package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"time"
)

// F is a float64 that encodes NaN and infinities as JSON null.
type F float64

// MarshalJSON implements json.Marshaler.
func (f F) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(round(x, 4))
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *F) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = F(math.NaN())
		return nil
	}
	var x float64
	err := json.Unmarshal(b, &x)
	*f = F(x)
	return err
}

// SchemaStats is the provider start → schema timing of one family.
type SchemaStats struct {
	Runs        int `json:"runs"`
	HandshakeMs F   `json:"start_to_handshake_ms_median"`
	SchemaMs    F   `json:"start_to_schema_ms_median"`
	SchemaMinMs F   `json:"start_to_schema_ms_min"`
	SchemaMaxMs F   `json:"start_to_schema_ms_max"`
	SchemaBytes int `json:"schema_response_bytes"`
}

// result is one configuration (kind, N) with its samples.
type result struct {
	Kind      Kind                `json:"kind"`
	Variant   string              `json:"variant,omitempty"`
	N         int                 `json:"n"`
	LatencyMs float64             `json:"latency_ms"`      // round trip the proxies added (0: loopback; absent in older reports)
	Shape     string              `json:"shape,omitempty"` // the scale shape (Report.Shapes) it belongs to
	Mix       mix                 `json:"mix"`
	Samples   map[string][]sample `json:"samples"`
	Errors    []string            `json:"errors,omitempty"`
	Summary   map[string]summary  `json:"summary"`
	PeakMiB   map[string]F        `json:"peak_provider_mib,omitempty"` // per executable, over all phases
}

// summary is one phase of one configuration.
type summary struct {
	Runs            int            `json:"runs"`
	MedianS         F              `json:"median_s"`
	MinS            F              `json:"min_s"`
	MaxS            F              `json:"max_s"`
	Ratio           F              `json:"ratio_to_terraform_data"`
	ReqPerResource  F              `json:"requests_per_resource"`    // median over runs, credential checks left out
	RequestsPerRun  F              `json:"requests_per_run"`         // median over runs, every request the proxies saw (credential checks included)
	RatioToNull     F              `json:"ratio_to_same_shape_null"` // median ÷ the same-shape null twin's median (Kind.Twin), same N and phase
	ChecksPerRun    F              `json:"credential_checks_per_run"`
	ListCallsPerRun F              `json:"list_or_sync_calls_per_run"`
	MaxNewConns     int            `json:"max_new_connections"`     // TCP connections accepted by the proxies, worst run
	MaxInFlight     int            `json:"max_in_flight,omitempty"` // most requests one server answered at once, over the runs
	ByRoutePerRun   map[string]F   `json:"by_route_per_run,omitempty"`
	ConnsByServer   map[string]int `json:"max_new_connections_by_server,omitempty"`
	CoreCPUS        F              `json:"terraform_core_cpu_s_median"`
	ProviderCPUS    F              `json:"provider_cpu_s_median"`
	HarnessCPUS     F              `json:"harness_cpu_s_median"`
	ServerCPUS      F              `json:"server_cpu_s_median"`
}

// Report is the whole run, written to docs/performance.json.
type Report struct {
	Date           string                 `json:"date"`
	DurationS      F                      `json:"harness_duration_s"`
	CommandLine    string                 `json:"command_line"`
	Tree           string                 `json:"tree"` // the commit measured, and whether the tree had local changes
	Machine        Machine                `json:"machine"`
	Ns             []int                  `json:"n"`
	RefreshRuns    int                    `json:"refresh_runs"`
	ApplyRuns      int                    `json:"apply_destroy_runs"`
	LargeN         int                    `json:"large_n"`
	ApplyRunsLarge int                    `json:"apply_destroy_runs_at_large_n"`
	Parallelism    int                    `json:"parallelism"`
	Repos          int                    `json:"drone_repositories"`
	Method         map[string]string      `json:"method"`
	Schema         map[string]SchemaStats `json:"provider_start_to_schema,omitempty"`
	Latencies      []float64              `json:"latencies_ms,omitempty"` // the round trips the proxies added, in ms
	Results        []*result              `json:"results"`
	Shapes         []*result              `json:"scale_shapes,omitempty"` // the scale shapes and their null twins
	Targets        []Target               `json:"targets"`
	Peers          []*peerComparison      `json:"peer_comparisons,omitempty"` // one per latency
	// Peer is an older report's single peer comparison (at 0 ms); ReadReport
	// moves it into Peers.
	Peer *peerComparison `json:"peer_comparison,omitempty"`
}

// Target is one goal of issues #27 and #16 (or one still-meaningful goal of
// issue #8) and whether this run met it; NotMeasured says why the run could
// not tell (Met is then false).
type Target struct {
	Name        string `json:"name"`
	Goal        string `json:"goal"`
	Measured    string `json:"measured"`
	Met         bool   `json:"met"`
	NotMeasured string `json:"not_measured,omitempty"`
}

// Summarize fills each result's Summary and PeakMiB, with ratios against
// terraform_data at the same N and, for the API configurations, against
// their same-shape null twin; and the peer comparison (the reference
// figures when the peer did not run).
func (r *Report) Summarize() {
	floor := map[int]map[string]float64{}
	for _, res := range r.Results {
		res.summarize()
		if res.Kind == kindData && res.Variant == "" {
			floor[res.N] = map[string]float64{}
			for p, s := range res.Summary {
				floor[res.N][p] = float64(s.MedianS)
			}
		}
	}
	for _, res := range r.Results {
		var twin *result
		if res.Variant == "" && res.Kind.Twin() != "" {
			twin = r.FindAt(res.Kind.Twin(), res.N, res.LatencyMs)
		}
		for p, s := range res.Summary {
			s.Ratio = F(ratio(float64(s.MedianS), floor[res.N][p]))
			s.RatioToNull = F(math.NaN())
			if twin != nil {
				s.RatioToNull = F(ratio(float64(s.MedianS), float64(twin.Summary[p].MedianS)))
			}
			res.Summary[p] = s
		}
	}
	r.summarizeShapes()
	if r.Peer != nil && len(r.Peers) == 0 {
		r.Peers = []*peerComparison{r.Peer}
	}
	r.Peer = nil
	if len(r.Peers) == 0 {
		r.Peers = []*peerComparison{{N: peerN, Repos: peerRepos}}
	}
	for _, p := range r.Peers {
		p.summarize()
	}
}

func (res *result) summarize() {
	res.Summary = map[string]summary{}
	res.PeakMiB = map[string]F{}
	n := res.Mix.Total()
	for _, p := range phases {
		ss := res.Samples[p]
		var walls, perRes, perRun, checks, lists, core, prov, harn, srv []float64
		routes := map[string]float64{}
		var s summary
		s.ConnsByServer = map[string]int{}
		for _, x := range ss {
			if x.WallS <= 0 {
				continue // failed to run
			}
			t := x.total()
			walls = append(walls, x.WallS)
			perRes = append(perRes, perResource(t.Requests, n))
			perRun = append(perRun, float64(t.Requests+t.Checks))
			checks = append(checks, float64(t.Checks))
			lists = append(lists, float64(t.Lists()))
			core, prov, harn = append(core, x.CoreCPU), append(prov, x.ProviderCPU), append(harn, x.HarnessCPU)
			srv = append(srv, x.ServerCPU)
			s.MaxNewConns = max(s.MaxNewConns, t.Conns)
			s.MaxInFlight = max(s.MaxInFlight, x.Drone.MaxInFlight, x.Galaxias.MaxInFlight)
			s.ConnsByServer["drone"] = max(s.ConnsByServer["drone"], x.Drone.Conns)
			s.ConnsByServer["galaxias"] = max(s.ConnsByServer["galaxias"], x.Galaxias.Conns)
			for k, v := range t.ByRoute {
				routes[k] += float64(v)
			}
			for name, kib := range x.PeakKiB {
				res.PeakMiB[name] = F(math.Max(float64(res.PeakMiB[name]), float64(kib)/1024))
			}
		}
		s.Runs = len(walls)
		s.MedianS = F(median(walls))
		lo, hi := minMax(walls)
		s.MinS, s.MaxS = F(lo), F(hi)
		s.ReqPerResource = F(median(perRes))
		s.RequestsPerRun = F(median(perRun))
		s.RatioToNull = F(math.NaN())
		s.ChecksPerRun = F(median(checks))
		s.ListCallsPerRun = F(median(lists))
		s.CoreCPUS, s.ProviderCPUS, s.HarnessCPUS = F(median(core)), F(median(prov)), F(median(harn))
		s.ServerCPUS = F(median(srv))
		if len(walls) > 0 && len(routes) > 0 {
			s.ByRoutePerRun = map[string]F{}
			for k, v := range routes {
				s.ByRoutePerRun[k] = F(v / float64(len(walls)))
			}
		}
		res.Summary[p] = s
	}
}

// Label names a result in tables, logs and the plot: the kind, the variant
// and the added latency.
func (res *result) Label() string {
	l := string(res.Kind)
	if res.Variant != "" {
		l += " (" + res.Variant + ")"
	}
	if res.LatencyMs > 0 {
		l += " @ " + msString(res.LatencyMs)
	}
	return l
}

// Find returns the result of a kind at N without a variant and without
// added latency, or nil.
func (r *Report) Find(k Kind, n int) *result { return r.FindAt(k, n, 0) }

// FindAt returns the result of a kind at N without a variant, measured with
// latencyMs added (any latency for a kind without an API: none reaches it),
// or nil.
func (r *Report) FindAt(k Kind, n int, latencyMs float64) *result {
	for _, res := range r.Results {
		if res.Kind == k && res.N == n && res.Variant == "" && (k.NoAPI() || res.LatencyMs == latencyMs) {
			return res
		}
	}
	return nil
}

// LatenciesMs lists the latencies of the run, of the results, the shapes
// and the peer comparisons, ascending; [0] for an older report.
func (r *Report) LatenciesMs() []float64 {
	seen := map[float64]bool{}
	var out []float64
	add := func(ms float64) {
		if !seen[ms] {
			seen[ms] = true
			out = append(out, ms)
		}
	}
	for _, ms := range r.Latencies {
		add(ms)
	}
	for _, res := range append(append([]*result(nil), r.Results...), r.Shapes...) {
		add(res.LatencyMs)
	}
	for _, p := range r.Peers {
		add(p.LatencyMs)
	}
	if len(out) == 0 {
		return []float64{0}
	}
	sort.Float64s(out)
	return out
}

// msString writes milliseconds for a reader: "20 ms".
func msString(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) + " ms" }

// WriteJSON writes the report.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644) //nolint:gosec // published documentation
}

// ReadReport reads a report written by WriteJSON.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := new(Report)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, err
	}
	if r.Peer != nil && len(r.Peers) == 0 {
		r.Peers = []*peerComparison{r.Peer} // an older report: its comparison ran without added latency
	}
	r.Peer = nil
	return r, nil
}

// Now is the report date format.
func Now() string { return time.Now().UTC().Format(time.RFC3339) }

func fmtF(x F, d int) string {
	if math.IsNaN(float64(x)) {
		return "–"
	}
	return fmt.Sprintf("%.*f", d, float64(x))
}
