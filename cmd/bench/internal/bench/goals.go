package bench

import (
	"fmt"
	"math"
)

// The goals of issue #27: where the servers are a network round trip away.
const (
	goalLatencyMs       = 20  // the realistic round trip the goals are set at
	peerRefreshLimit    = 0.7 // at 20 ms: refresh ÷ mavimo's
	peerApplyLimit      = 1.0 // at 0 and at 20 ms: apply ÷ mavimo's
	peerDestroyLimit    = 1.0 // at 20 ms: destroy ÷ mavimo's
	peerPeakLimit       = 1.1 // largest provider process's peak RSS ÷ mavimo's
	latencyRefreshLimit = 1.5 // galaxias refresh at N=latencyGoalN: 20 ms ÷ 0 ms
	latencyGoalN        = 500
)

// peerAt returns the comparison at latency ms, or nil.
func peerAt(ps []*peerComparison, ms float64) *peerComparison {
	for _, p := range ps {
		if p.LatencyMs == ms {
			return p
		}
	}
	return nil
}

// peerTargets are issue #27's goals against mavimo's provider: at 20 ms
// refresh at most 0.7 ×, apply and destroy at most 1.0 × its time; at 0 ms
// apply at most 1.0 ×; the largest provider process's peak RSS at most 1.1 ×
// (the worst of the measured latencies). A goal whose comparison did not run
// is "not measured", with the reason, and the reference figures
// where they apply.
func peerTargets(ps []*peerComparison) []Target {
	p0, p20 := peerAt(ps, 0), peerAt(ps, goalLatencyMs)
	measured := p0 != nil && p0.Measured || p20 != nil && p20.Measured
	why := func(p *peerComparison, ms float64) string {
		switch {
		case !measured:
			return PeerEnv + " was not set (the harness never downloads or builds the peer)"
		case p == nil:
			return fmt.Sprintf("the run had no %s latency (-latency)", msString(ms))
		case !p.Measured:
			return fmt.Sprintf("the comparison at %s failed", msString(ms))
		}
		return ""
	}
	row := func(name, what string, p *peerComparison, ms float64, pick func(peerFigures) (ours, peer, q F), limit float64) Target {
		t := Target{Name: name, Goal: fmt.Sprintf("%s at %s: at most %.1f × mavimo/terraform-provider-drone's", what, msString(ms), limit)}
		if p == nil && ms == 0 && len(ps) > 0 && !ps[0].Measured {
			p = ps[0] // the reference figures, loopback
		}
		if t.NotMeasured = why(p, ms); p == nil {
			t.Measured = "–"
			return t
		}
		ours, peer, q := pick(p.Figures)
		t.Measured = fmt.Sprintf("%s vs %s: %s× (%d drone_secret over %d repositories; %s)", secs(ours), secs(peer), fmtF(q, 2),
			p.N, p.Repos, p.Figures.Source)
		t.Met = t.NotMeasured == "" && !math.IsNaN(float64(q)) && float64(q) <= limit
		return t
	}
	refresh := func(f peerFigures) (F, F, F) { return f.OursRefreshS, f.PeerRefreshS, f.RefreshRatio }
	apply := func(f peerFigures) (F, F, F) { return f.OursApplyS, f.PeerApplyS, f.ApplyRatio }
	destroy := func(f peerFigures) (F, F, F) { return f.OursDestroyS, f.PeerDestroyS, f.DestroyRatio }
	out := []Target{
		row("peer-refresh-20ms", "refresh-plan (median)", p20, goalLatencyMs, refresh, peerRefreshLimit),
		row("peer-apply-20ms", "apply from empty", p20, goalLatencyMs, apply, peerApplyLimit),
		row("peer-destroy-20ms", "destroy", p20, goalLatencyMs, destroy, peerDestroyLimit),
		row("peer-apply-0ms", "apply from empty", p0, 0, apply, peerApplyLimit),
	}

	// Memory: the worst measured comparison, else the reference figures.
	mem := Target{Name: "peer-memory", Goal: fmt.Sprintf("largest provider process, peak RSS, at the same work: at most %.1f × "+
		"mavimo/terraform-provider-drone's", peerPeakLimit), Measured: "–"}
	var worst *peerComparison
	for _, p := range ps {
		if p.Measured && (worst == nil || float64(p.Figures.PeakRatio) > float64(worst.Figures.PeakRatio) || math.IsNaN(float64(p.Figures.PeakRatio))) {
			worst = p
		}
	}
	switch {
	case worst != nil:
		f := worst.Figures
		mem.Measured = fmt.Sprintf("%s vs %s: %s× (worst of the measured latencies, at %s)", f.OursPeakNote, f.PeerPeakNote,
			fmtF(f.PeakRatio, 2), msString(worst.LatencyMs))
		mem.Met = !math.IsNaN(float64(f.PeakRatio)) && float64(f.PeakRatio) <= peerPeakLimit
	case len(ps) > 0:
		f := ps[0].Figures
		mem.NotMeasured = why(nil, 0)
		mem.Measured = fmt.Sprintf("%s vs %s: %s× (%s)", f.OursPeakNote, f.PeerPeakNote, fmtF(f.PeakRatio, 2), f.Source)
	default:
		mem.NotMeasured = why(nil, 0)
	}
	return append(out, mem)
}

// latencyTarget is issue #27's goal for the galaxias refresh: at N=500 and
// 20 ms, at most 1.5 × its own time without added latency (the app configs,
// one read each, are where a round trip costs).
func latencyTarget(r *Report) Target {
	t := Target{Name: "latency-galaxias-refresh",
		Goal: fmt.Sprintf("galaxias refresh-plan at N=%d with %s added per request: at most %.1f × its time at 0 ms",
			latencyGoalN, msString(goalLatencyMs), latencyRefreshLimit), Measured: "–"}
	at0, at20 := r.FindAt(kindGalaxias, latencyGoalN, 0), r.FindAt(kindGalaxias, latencyGoalN, goalLatencyMs)
	switch {
	case at0 == nil && at20 == nil:
		t.NotMeasured = fmt.Sprintf("galaxias did not run at N=%d (-kinds, -n)", latencyGoalN)
		return t
	case at0 == nil || at0.Summary[phaseRefresh].Runs == 0:
		t.NotMeasured = fmt.Sprintf("no galaxias refresh at N=%d at 0 ms (-latency)", latencyGoalN)
		return t
	case at20 == nil || at20.Summary[phaseRefresh].Runs == 0:
		t.NotMeasured = fmt.Sprintf("no galaxias refresh at N=%d at %s (-latency)", latencyGoalN, msString(goalLatencyMs))
		return t
	}
	s0, s20 := at0.Summary[phaseRefresh], at20.Summary[phaseRefresh]
	q := ratio(float64(s20.MedianS), float64(s0.MedianS))
	t.Measured = fmt.Sprintf("%s s at %s vs %s s at 0 ms: %s× (%s requests per refresh)", fmtF(s20.MedianS, 2),
		msString(goalLatencyMs), fmtF(s0.MedianS, 2), fmtF(F(q), 2), fmtF(s20.RequestsPerRun, 0))
	t.Met = !math.IsNaN(q) && q <= latencyRefreshLimit
	return t
}

// writePeers renders the peer comparisons, one per latency: measured in
// this run, or the reference figures.
func writePeers(w func(string, ...any), ps []*peerComparison) {
	if len(ps) == 0 {
		return
	}
	w("\n## Against mavimo/terraform-provider-drone\n")
	for _, p := range ps {
		if len(ps) > 1 {
			w("\n### %s\n", latencyHeading(p.LatencyMs))
		}
		writePeer(w, p)
	}
}

// writePeer renders one comparison, with the goals of its latency.
func writePeer(w func(string, ...any), p *peerComparison) {
	f := p.Figures
	if p.Measured {
		w("\n%d `drone_secret` over %d repositories, this provider and mavimo/terraform-provider-drone (`%s=%s`), "+
			"%s added to every request, run in turns with the rest of the harness's method.\n\n", p.N, p.Repos, PeerEnv, p.Binary, msString(p.LatencyMs))
	} else {
		w("\nNot measured in this run (`%s` was not set: the harness never downloads or builds the peer). The figures "+
			"are issue #27's, measured earlier on the same Drone 1.10 without added latency: %d `drone_secret` over %d "+
			"repositories, Terraform 1.11.4, interleaved runs (destroy given as a ratio only).\n\n", PeerEnv, p.N, p.Repos)
	}
	goal := func(limit float64, ok bool) string {
		if !ok {
			return ""
		}
		return fmt.Sprintf("≤ %.1f", limit)
	}
	at20 := p.LatencyMs == goalLatencyMs
	w("| | this provider | mavimo | ratio (this ÷ mavimo) | goal |\n|---|---:|---:|---:|---|\n")
	w("| refresh-plan, median | %s | %s | %s | %s |\n", secs(f.OursRefreshS), secs(f.PeerRefreshS), fmtF(f.RefreshRatio, 2), goal(peerRefreshLimit, at20))
	w("| apply from empty | %s | %s | %s | %s |\n", secs(f.OursApplyS), secs(f.PeerApplyS), fmtF(f.ApplyRatio, 2), goal(peerApplyLimit, at20 || p.LatencyMs == 0))
	w("| destroy | %s | %s | %s | %s |\n", secs(f.OursDestroyS), secs(f.PeerDestroyS), fmtF(f.DestroyRatio, 2), goal(peerDestroyLimit, at20))
	w("| requests per refresh | %s | %s | %s | |\n", fmtF(f.OursRequests, 0), fmtF(f.PeerRequests, 0), fmtF(f.RequestsRatio, 2))
	w("| largest provider process, peak RSS | %s | %s | %s | %s |\n", f.OursPeakNote, f.PeerPeakNote, fmtF(f.PeakRatio, 2), goal(peerPeakLimit, true))
	if p.Measured {
		// Where an apply's time goes: Terraform core or the provider (CPU, median of the apply runs).
		for _, row := range []struct {
			what string
			get  func(summary) F
		}{{"apply: terraform core CPU", func(s summary) F { return s.CoreCPUS }}, {"apply: provider CPU", func(s summary) F { return s.ProviderCPUS }}} {
			ours, peer := row.get(p.Ours.Summary[phaseApply]), row.get(p.Peer.Summary[phaseApply])
			w("| %s | %s | %s | %s | |\n", row.what, secs(ours), secs(peer), fmtF(F(ratio(float64(ours), float64(peer))), 2))
		}
	}
	if p.Measured && p.Floor != nil {
		fl := p.Floor.Summary
		w("\n(%d `terraform_data` in the same rounds: refresh %s s, apply %s s, destroy %s s.)\n", p.N,
			fmtF(fl[phaseRefresh].MedianS, 2), fmtF(fl[phaseApply].MedianS, 2), fmtF(fl[phaseDestroy].MedianS, 2))
	}
}

// secs writes seconds, or "–" for none.
func secs(x F) string {
	if math.IsNaN(float64(x)) {
		return "–"
	}
	return fmtF(x, 2) + " s"
}
