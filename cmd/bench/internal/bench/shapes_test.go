package bench

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseLatencies(t *testing.T) {
	got, err := ParseLatencies("0, 20ms,50ms,20ms")
	if err != nil || len(got) != 3 || got[0] != 0 || got[1] != 20*time.Millisecond || got[2] != 50*time.Millisecond {
		t.Errorf("ParseLatencies = %v, %v", got, err)
	}
	if got, err := ParseLatencies(""); err != nil || len(got) != 1 || got[0] != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
	for _, bad := range []string{"20", "-5ms", "1.5ms", "x"} {
		if _, err := ParseLatencies(bad); err == nil {
			t.Errorf("ParseLatencies(%q) accepted", bad)
		}
	}
}

func TestParseShapes(t *testing.T) {
	got, err := ParseShapes(DefaultShapes)
	if err != nil || len(got) != 2 || got[0] != (Shape{kindDrone, 300, 100}) || got[1] != (Shape{kindGalaxias, 1000, 50}) {
		t.Fatalf("ParseShapes(%q) = %v, %v", DefaultShapes, got, err)
	}
	if got[0].Name() != "drone=300/100" || !strings.Contains(got[1].Describe(), "across 50 projects") {
		t.Errorf("names %q %q", got[0].Name(), got[1].Describe())
	}
	if repos, projects := shapeParents(got); repos != 100 || projects != 50 {
		t.Errorf("parents %d %d", repos, projects)
	}
	for _, bad := range []string{"mixed=100/4", "drone=300", "drone=3/1", "drone=10/20", "galaxias=100/0"} {
		if _, err := ParseShapes(bad); err == nil {
			t.Errorf("ParseShapes(%q) accepted", bad)
		}
	}
}

var appProjectRE = regexp.MustCompile(`resource "(?:benchnull_)?galaxias_app" "a(\d+)" \{\n  project_id  = (\d+)`)
var configPERE = regexp.MustCompile(`app_id                 = (?:benchnull_)?galaxias_app\.a(\d+)\.id\n  project_environment_id = (\d+)`)

func TestGenerateAcrossProjects(t *testing.T) {
	fx := testFixture
	fx.Projects = []galaxiasProject{{ID: 7, ProjectEnvID: 9}, {ID: 70, ProjectEnvID: 90}, {ID: 71, ProjectEnvID: 91}}
	pe := map[string]string{"7": "9", "70": "90", "71": "91"}
	for _, k := range []Kind{kindGalaxias, kindNullGalaxias} {
		text, mix, err := generate(k, 30, fx)
		if err != nil {
			t.Fatal(err)
		}
		projectOf := map[string]string{}
		perProject := map[string]int{}
		for _, m := range appProjectRE.FindAllStringSubmatch(text, -1) {
			projectOf[m[1]] = m[2]
			perProject[m[2]]++
		}
		if len(projectOf) != 10 || perProject["7"] != 4 || perProject["70"] != 3 || perProject["71"] != 3 {
			t.Errorf("%s: apps by project %v (mix %v)", k, perProject, mix)
		}
		cfgs := configPERE.FindAllStringSubmatch(text, -1)
		if len(cfgs) != 10 {
			t.Fatalf("%s: %d app configs", k, len(cfgs))
		}
		for _, m := range cfgs {
			if want := pe[projectOf[m[1]]]; m[2] != want {
				t.Errorf("%s: config of app a%s (project %s) on project-environment %s, want %s", k, m[1], projectOf[m[1]], m[2], want)
			}
		}
	}
	// Without Projects, every app goes to the fixture's project.
	text, _, _ := generate(kindGalaxias, 30, testFixture)
	for _, m := range appProjectRE.FindAllStringSubmatch(text, -1) {
		if m[2] != "7" {
			t.Errorf("app a%s in project %s", m[1], m[2])
		}
	}
}

func TestShapeRequestsAndSummary(t *testing.T) {
	drone := &result{Kind: kindDrone, N: 300, Mix: mixFor(kindDrone, 300)}
	if got := expectedShapeRequests(drone, 100); got != 102 {
		t.Errorf("300 secrets over 100 repositories: %d, want 100 lists + 1 check + 1 version probe", got)
	}
	gal := &result{Kind: kindGalaxias, N: 1000, Mix: mixFor(kindGalaxias, 1000)} // 334 apps, 333 envs, 333 configs
	if got := expectedShapeRequests(gal, 50); got != 50+4+333+1 {
		t.Errorf("1000 galaxias across 50 projects: %d, want 50 app lists + 4 env pages + 333 config reads + 1 check", got)
	}
	if got := expectedShapeRequests(gal, 1); got != 4+4+333+1 {
		t.Errorf("one project: %d", got)
	}

	sample := func(ms, wall float64) map[string][]sample {
		return map[string][]sample{phaseRefresh: {{WallS: wall, LatencyMs: ms, Drone: counts{Requests: 100, Checks: 1}}}}
	}
	r := &Report{ApplyRunsLarge: 1, Shapes: []*result{
		{Kind: kindNullSecret, N: 300, Shape: "drone=300/100", Mix: mixFor(kindNullSecret, 300), Samples: sample(0, 2)},
		{Kind: kindDrone, N: 300, Shape: "drone=300/100", Mix: mixFor(kindDrone, 300), Samples: sample(0, 2.2)},
		{Kind: kindDrone, N: 300, LatencyMs: 20, Shape: "drone=300/100", Mix: mixFor(kindDrone, 300), Samples: sample(20, 3)},
	}}
	r.Summarize()
	if q := r.Shapes[2].Summary[phaseRefresh].RatioToNull; q != 1.5 {
		t.Errorf("shape @ 20 ms ÷ its null twin = %v, want 1.5", q)
	}
	if r.Find(kindDrone, 300) != nil {
		t.Error("a shape's result is not one of the main results")
	}
	md := markdown(r)
	for _, want := range []string{"## Scale shapes", "| 300 drone_secret over 100 repositories | drone @ 20 ms | 3.00 s | 1.50× | 101 (102) |",
		"| 300 drone_secret over 100 repositories | null_drone_secret | 2.00 s | – | – |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
