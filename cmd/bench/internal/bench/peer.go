package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// The peer comparison of issue #16: the same workload with this provider's
// drone_secret and with mavimo/terraform-provider-drone's (SDKv2), the most
// used Drone provider, run interleaved on the same stack. The harness never
// downloads or builds the peer: BENCH_PEER_DRONE names a binary already on
// the machine, which the harness copies into its scratch directory.
const (
	peerSource = "mavimo/drone" // the peer's registry address
	peerN      = 300            // drone_secret resources
	peerRepos  = 3              // repositories they are spread over
	// PeerEnv is the environment variable naming the peer's binary.
	PeerEnv = "BENCH_PEER_DRONE"
)

// peerComparison is the peer workload's results.
type peerComparison struct {
	Binary    string      `json:"binary,omitempty"` // BENCH_PEER_DRONE as given
	LatencyMs float64     `json:"latency_ms"`       // round trip the proxies added to each request
	N         int         `json:"n"`
	Repos     int         `json:"drone_repositories"`
	Floor     *result     `json:"terraform_data,omitempty"`
	Ours      *result     `json:"ours,omitempty"`
	Peer      *result     `json:"peer,omitempty"`
	Measured  bool        `json:"measured"` // false: the figures are referencePeer's, from the issue
	Figures   peerFigures `json:"figures"`
}

// peerFigures are the numbers compared: seconds (median), requests per
// refresh (all requests the proxy saw, credential checks included) and the
// largest provider process's peak RSS in MiB.
type peerFigures struct {
	OursRefreshS  F      `json:"ours_refresh_s"`
	PeerRefreshS  F      `json:"peer_refresh_s"`
	OursApplyS    F      `json:"ours_apply_s"`
	PeerApplyS    F      `json:"peer_apply_s"`
	OursDestroyS  F      `json:"ours_destroy_s"`
	PeerDestroyS  F      `json:"peer_destroy_s"`
	OursRequests  F      `json:"ours_requests_per_refresh"`
	PeerRequests  F      `json:"peer_requests_per_refresh"`
	OursPeakMiB   F      `json:"ours_peak_provider_mib"`
	PeerPeakMiB   F      `json:"peer_peak_provider_mib"`
	OursPeakNote  string `json:"ours_peak_note"`
	PeerPeakNote  string `json:"peer_peak_note"`
	RefreshRatio  F      `json:"refresh_ratio"` // ours ÷ peer
	ApplyRatio    F      `json:"apply_ratio"`
	DestroyRatio  F      `json:"destroy_ratio"`
	RequestsRatio F      `json:"requests_ratio"`
	PeakRatio     F      `json:"peak_ratio"`
	Source        string `json:"source"`
}

// referencePeer are the figures of issue #27, measured earlier on the same
// Drone 1.10 with 300 secrets over 3 repositories (Terraform 1.11.4,
// interleaved runs, loopback: no added latency, a loaded 2-core machine).
// The issue gives destroy as a ratio only. The page shows them when no peer
// binary is available.
var referencePeer = peerFigures{
	OursRefreshS: 3.73, PeerRefreshS: 3.85,
	OursApplyS: 9.97, PeerApplyS: 7.63,
	OursDestroyS: F(math.NaN()), PeerDestroyS: F(math.NaN()), DestroyRatio: 1.06,
	OursRequests: 5, PeerRequests: 601,
	OursPeakMiB: 44.3, PeerPeakMiB: 28.9, OursPeakNote: "44.3 MiB", PeerPeakNote: "28.9 MiB",
	Source: "reference figures of issue #27, loopback (not measured in this run: set " + PeerEnv + ")",
}

// withRatios fills the ratios ours ÷ peer where both figures are known (a
// ratio given without its figures is kept).
func (f peerFigures) withRatios() peerFigures {
	set := func(q *F, a, b F) {
		if x := ratio(float64(a), float64(b)); !math.IsNaN(x) || math.IsNaN(float64(*q)) || *q == 0 {
			*q = F(x)
		}
	}
	set(&f.RefreshRatio, f.OursRefreshS, f.PeerRefreshS)
	set(&f.ApplyRatio, f.OursApplyS, f.PeerApplyS)
	set(&f.DestroyRatio, f.OursDestroyS, f.PeerDestroyS)
	set(&f.RequestsRatio, f.OursRequests, f.PeerRequests)
	set(&f.PeakRatio, f.OursPeakMiB, f.PeerPeakMiB)
	return f
}

// measuredPeerFigures takes the compared numbers from summarized results.
func measuredPeerFigures(ours, peer *result) peerFigures {
	f := peerFigures{Source: "measured in this run"}
	f.OursRefreshS, f.PeerRefreshS = ours.Summary[phaseRefresh].MedianS, peer.Summary[phaseRefresh].MedianS
	f.OursApplyS, f.PeerApplyS = ours.Summary[phaseApply].MedianS, peer.Summary[phaseApply].MedianS
	f.OursDestroyS, f.PeerDestroyS = ours.Summary[phaseDestroy].MedianS, peer.Summary[phaseDestroy].MedianS
	f.OursRequests, f.PeerRequests = ours.Summary[phaseRefresh].RequestsPerRun, peer.Summary[phaseRefresh].RequestsPerRun
	f.OursPeakMiB, f.PeerPeakMiB = F(largestPeak(ours)), F(largestPeak(peer))
	f.OursPeakNote = fmtF(f.OursPeakMiB, 1) + " MiB"
	f.PeerPeakNote = fmtF(f.PeerPeakMiB, 1) + " MiB"
	return f.withRatios()
}

// largestPeak is the largest provider process's peak RSS (MiB) of a result,
// or NaN when none was sampled.
func largestPeak(res *result) float64 {
	out := math.NaN()
	for _, v := range res.PeakMiB {
		if math.IsNaN(out) || float64(v) > out {
			out = float64(v)
		}
	}
	return out
}

// summarize fills the comparison's figures: measured when both sides ran,
// else the reference figures.
func (p *peerComparison) summarize() {
	for _, res := range []*result{p.Floor, p.Ours, p.Peer} {
		if res == nil {
			continue
		}
		res.summarize()
	}
	if p.Floor != nil {
		for _, res := range []*result{p.Floor, p.Ours, p.Peer} {
			if res == nil {
				continue
			}
			for ph, s := range res.Summary {
				s.Ratio = F(ratio(float64(s.MedianS), float64(p.Floor.Summary[ph].MedianS)))
				res.Summary[ph] = s
			}
		}
	}
	if p.Ours != nil && p.Peer != nil && p.Ours.Summary[phaseRefresh].Runs > 0 && p.Peer.Summary[phaseRefresh].Runs > 0 {
		p.Measured = true
		p.Figures = measuredPeerFigures(p.Ours, p.Peer)
		return
	}
	p.Measured = false
	p.Figures = referencePeer.withRatios()
}

// installPeer copies the peer's binary into dir as terraform-provider-drone,
// the name Terraform's dev_overrides look for (and the name the memory
// sampler recognizes). It never downloads nor builds anything.
func installPeer(binary, dir string) error {
	st, err := os.Stat(binary)
	if err != nil {
		return fmt.Errorf("%s: %w", PeerEnv, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return fmt.Errorf("%s=%s is not an executable file", PeerEnv, binary)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	in, err := os.Open(binary) //nolint:gosec // the user's own file, named by them
	if err != nil {
		return err
	}
	defer in.Close()
	dst := filepath.Join(dir, "terraform-provider-drone")
	_ = os.Remove(dst)
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700) //nolint:gosec // our scratch path
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// MeasurePeer runs the peer workload (peerN drone_secret over peerRepos
// repositories) with this provider and with the peer at each latency, and
// with terraform_data once, all taking turns, and records one comparison per
// latency in rep.Peers. Without a peer binary it does nothing.
func (h *Harness) MeasurePeer(ctx context.Context, rep *Report) error {
	if h.opt.PeerDrone == "" {
		return nil
	}
	if len(h.fx.Repos) < peerRepos {
		return fmt.Errorf("peer workload: %d repositories in the fixture, %d needed", len(h.fx.Repos), peerRepos)
	}
	fx := h.fx
	fx.Repos = fx.Repos[:peerRepos]
	v := Variant{Name: "peer-workload"}
	floor, err := h.newConfig(configSpec{k: kindData, v: v, idx: 90, n: peerN, fx: fx})
	if err != nil {
		return err
	}
	cfgs := []*config{floor}
	rep.Peers = nil
	for _, lat := range h.latencies() {
		p := &peerComparison{Binary: h.opt.PeerDrone, LatencyMs: ms(lat), N: peerN, Repos: peerRepos, Floor: floor.res}
		for _, k := range []Kind{kindDrone, kindPeerDrone} {
			c, err := h.newConfig(configSpec{k: k, v: v, idx: 90, n: peerN, fx: fx, latency: lat})
			if err != nil {
				return err
			}
			cfgs = append(cfgs, c)
		}
		p.Ours, p.Peer = cfgs[len(cfgs)-2].res, cfgs[len(cfgs)-1].res
		rep.Peers = append(rep.Peers, p)
	}
	return h.cycles(ctx, peerN, h.applyCycles(peerN), cfgs)
}
