package bench

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
)

var testFixture = fixture{
	Prefix: "bench-t1-mx0", DroneServer: "http://127.0.0.1:1", GalaxiasURL: "http://127.0.0.1:2",
	Repos: []string{"o/r0", "o/r1", "o/r2"}, ProjectID: 7, ClusterID: 8, ProjectEnvID: 9,
}

var resourceRE = regexp.MustCompile(`(?m)^resource "([a-z_]+)" "([a-z0-9]+)" \{`)

func countResources(t *testing.T, text string) mix {
	t.Helper()
	got := mix{}
	seen := map[string]bool{}
	for _, m := range resourceRE.FindAllStringSubmatch(text, -1) {
		addr := m[1] + "." + m[2]
		if seen[addr] {
			t.Fatalf("duplicate resource %s", addr)
		}
		seen[addr] = true
		got[m[1]]++
	}
	return got
}

func TestGenerateCounts(t *testing.T) {
	for _, k := range allKinds {
		for _, n := range []int{4, 5, 7, 100, 101, 502, 1000} {
			text, mix, err := generate(k, n, testFixture)
			if err != nil {
				t.Fatalf("%s/%d: %v", k, n, err)
			}
			if mix.Total() != n {
				t.Errorf("%s/%d: mix %v totals %d", k, n, mix, mix.Total())
			}
			got := countResources(t, text)
			if got.String() != mix.String() {
				t.Errorf("%s/%d: config has %v, mix says %v", k, n, got, mix)
			}
			if mix["galaxias_app_config"] > mix["galaxias_app"] {
				t.Errorf("%s/%d: more app configs (%d) than apps (%d)", k, n, mix["galaxias_app_config"], mix["galaxias_app"])
			}
			// Balanced: the types of a kind differ by at most one.
			lo, hi := math.MaxInt, 0
			for _, v := range mix {
				lo, hi = min(lo, v), max(hi, v)
			}
			if hi-lo > 1 {
				t.Errorf("%s/%d: unbalanced mix %v", k, n, mix)
			}
		}
	}
}

func TestGenerateContent(t *testing.T) {
	text, _, err := generate(kindMixed, 8, testFixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`drone    = { source = "galaxias/drone" }`,
		`galaxias = { source = "galaxias/galaxias" }`,
		`server = "http://127.0.0.1:1"`,
		`endpoint = "http://127.0.0.1:2"`,
		`repository = "o/r0"`, `repository = "o/r1"`,
		`name       = "bench_t1_mx0_0"`,
		`name        = "bench-t1-mx0-a1"`,
		`namespace   = "bench-t1-mx0-e0"`,
		`app_id                 = galaxias_app.a1.id`,
		`project_environment_id = 9`,
		`cluster_id  = 8`,
		`project_id  = 7`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"token", "password"} {
		if strings.Contains(text, bad) {
			t.Errorf("config mentions %q: credentials come from the environment", bad)
		}
	}
	// Secrets go round-robin over the repositories.
	text, _, _ = generate(kindDrone, 6, testFixture)
	for _, r := range testFixture.Repos {
		if c := strings.Count(text, `repository = "`+r+`"`); c != 2 {
			t.Errorf("repository %s has %d secrets, want 2", r, c)
		}
	}

	data, _, _ := generate(kindData, 3, fixture{})
	if strings.Contains(data, "required_providers") || strings.Contains(data, "provider \"") {
		t.Errorf("terraform_data needs no provider:\n%s", data)
	}
	if _, _, err := generate(kindDrone, 3, fixture{}); err == nil {
		t.Error("drone without repositories: no error")
	}
	if _, _, err := generate(kindGalaxias, 3, fixture{}); err == nil {
		t.Error("galaxias without fixture: no error")
	}
	if _, _, err := generate("nope", 3, testFixture); err == nil {
		t.Error("unknown kind: no error")
	}
}

func TestParseKinds(t *testing.T) {
	got, err := ParseKinds("mixed, drone")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Kind{kindData, kindDrone, kindMixed}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseKinds("drone,bogus"); err == nil {
		t.Error("bogus kind accepted")
	}
}

func TestStats(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 1, 100}, 1},
	}
	for _, c := range cases {
		in := append([]float64(nil), c.in...)
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Errorf("Median modified its input: %v", c.in)
			}
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
	if lo, hi := minMax([]float64{2, -1, 5}); lo != -1 || hi != 5 {
		t.Errorf("MinMax = %v, %v", lo, hi)
	}
	if r := ratio(3, 2); r != 1.5 {
		t.Errorf("ratio(3, 2) = %v", r)
	}
	if !math.IsNaN(ratio(3, 0)) || !math.IsNaN(ratio(math.NaN(), 1)) {
		t.Error("Ratio by zero or of NaN is not NaN")
	}
	if p := perResource(1000, 500); p != 2 {
		t.Errorf("PerResource = %v", p)
	}
	if round(1.23456, 2) != 1.23 {
		t.Errorf("Round = %v", round(1.23456, 2))
	}
	b, err := json.Marshal(map[string]F{"nan": F(math.NaN()), "x": 1.23456})
	if err != nil || string(b) != `{"nan":null,"x":1.2346}` {
		t.Errorf("F JSON = %s, %v", b, err)
	}
}

func TestSummarize(t *testing.T) {
	mkSample := func(wall float64, reqs, checks, conns int, routes map[string]int) sample {
		return sample{WallS: wall, Galaxias: counts{Requests: reqs, Checks: checks, Conns: conns, ByRoute: routes}}
	}
	rep := &Report{Parallelism: 10, Ns: []int{10}, Results: []*result{
		{Kind: kindData, N: 10, Mix: mixFor(kindData, 10), Samples: map[string][]sample{
			phaseRefresh: {mkSample(1, 0, 0, 0, nil), mkSample(3, 0, 0, 0, nil), mkSample(2, 0, 0, 0, nil)},
		}},
		{Kind: kindGalaxias, N: 10, Mix: mixFor(kindGalaxias, 10), Samples: map[string][]sample{
			phaseRefresh: {
				mkSample(2, 10, 1, 4, map[string]int{"GET /v1/apps/{id}": 10}),
				mkSample(5, 10, 1, 9, map[string]int{"GET /v1/apps/{id}": 10}),
				mkSample(3, 12, 1, 3, map[string]int{"GET /v1/apps/{id}": 10, "GET /v1/apps": 2}),
			},
		}},
	}}
	rep.Summarize()
	s := rep.Find(kindGalaxias, 10).Summary[phaseRefresh]
	if s.Runs != 3 || s.MedianS != 3 || s.Ratio != 1.5 || s.MinS != 2 || s.MaxS != 5 {
		t.Errorf("summary %+v", s)
	}
	if s.ReqPerResource != 1 || s.ChecksPerRun != 1 || s.MaxNewConns != 9 || s.ListCallsPerRun != 0 {
		t.Errorf("counts %+v", s)
	}
	if s.RequestsPerRun != 11 {
		t.Errorf("requests per run %v, want 11 (the median run's 10 requests and 1 check)", s.RequestsPerRun)
	}
	if !math.IsNaN(float64(s.RatioToNull)) {
		t.Errorf("ratio to the null twin %v without a twin in the report, want NaN", s.RatioToNull)
	}
	// Mix 4/3/3 expects 1 + 1 list pages + 3 config reads + 1 check = 6;
	// 11 is one request per resource: not met.
	for _, tg := range Targets(rep) {
		if tg.Name == "refresh-requests" && tg.Met {
			t.Errorf("refresh-requests met with one request per resource: %s", tg.Measured)
		}
	}
	// Without a peer run, the reference figures of issue #27, at 0 ms.
	if len(rep.Peers) != 1 || rep.Peers[0].Measured || rep.Peers[0].LatencyMs != 0 || rep.Peers[0].Figures.OursRefreshS != 3.73 ||
		rep.Peers[0].Figures.RefreshRatio == 0 || rep.Peers[0].Figures.DestroyRatio != 1.06 {
		t.Errorf("peer comparisons %+v, want the reference figures with ratios", rep.Peers)
	}
}

func TestRoute(t *testing.T) {
	for in, want := range map[string]string{
		"/api/repos/gitea_admin/bench-x-r0/secrets/bench_1": "/api/repos/{repo}/secrets/{name}",
		"/api/repos/o/r":                "/api/repos/{repo}",
		"/api/repos/o/r/builds/12":      "/api/repos/{repo}/builds/{id}",
		"/api/user":                     "/api/user",
		"/v1/apps/42":                   "/v1/apps/{id}",
		"/v1/apps/42/config":            "/v1/apps/{id}/config",
		"/v1/projects/3/project-envs/9": "/v1/projects/{id}/project-envs/{id}",
	} {
		if got := route(in); got != want {
			t.Errorf("route(%q) = %q, want %q", in, got, want)
		}
	}
	for key, want := range map[string]bool{
		"GET /v1/apps":                         true,
		"GET /v1/apps/{id}":                    false,
		"GET /v1/apps/{id}/config":             false,
		"GET /api/repos/{repo}/secrets":        true,
		"GET /api/repos/{repo}/secrets/{name}": false,
		"GET /api/repos/{repo}":                false,
		"POST /api/user/repos":                 true,
		"DELETE /v1/apps/{id}":                 false,
	} {
		if got := isListRoute(key); got != want {
			t.Errorf("isListRoute(%q) = %v", key, got)
		}
	}
}
