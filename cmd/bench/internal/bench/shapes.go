package bench

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Shape is a scale shape users have (issue #27): many resources spread over
// many parents, e.g. 300 drone secrets over 100 repositories (many small
// lists) or 1,000 galaxias resources across 50 projects (an app list per
// project). The harness measures it at each latency, with its same-shape
// null twin (the same configuration served without an API) once.
type Shape struct {
	Kind    Kind // kindDrone or kindGalaxias
	N       int  // resources
	Parents int  // Drone repositories, or Galaxias projects the apps are spread over
}

// Name is the shape as -shapes writes it: "drone=300/100".
func (s Shape) Name() string { return fmt.Sprintf("%s=%d/%d", s.Kind, s.N, s.Parents) }

// Describe is the shape for a reader.
func (s Shape) Describe() string {
	if s.Kind == kindDrone {
		return fmt.Sprintf("%d drone_secret over %d repositories", s.N, s.Parents)
	}
	return fmt.Sprintf("%d galaxias resources (apps, environments, app configs) across %d projects", s.N, s.Parents)
}

// DefaultShapes are issue #27's.
const DefaultShapes = "drone=300/100,galaxias=1000/50"

// ParseShapes parses -shapes: comma-separated KIND=N/PARENTS, KIND drone
// (PARENTS repositories) or galaxias (PARENTS projects).
func ParseShapes(s string) ([]Shape, error) {
	var out []Shape
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		k, rest, ok := strings.Cut(f, "=")
		ns, ps, ok2 := strings.Cut(rest, "/")
		n, err1 := strconv.Atoi(ns)
		p, err2 := strconv.Atoi(ps)
		if !ok || !ok2 || err1 != nil || err2 != nil || (Kind(k) != kindDrone && Kind(k) != kindGalaxias) || p < 1 || n < max(4, p) {
			return nil, fmt.Errorf("-shapes: %q is not drone=N/REPOSITORIES or galaxias=N/PROJECTS (N at least 4 and at least the parents)", f)
		}
		out = append(out, Shape{Kind: Kind(k), N: n, Parents: p})
	}
	return out, nil
}

// shapeParents returns the repositories and the projects the shapes need.
func shapeParents(shapes []Shape) (repos, projects int) {
	for _, s := range shapes {
		if s.Kind == kindDrone {
			repos = max(repos, s.Parents)
		} else {
			projects = max(projects, s.Parents)
		}
	}
	return repos, projects
}

// MeasureShapes runs each shape: its null twin once and the API
// configuration at each latency, taking turns, with -apply-runs-large
// apply/destroy cycles (the shapes are about the refresh). The results go to
// rep.Shapes.
func (h *Harness) MeasureShapes(ctx context.Context, rep *Report) error {
	for i, sh := range h.opt.Shapes {
		fx := h.fx
		if sh.Kind == kindDrone {
			if len(fx.Repos) < sh.Parents {
				return fmt.Errorf("shape %s: %d repositories in the fixture", sh.Name(), len(fx.Repos))
			}
			fx.Repos = fx.Repos[:sh.Parents]
		} else {
			if len(h.shapeProjects) < sh.Parents && sh.Parents > 1 {
				return fmt.Errorf("shape %s: %d projects in the fixture", sh.Name(), len(h.shapeProjects))
			}
			fx.Projects = h.shapeProjects[:min(len(h.shapeProjects), sh.Parents)]
		}
		h.opt.Logf("scale shape %s", sh.Describe())
		twin, err := h.newConfig(configSpec{k: sh.Kind.Twin(), idx: 80 + i, n: sh.N, fx: fx, shape: sh.Name()})
		if err != nil {
			return err
		}
		cfgs := []*config{twin}
		for _, lat := range h.latencies() {
			c, err := h.newConfig(configSpec{k: sh.Kind, idx: 80 + i, n: sh.N, fx: fx, latency: lat, shape: sh.Name()})
			if err != nil {
				return err
			}
			cfgs = append(cfgs, c)
		}
		for _, c := range cfgs {
			rep.Shapes = append(rep.Shapes, c.res)
		}
		if err := h.cycles(ctx, sh.N, h.opt.ApplyRunsLarge, cfgs); err != nil {
			return err
		}
	}
	return nil
}

// summarizeShapes fills the shapes' summaries, with the ratio of each API
// configuration to its shape's null twin (no terraform_data ran with them).
func (r *Report) summarizeShapes() {
	for _, res := range r.Shapes {
		res.summarize()
	}
	for _, res := range r.Shapes {
		var twin *result
		for _, t := range r.Shapes {
			if t.Shape == res.Shape && res.Kind.Twin() != "" && t.Kind == res.Kind.Twin() {
				twin = t
			}
		}
		for p, s := range res.Summary {
			s.Ratio, s.RatioToNull = F(math.NaN()), F(math.NaN())
			if twin != nil {
				s.RatioToNull = F(ratio(float64(s.MedianS), float64(twin.Summary[p].MedianS)))
			}
			res.Summary[p] = s
		}
	}
}

// expectedShapeRequests is what the batched refresh of a shape should send:
// one secret list per repository holding secrets and Drone's version probe
// (GET /version, once per process); an app list per project (in pages), the
// environment pages of the cluster and one read per app config; a credential
// check.
func expectedShapeRequests(res *result, parents int) int {
	m := res.Mix
	if s := m["drone_secret"]; s > 0 {
		return min(s, parents) + 2
	}
	apps := m["galaxias_app"]
	total := pages(m["galaxias_environment"], galaxiasPage) + m["galaxias_app_config"] + 1
	for _, per := range split(apps, max(1, min(parents, apps))) {
		total += pages(per, galaxiasPage)
	}
	return total
}

// writeShapes renders the scale shapes: per shape, the null twin and the
// API configuration at each latency.
func writeShapes(w func(string, ...any), r *Report) {
	if len(r.Shapes) == 0 {
		return
	}
	w("\n## Scale shapes\n\nResources spread over many parents, as users have them: refresh-plan (median) and requests per "+
		"refresh at each added round trip, against the same-shape null provider (the same configuration, no API, "+
		"measured once: no latency reaches it). Expected requests: one list per parent (per page), one read per "+
		"resource no list covers, one credential check (and Drone's version probe); a list pages over everything its "+
		"parent holds, and a round applies all of a shape's configurations before it refreshes them, so a cluster's "+
		"environment list also holds the other latency's environments (more pages than expected). Apply and destroy: "+
		"%s.\n\n", runsWord(r.ApplyRunsLarge))
	w("| shape | configuration | refresh-plan | refresh ÷ null | requests per refresh (expected) | apply | destroy | peak provider memory |\n")
	w("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, res := range r.Shapes {
		f, a, d := res.Summary[phaseRefresh], res.Summary[phaseApply], res.Summary[phaseDestroy]
		req := "–"
		if !res.Kind.NoAPI() && f.Runs > 0 {
			sh, _ := ParseShapes(res.Shape)
			parents := 1
			if len(sh) == 1 {
				parents = sh[0].Parents
			}
			req = fmt.Sprintf("%s (%d)", fmtF(f.RequestsPerRun, 0), expectedShapeRequests(res, parents))
		}
		w("| %s | %s | %s s | %s | %s | %s s | %s s | %s |\n", shapeLabel(res.Shape), res.Label(), fmtF(f.MedianS, 2),
			nullRatioCell(res), req, fmtF(a.MedianS, 2), fmtF(d.MedianS, 2), peakString(res))
	}
}

func shapeLabel(name string) string {
	if sh, err := ParseShapes(name); err == nil && len(sh) == 1 {
		return sh[0].Describe()
	}
	return name
}

func nullRatioCell(res *result) string {
	q := res.Summary[phaseRefresh].RatioToNull
	if math.IsNaN(float64(q)) {
		return "–"
	}
	return fmtF(q, 2) + "×"
}

func runsWord(n int) string {
	if n == 1 {
		return "one cycle"
	}
	return fmt.Sprintf("median of %d cycles", n)
}
