package bench

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestExpectedRefreshRequests(t *testing.T) {
	for _, c := range []struct {
		mix   mix
		repos int
		want  int
	}{
		{mix{"drone_secret": 500}, 4, 4 + 1}, // a list per repository, one check
		{mix{"drone_secret": 3}, 4, 3 + 1},   // only 3 repositories hold secrets
		{mix{"drone_secret": 300}, 3, 3 + 1}, // the peer workload
		{mix{"galaxias_app": 167, "galaxias_environment": 167, "galaxias_app_config": 166}, 4, 171}, // 2 + 2 pages, 166 configs, 1 check
		{mix{"galaxias_app": 100, "galaxias_environment": 100, "galaxias_app_config": 100}, 4, 1 + 1 + 100 + 1},
		{mixFor(kindMixed, 500), 4, 4 + 2 + 2 + 125 + 2}, // 125 apps and envs: two pages each; two providers
		{mix{"terraform_data": 10}, 4, 0},
	} {
		got, formula := expectedRefreshRequests(c.mix, c.repos)
		if got != c.want {
			t.Errorf("%v over %d repositories: %d (%s), want %d", c.mix, c.repos, got, formula, c.want)
		}
	}
	if !requestsMet(5, 5) || !requestsMet(6, 5) || requestsMet(7, 5) || !requestsMet(188, 171) || requestsMet(189, 171) || requestsMet(math.NaN(), 5) {
		t.Error("requestsMet: want at most 10 % (at least 1) above the expected count")
	}
}

// twinReport has drone and its null twin at N=500 and N=1000.
func twinReport(drone500, null500, drone1000, null1000 float64) *Report {
	res := func(k Kind, n int, refresh float64) *result {
		return &result{Kind: k, N: n, Mix: mixFor(k, n), Samples: map[string][]sample{phaseRefresh: {{WallS: refresh}}}}
	}
	return &Report{Ns: []int{500, 1000}, Repos: 4, Results: []*result{
		res(kindData, 500, 0.4), res(kindNullSecret, 500, null500), res(kindDrone, 500, drone500),
		res(kindData, 1000, 0.8), res(kindNullSecret, 1000, null1000), res(kindDrone, 1000, drone1000),
	}}
}

func target(t *testing.T, r *Report, name string) Target {
	t.Helper()
	for _, tg := range Targets(r) {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no target %s in %+v", name, Targets(r))
	return Target{}
}

func TestRefreshVsNull(t *testing.T) {
	r := twinReport(1.1, 1.0, 2.2, 2.0)
	r.Summarize()
	if q := r.Find(kindDrone, 500).Summary[phaseRefresh].RatioToNull; math.Abs(float64(q)-1.1) > 1e-9 {
		t.Errorf("drone/500 ÷ null_drone_secret = %v, want 1.1", q)
	}
	if q := r.Find(kindNullSecret, 500).Summary[phaseRefresh].RatioToNull; !math.IsNaN(float64(q)) {
		t.Errorf("the twin has a ratio to a twin: %v", q)
	}
	if got := nullRatioString(r.Find(kindDrone, 500)); got != "1.10×" {
		t.Errorf("table cell %q, want 1.10×", got)
	}
	if got := requestsString(r.Find(kindDrone, 500)); got != "0 (0.000)" {
		t.Errorf("requests cell %q", got)
	}
	if tg := target(t, r, "refresh-vs-null"); !tg.Met || !strings.Contains(tg.Measured, "drone/1000 1.10×") {
		t.Errorf("1.10× at both N: %+v", tg)
	}
	r = twinReport(1.0, 1.0, 2.4, 2.0) // 1.2× at N=1000
	r.Results = r.Results[:len(r.Results)-1]
	r.Results = append(r.Results, &result{Kind: kindGalaxias, N: 500, Mix: mixFor(kindGalaxias, 500),
		Samples: map[string][]sample{phaseRefresh: {{WallS: 1}}}}) // no null_galaxias
	r.Summarize()
	if got := nullRatioString(r.Find(kindGalaxias, 500)); got != "–" {
		t.Errorf("without a twin the cell is %q, want –", got)
	}
	r.Results = append(r.Results, &result{Kind: kindDrone, N: 1000, Mix: mixFor(kindDrone, 1000),
		Samples: map[string][]sample{phaseRefresh: {{WallS: 2.4}}}})
	r.Summarize()
	if tg := target(t, r, "refresh-vs-null"); tg.Met {
		t.Errorf("1.2× at N=1000 met: %+v", tg)
	}
}

func TestGCTarget(t *testing.T) {
	res := func(k Kind, variant string, peakMiB int64, cpu float64) *result {
		return &result{Kind: k, Variant: variant, N: 500, Mix: mixFor(k, 500), Samples: map[string][]sample{
			phaseRefresh: {{WallS: 1, ProviderCPU: cpu, PeakKiB: map[string]int64{"terraform-provider-benchnull": peakMiB << 10}}}}}
	}
	build := func(defPeak int64, defCPU float64) *Report {
		r := &Report{Ns: []int{500}, Results: []*result{
			res(kindData, "", 0, 0),
			res(kindNull, "", defPeak, defCPU),
			res(kindNull, GCDefaultVariant.Name, 40, 1.2),
			res(kindNull, GCBeforeVariant.Name, 70, 1.0),
		}}
		r.Summarize()
		return r
	}
	if tg := target(t, build(44, 1.05), "gc-setting"); !tg.Met {
		t.Errorf("44 MiB (≤ 1.15 × 40) and 1.05 s (≤ 1.1 × 1.0): %+v", tg)
	}
	if tg := target(t, build(50, 1.0), "gc-setting"); tg.Met {
		t.Errorf("50 MiB > 1.15 × 40 met: %+v", tg)
	}
	if tg := target(t, build(40, 1.2), "gc-setting"); tg.Met {
		t.Errorf("1.2 s > 1.1 × 1.0 met: %+v", tg)
	}
}

func TestGenerateTwins(t *testing.T) {
	for _, k := range []Kind{kindDrone, kindGalaxias, kindMixed} {
		api, _, err := generate(k, 9, testFixture)
		if err != nil {
			t.Fatal(err)
		}
		twin, mix, err := generate(k.Twin(), 9, testFixture)
		if err != nil {
			t.Fatal(err)
		}
		for typ, c := range mixFor(k, 9) {
			if mix[nullPrefix+typ] != c {
				t.Errorf("%s: %s=%d, %s has %d", k.Twin(), nullPrefix+typ, mix[nullPrefix+typ], k, c)
			}
		}
		// The same attribute values, resource by resource.
		attrs := func(text string) []string {
			var out []string
			for _, l := range strings.Split(text, "\n") {
				l = strings.TrimSpace(strings.ReplaceAll(l, nullPrefix, ""))
				if strings.HasPrefix(l, "resource ") || strings.HasPrefix(l, "repository") || strings.HasPrefix(l, "name ") ||
					strings.HasPrefix(l, "value ") || strings.HasPrefix(l, "values") || strings.HasPrefix(l, "app_id") ||
					strings.HasPrefix(l, "namespace") || strings.HasPrefix(l, "description") || strings.HasPrefix(l, "project_id") {
					out = append(out, l)
				}
			}
			return out
		}
		if a, b := strings.Join(attrs(api), "\n"), strings.Join(attrs(twin), "\n"); a != b {
			t.Errorf("%s and %s differ:\n%s\n---\n%s", k, k.Twin(), a, b)
		}
		if strings.Contains(twin, "galaxias/drone") || strings.Contains(twin, "galaxias/galaxias") || strings.Contains(twin, "server =") {
			t.Errorf("%s refers to a real provider:\n%s", k.Twin(), twin)
		}
	}
	twin, _, _ := generate(kindNullMixed, 8, testFixture)
	if !strings.Contains(twin, "alias = \"galaxias\"") || strings.Count(twin, "provider               = benchnull.galaxias") != 6 {
		t.Errorf("null_mixed: the galaxias types want a second benchnull provider configuration:\n%s", twin)
	}
	if g, _, _ := generate(kindNullGalaxias, 6, fixture{Prefix: "p"}); !strings.Contains(g, "project_id  = 1") || strings.Contains(g, "alias") {
		t.Errorf("null_galaxias without a fixture: placeholder ids, one provider:\n%s", g)
	}
}

func TestGeneratePeer(t *testing.T) {
	text, mix, err := generate(kindPeerDrone, 6, testFixture)
	if err != nil {
		t.Fatal(err)
	}
	if mix["drone_secret"] != 6 || !strings.Contains(text, `drone = { source = "mavimo/drone" }`) ||
		!strings.Contains(text, `server = "http://127.0.0.1:1"`) || strings.Contains(text, "galaxias/drone") {
		t.Errorf("peer configuration:\n%s", text)
	}
	for _, bad := range []string{"token", "allow_on_pull_request", "events"} {
		if strings.Contains(text, bad) {
			t.Errorf("peer configuration sets %q: repository, name and value only", bad)
		}
	}
}

func TestParseVariant(t *testing.T) {
	v, err := ParseVariant("lim=drone+mixed:GOGC=400,GOMEMLIMIT=32MiB")
	if err != nil {
		t.Fatal(err)
	}
	if v.Name != "lim" || len(v.Kinds) != 2 || v.Kinds[0] != kindDrone || v.Kinds[1] != kindMixed ||
		strings.Join(v.ProviderEnv, " ") != "GOGC=400 GOMEMLIMIT=32MiB" || len(v.Env) != 0 {
		t.Errorf("variant %+v", v)
	}
	for _, bad := range []string{"lim", "lim=drone", "=drone:A=1", "lim=nope:A=1", "lim=drone:A"} {
		if _, err := ParseVariant(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The wrapper passes its environment and arguments on, quoted.
func TestWrapperScript(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "w")
	if err := os.WriteFile(script, []byte(wrapperScript([]string{"GOGC=400", "X=it's"}, "/bin/sh")), 0o700); err != nil { //nolint:gosec // test
		t.Fatal(err)
	}
	out, err := exec.Command(script, "-c", `echo "$GOGC|$X|$1"`, "sh", "a b").CombinedOutput() //nolint:gosec // test
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "400|it's|a b" {
		t.Errorf("wrapper output %q", got)
	}
}

func TestInstallPeer(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "mavimo-bin")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o700); err != nil { //nolint:gosec // test
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "peer")
	if err := installPeer(bin, dst); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dst, "terraform-provider-drone"))
	if err != nil || st.Mode()&0o100 == 0 {
		t.Errorf("installed peer: %v %v", st, err)
	}
	if err := installPeer(filepath.Join(dir, "missing"), dst); err == nil {
		t.Error("a missing binary: no error")
	}
	plain := filepath.Join(dir, "plain")
	_ = os.WriteFile(plain, []byte("x"), 0o600)
	if err := installPeer(plain, dst); err == nil || !strings.Contains(err.Error(), "not an executable") {
		t.Errorf("a non-executable file: %v", err)
	}
}
