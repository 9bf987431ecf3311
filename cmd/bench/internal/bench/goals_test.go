package bench

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// peerRes is a peer-workload result with one sample per phase.
func peerRes(k Kind, latencyMs, refresh, apply, destroy float64, requests int, peakMiB int64) *result {
	s := func(w float64) []sample {
		return []sample{{WallS: w, LatencyMs: latencyMs, Drone: counts{Requests: requests - 1, Checks: 1}, CoreCPU: 0.05 * w, ProviderCPU: float64(peakMiB) / 128,
			PeakKiB: map[string]int64{"terraform-provider-drone": peakMiB << 10}}}
	}
	return &result{Kind: k, N: peerN, LatencyMs: latencyMs, Mix: mixFor(k, peerN), Samples: map[string][]sample{
		phaseRefresh: s(refresh), phaseApply: s(apply), phaseDestroy: s(destroy)}}
}

func targetsByName(ts []Target) map[string]Target {
	out := map[string]Target{}
	for _, t := range ts {
		out[t.Name] = t
	}
	return out
}

func TestPeerTargetsReference(t *testing.T) {
	// Without BENCH_PEER_DRONE: not measured, with the figures where
	// they apply (apply at 0 ms, memory), and the reason.
	r := &Report{}
	r.Summarize()
	got := targetsByName(peerTargets(r.Peers))
	for _, name := range []string{"peer-refresh-20ms", "peer-apply-20ms", "peer-destroy-20ms", "peer-apply-0ms", "peer-memory"} {
		tg, ok := got[name]
		if !ok || tg.Met || !strings.Contains(tg.NotMeasured, PeerEnv) {
			t.Errorf("%s without a peer: %+v", name, tg)
		}
	}
	if tg := got["peer-apply-0ms"]; !strings.Contains(tg.Measured, "9.97 s vs 7.63 s: 1.31×") || !strings.Contains(tg.Measured, "reference figures") {
		t.Errorf("apply at 0 ms shows the reference figures: %+v", tg)
	}
	if tg := got["peer-refresh-20ms"]; tg.Measured != "–" {
		t.Errorf("no reference figures at 20 ms: %+v", tg)
	}
	if tg := got["peer-memory"]; !strings.Contains(tg.Measured, "44.3 MiB vs 28.9 MiB: 1.53×") {
		t.Errorf("memory shows the reference figures: %+v", tg)
	}
}

func TestPeerTargetsMeasured(t *testing.T) {
	cmp := func(ms float64, ours, peer *result) *peerComparison {
		p := &peerComparison{LatencyMs: ms, N: peerN, Repos: peerRepos, Ours: ours, Peer: peer}
		p.summarize()
		return p
	}
	// At 20 ms: refresh 0.6×, apply 1.0×, destroy 1.1×; at 0 ms apply 0.9×;
	// memory 30/28 (1.07×) at 0 ms, 32/28 (1.14×) at 20 ms.
	p0 := cmp(0, peerRes(kindDrone, 0, 1, 9, 8, 4, 30), peerRes(kindPeerDrone, 0, 1, 10, 8, 601, 28))
	p20 := cmp(20, peerRes(kindDrone, 20, 1.2, 10, 11, 4, 32), peerRes(kindPeerDrone, 20, 2, 10, 10, 601, 28))
	if !p20.Measured || p20.Figures.RefreshRatio != 0.6 || p20.Figures.DestroyRatio != 1.1 {
		t.Fatalf("figures at 20 ms: %+v", p20.Figures)
	}
	got := targetsByName(peerTargets([]*peerComparison{p0, p20}))
	want := map[string]bool{"peer-refresh-20ms": true, "peer-apply-20ms": true, "peer-destroy-20ms": false, "peer-apply-0ms": true, "peer-memory": false}
	for name, met := range want {
		if tg := got[name]; tg.Met != met || tg.NotMeasured != "" {
			t.Errorf("%s: %+v, want met=%v", name, tg, met)
		}
	}
	if tg := got["peer-memory"]; !strings.Contains(tg.Measured, "1.14×") || !strings.Contains(tg.Measured, "at 20 ms") {
		t.Errorf("memory: the worst latency's ratio: %+v", tg)
	}
	if tg := got["peer-refresh-20ms"]; !strings.Contains(tg.Measured, "1.20 s vs 2.00 s: 0.60×") {
		t.Errorf("refresh at 20 ms figures: %+v", tg)
	}
	var b strings.Builder
	writePeers(func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }, []*peerComparison{p0, p20})
	for _, want := range []string{"### 20 ms added to every request", "| refresh-plan, median | 1.20 s | 2.00 s | 0.60 | ≤ 0.7 |",
		"| apply: terraform core CPU | 0.50 s | 0.50 s | 1.00 | |", "| apply: provider CPU | 0.25 s | 0.22 s | 1.14 | |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("peer tables lack %q:\n%s", want, b.String())
		}
	}

	// Only 0 ms measured: the 20 ms goals are not measured, for want of the latency.
	got = targetsByName(peerTargets([]*peerComparison{p0}))
	if tg := got["peer-refresh-20ms"]; tg.Met || !strings.Contains(tg.NotMeasured, "-latency") {
		t.Errorf("no 20 ms run: %+v", tg)
	}
	if tg := got["peer-memory"]; !tg.Met || tg.NotMeasured != "" {
		t.Errorf("memory 1.07× at 0 ms only: %+v", tg)
	}
}

// latencyReport has galaxias at N=500 at 0 ms and, if at20 > 0, at 20 ms.
func latencyReport(at0, at20 float64) *Report {
	res := func(ms, refresh float64) *result {
		return &result{Kind: kindGalaxias, N: 500, LatencyMs: ms, Mix: mixFor(kindGalaxias, 500),
			Samples: map[string][]sample{phaseRefresh: {{WallS: refresh, LatencyMs: ms, Galaxias: counts{Requests: 170, Checks: 1}}}}}
	}
	r := &Report{Ns: []int{500}, Results: []*result{res(0, at0)}}
	if at20 > 0 {
		r.Results = append(r.Results, res(20, at20))
	}
	r.Summarize()
	return r
}

func TestLatencyTarget(t *testing.T) {
	if tg := latencyTarget(latencyReport(4, 5.6)); !tg.Met || tg.NotMeasured != "" || !strings.Contains(tg.Measured, "5.60 s at 20 ms vs 4.00 s at 0 ms: 1.40×") {
		t.Errorf("1.4× met: %+v", tg)
	}
	if tg := latencyTarget(latencyReport(4, 7)); tg.Met || tg.NotMeasured != "" || !strings.Contains(tg.Measured, "1.75×") {
		t.Errorf("1.75× not met: %+v", tg)
	}
	if tg := latencyTarget(latencyReport(4, 0)); tg.Met || !strings.Contains(tg.NotMeasured, "20 ms") {
		t.Errorf("no 20 ms run: %+v", tg)
	}
	if tg := latencyTarget(&Report{}); tg.Met || !strings.Contains(tg.NotMeasured, "N=500") {
		t.Errorf("no galaxias at N=500: %+v", tg)
	}
	// The goal is in the targets.
	if tg := target(t, latencyReport(4, 5), "latency-galaxias-refresh"); !tg.Met {
		t.Errorf("in Targets: %+v", tg)
	}
}

func TestReportGroupsByLatency(t *testing.T) {
	r := latencyReport(4, 6)
	r.Results = append(r.Results,
		&result{Kind: kindNullGalaxias, N: 500, Mix: mixFor(kindNullGalaxias, 500), Samples: map[string][]sample{phaseRefresh: {{WallS: 3}}}},
		&result{Kind: kindData, N: 500, Mix: mixFor(kindData, 500), Samples: map[string][]sample{phaseRefresh: {{WallS: 2}}}})
	r.Summarize()
	if got := r.LatenciesMs(); len(got) != 2 || got[0] != 0 || got[1] != 20 {
		t.Fatalf("latencies %v", got)
	}
	// Each latency is compared with the same twin and floor: none reaches them.
	if q := r.FindAt(kindGalaxias, 500, 20).Summary[phaseRefresh].RatioToNull; q != 2 {
		t.Errorf("galaxias @ 20 ms ÷ null_galaxias = %v, want 2", q)
	}
	if q := r.FindAt(kindGalaxias, 500, 0).Summary[phaseRefresh]; q.RatioToNull != F(4.0/3) || q.Ratio != 2 {
		t.Errorf("galaxias @ 0 ms: %+v", q)
	}
	if r.FindAt(kindNullGalaxias, 500, 20) == nil {
		t.Error("a kind without an API is found at any latency")
	}
	if got := r.FindAt(kindGalaxias, 500, 20).Label(); got != "galaxias @ 20 ms" {
		t.Errorf("label %q", got)
	}
	md := markdown(r)
	i0, i20 := strings.Index(md, "### Without added latency (0 ms)"), strings.Index(md, "### 20 ms added to every request")
	if i0 < 0 || i20 < i0 {
		t.Fatalf("want a 0 ms then a 20 ms section:\n%s", md)
	}
	if row := "| 500 | galaxias @ 20 ms |"; !strings.Contains(md[i20:], row) || strings.Contains(md[i0:i20], row) {
		t.Errorf("the 20 ms row is in the 20 ms section only")
	}
	if row := "| 500 | terraform_data |"; strings.Count(md[i0:i20], row) == 0 {
		t.Errorf("the floor is in the 0 ms section")
	}
}

func TestOldReportWithoutLatency(t *testing.T) {
	// An older report: no latency anywhere, a single peer comparison.
	r := latencyReport(4, 0)
	r.Peer = &peerComparison{N: peerN, Repos: peerRepos}
	r.Summarize()
	if len(r.Peers) != 1 || r.Peer != nil || r.Peers[0].LatencyMs != 0 {
		t.Fatalf("peer comparison moved to Peers: %+v", r.Peers)
	}
	if got := r.LatenciesMs(); len(got) != 1 || got[0] != 0 {
		t.Errorf("latencies %v, want [0]", got)
	}
	if md := markdown(r); !strings.Contains(md, "| 500 | galaxias |") || strings.Contains(md, "@ ") {
		t.Errorf("rendered as 0 ms:\n%s", md)
	}
	if !math.IsNaN(float64(r.Find(kindGalaxias, 500).Summary[phaseRefresh].RatioToNull)) {
		t.Error("no twin: no ratio")
	}
}
