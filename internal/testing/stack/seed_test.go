package stack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChartVersion(t *testing.T) {
	for _, c := range []struct{ app, branch, sha, want string }{
		{"1.0.0", "master", "fe380d0123456789", "1.0.0-master-fe380d"},
		{"1.1.0", "feature-x", "abc", "1.1.0-feature-x-abc"},
	} {
		if got := chartVersion(c.app, c.branch, c.sha); got != c.want {
			t.Errorf("ChartVersion(%q, %q, %q) = %q, want %q", c.app, c.branch, c.sha, got, c.want)
		}
	}
}

func TestGitBlobSHA(t *testing.T) {
	// git hash-object of "hello\n" and of an empty file.
	for content, want := range map[string]string{
		"hello\n": "ce013625030ba8dba906f756967f9e9ca394464a",
		"":        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
	} {
		if got := gitBlobSHA(content); got != want {
			t.Errorf("gitBlobSHA(%q) = %s, want %s", content, got, want)
		}
	}
}

func TestChanges(t *testing.T) {
	files := map[string]string{"same": "x\n", "changed": "new\n", "added": "a\n"}
	tree := map[string]string{"same": gitBlobSHA("x\n"), "changed": gitBlobSHA("old\n"), "kept": gitBlobSHA("k")}
	ops := changes(tree, files)
	if len(ops) != 2 {
		t.Fatalf("want 2 operations, got %+v", ops)
	}
	// Sorted by path: added, changed.
	if ops[0].Operation != "create" || ops[0].Path != "added" || ops[0].SHA != "" {
		t.Errorf("op 0: %+v", ops[0])
	}
	if ops[1].Operation != "update" || ops[1].Path != "changed" || ops[1].SHA != gitBlobSHA("old\n") {
		t.Errorf("op 1: %+v", ops[1])
	}
	if b, _ := base64.StdEncoding.DecodeString(ops[1].Content); string(b) != "new\n" {
		t.Errorf("op 1 content %q", b)
	}
	if len(changes(map[string]string{"a": gitBlobSHA("1")}, map[string]string{"a": "1"})) != 0 {
		t.Error("an unchanged tree needs no operations")
	}
}

func TestReleaseFiles(t *testing.T) {
	s := SeedSpec{
		Files:      map[string]string{".drone.yml": "environment:\n  APP_VERSION: 1.0.0\n  OTHER: x\n"},
		ChartFiles: map[string]string{"Chart.yaml": "name: app\n"},
	}
	f := s.releaseFiles("2.3.4")
	if f[".drone.yml"] != "environment:\n  APP_VERSION: 2.3.4\n  OTHER: x\n" {
		t.Errorf(".drone.yml: %q", f[".drone.yml"])
	}
	if f["chart/Chart.yaml"] != "name: app\n" {
		t.Errorf("chart files go under chart/: %v", f)
	}
}

func TestPackageChart(t *testing.T) {
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	files, err := ReadTree(filepath.Join(root, "examples", "quickstart", "chart"))
	if err != nil {
		t.Fatal(err)
	}
	name, tgz, err := packageChart(files, "1.0.1-master-abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if name != DemoApp {
		t.Errorf("chart name %q, want %q", name, DemoApp)
	}
	got := untar(t, tgz)
	meta := got[DemoApp+"/Chart.yaml"]
	if !strings.Contains(meta, "\nversion: 1.0.1-master-abcdef\n") || !strings.Contains(meta, "\nappVersion: \"1.0.1-master-abcdef\"") {
		t.Errorf("Chart.yaml:\n%s", meta)
	}
	if _, ok := got[DemoApp+"/templates/deployment.yaml"]; !ok {
		t.Errorf("archive lacks the templates: %v", got)
	}
	// The same input gives the same archive: a second seed compares equal.
	_, again, _ := packageChart(files, "1.0.1-master-abcdef")
	if !bytes.Equal(tgz, again) {
		t.Error("PackageChart is not deterministic")
	}
	if _, _, err := packageChart(map[string]string{"values.yaml": ""}, "1.0.0"); err == nil {
		t.Error("a chart without Chart.yaml must fail")
	}
}

// TestDemoPipeline checks that the demo's pipeline is the founding note's
// in Drone 1.x syntax and names versions the way the seed does.
func TestDemoPipeline(t *testing.T) {
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "examples", "quickstart", "repository", ".drone.yml"))
	if err != nil {
		t.Fatal(err)
	}
	y := string(b)
	for _, want := range []string{
		"kind: pipeline", "type: docker", "image: plugins/docker", "from_secret: docker_username",
		"from_secret: docker_password", "from_secret: galaxias_api_token", "from_secret: galaxias_app_id",
		"from_secret: galaxias_project_env_id", "sh deploy.sh", "helm package", "APP_VERSION: ",
	} {
		if !strings.Contains(y, want) {
			t.Errorf(".drone.yml lacks %q", want)
		}
	}
	// The deploy step's script, which make demo runs too.
	d, err := os.ReadFile(filepath.Join(root, "examples", "quickstart", "repository", "deploy.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/v1/deployments", "GALAXIAS_API_TOKEN", "GALAXIAS_APP_ID", "GALAXIAS_PROJECT_ENV_ID",
		"CHART_NAME", "CHART_VERSION"} {
		if !strings.Contains(string(d), want) {
			t.Errorf("deploy.sh lacks %q", want)
		}
	}
	if !appVersionLine.MatchString(y) {
		t.Error("the seed cannot set APP_VERSION in .drone.yml")
	}
}

func untar(t *testing.T, tgz []byte) map[string]string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out[h.Name] = string(b)
	}
}

// TestSeedDemoIdempotent seeds the demo into the running stack twice: the
// second run must change nothing and find the same commits.
func TestSeedDemoIdempotent(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and start the stack")
	}
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	l := &Launcher{Root: root, Out: io.Discard}
	ctx := context.Background()
	first, err := l.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := l.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Changed) != 0 {
		t.Errorf("the second seed changed %v", second.Changed)
	}
	if len(first.Releases) != len(demoReleases) || len(second.Releases) != len(demoReleases) {
		t.Fatalf("releases: %+v / %+v", first.Releases, second.Releases)
	}
	for i, r := range second.Releases {
		if r != first.Releases[i] || r.ChartVersion != chartVersion(demoReleases[i], demoBranch, r.Commit) {
			t.Errorf("release %d: %+v, first run %+v", i, r, first.Releases[i])
		}
	}
}
