package stack

import (
	"context"
	"crypto/sha1" //nolint:gosec // git names blobs by SHA-1; used only to compare with Gitea's ids
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
)

// The demo's application, as a real organisation would already have it.
const (
	DemoOrg  = "idea-aurora"
	DemoApp  = "aurora-push-service"
	DemoRepo = DemoOrg + "/" + DemoApp
	// demoBranch is the branch the seed commits to and the pipeline builds.
	demoBranch = "master"
)

// demoReleases are the APP_VERSIONs of the demo repository's commits, oldest
// first. Each release raises APP_VERSION, so that SemVer orders the chart
// versions by age (builds of one APP_VERSION differ only by the commit hash).
var demoReleases = []string{"1.0.0", "1.0.1", "1.1.0"}

// SeedSpec describes one application repository to seed: a Gitea repository
// in an organisation, one commit per release on Branch, and for each commit
// the Helm chart the pipeline would have packaged and pushed to the chart
// repository, named <release>-<branch>-<sha6>.
type SeedSpec struct {
	Org, Repo string
	Branch    string   // default "master"
	Releases  []string // APP_VERSIONs, oldest first; one commit each
	// Files are the repository's files (path → content). A line
	// "APP_VERSION: x" in any of them is set to the release's version.
	Files map[string]string
	// ChartFiles are the chart's files relative to the chart folder; they are
	// committed under chart/ and packaged with version and appVersion set to
	// the chart version. The chart's name is Chart.yaml's name.
	ChartFiles map[string]string
}

// SeededRelease is one release of a seeded repository.
type SeededRelease struct {
	AppVersion   string
	Commit       string // full SHA on the branch
	ChartVersion string // <AppVersion>-<branch>-<Commit[:6]>
}

// SeedResult tells what exists after a seed and what this run changed.
type SeedResult struct {
	Repository string // org/repo
	RepoURL    string // web page in Gitea
	Chart      string
	Releases   []SeededRelease
	Changed    []string // empty when everything existed already
}

// SeedDemo seeds the demo's application from examples/quickstart/repository
// and examples/quickstart/chart into the running stack. Each of builds is
// one more release after the demo's own, as the pipeline's build of it would
// leave it: a commit raising APP_VERSION and its chart (make demo plays the
// pipeline's deploy step on it).
func (l *Launcher) SeedDemo(ctx context.Context, builds ...string) (*SeedResult, error) {
	env, err := Load(l.StackDir())
	if err != nil {
		return nil, fmt.Errorf("the stack is not running (go run ./cmd/stack up): %w", err)
	}
	files, err := ReadTree(l.path("examples", "quickstart", "repository"))
	if err != nil {
		return nil, err
	}
	chart, err := ReadTree(l.path("examples", "quickstart", "chart"))
	if err != nil {
		return nil, err
	}
	releases := append(append([]string(nil), demoReleases...), builds...)
	return Seed(ctx, env, SeedSpec{Org: DemoOrg, Repo: DemoApp, Branch: demoBranch, Releases: releases,
		Files: files, ChartFiles: chart})
}

// ReadTree reads every regular file under dir into a map keyed by the
// slash-separated path relative to dir.
func ReadTree(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no files", dir)
	}
	return out, nil
}

var (
	appVersionLine   = regexp.MustCompile(`(?m)^(\s*APP_VERSION:\s*).*$`)
	chartVersionLine = regexp.MustCompile(`(?m)^version:.*$`)
	chartAppVerLine  = regexp.MustCompile(`(?m)^appVersion:.*$`)
	chartNameLine    = regexp.MustCompile(`(?m)^name:\s*"?([A-Za-z0-9._-]+)"?\s*$`)
)

// releaseFiles are the repository's files as committed for one release.
func (s *SeedSpec) releaseFiles(release string) map[string]string {
	out := make(map[string]string, len(s.Files)+len(s.ChartFiles))
	for p, c := range s.Files {
		out[p] = appVersionLine.ReplaceAllString(c, "${1}"+release)
	}
	for p, c := range s.ChartFiles {
		out["chart/"+p] = c
	}
	return out
}

// chartVersion is the version a pipeline gives the build of commit sha:
// ${APP_VERSION}-${DRONE_BRANCH}-${DRONE_COMMIT_SHA:0:6}.
func chartVersion(appVersion, branch, sha string) string {
	if len(sha) > 6 {
		sha = sha[:6]
	}
	return appVersion + "-" + branch + "-" + sha
}

// chartName is the name in Chart.yaml.
func chartName(files map[string]string) (string, error) {
	m := chartNameLine.FindStringSubmatch(files["Chart.yaml"])
	if m == nil {
		return "", errors.New("chart: Chart.yaml has no name")
	}
	return m[1], nil
}

// packageChart builds the chart archive for one chart version, the way
// `helm package --version V --app-version V` would.
func packageChart(files map[string]string, version string) (name string, tgz []byte, err error) {
	name, err = chartName(files)
	if err != nil {
		return "", nil, err
	}
	f := make(map[string]string, len(files))
	for p, c := range files {
		f[p] = c
	}
	meta := f["Chart.yaml"]
	if !chartVersionLine.MatchString(meta) || !chartAppVerLine.MatchString(meta) {
		return "", nil, errors.New("chart: Chart.yaml needs a version and an appVersion line")
	}
	meta = chartVersionLine.ReplaceAllString(meta, "version: "+version)
	f["Chart.yaml"] = chartAppVerLine.ReplaceAllString(meta, fmt.Sprintf("appVersion: %q", version))
	tgz, err = chartrepo.Package(name, f)
	return name, tgz, err
}

// gitBlobSHA is git's id of a blob with this content.
func gitBlobSHA(content string) string {
	h := sha1.New() //nolint:gosec // git's object id
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write([]byte(content))
	return hex.EncodeToString(h.Sum(nil))
}

// fileOp is one entry of Gitea's "change files" request.
type fileOp struct {
	Operation string `json:"operation"`
	Path      string `json:"path"`
	Content   string `json:"content,omitempty"`
	SHA       string `json:"sha,omitempty"`
}

// changes lists the operations that turn the tree (path → blob sha) into
// files; deletions are never made.
func changes(tree map[string]string, files map[string]string) []fileOp {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var ops []fileOp
	for _, p := range paths {
		c := files[p]
		have, ok := tree[p]
		switch {
		case !ok:
			ops = append(ops, fileOp{Operation: "create", Path: p, Content: base64.StdEncoding.EncodeToString([]byte(c))})
		case have != gitBlobSHA(c):
			ops = append(ops, fileOp{Operation: "update", Path: p, SHA: have, Content: base64.StdEncoding.EncodeToString([]byte(c))})
		}
	}
	return ops
}

// releaseMessage is the first line of a release's commit message, by which
// a later run finds it.
func releaseMessage(release string) string { return "Release " + release }

// Seed makes the repository, its release commits and their charts exist.
// It is idempotent: a second run changes nothing and reports no changes.
func Seed(ctx context.Context, env *Env, s SeedSpec) (*SeedResult, error) {
	if s.Branch == "" {
		s.Branch = demoBranch
	}
	if env.GalaxiasChartRepo == "" {
		return nil, errors.New("seed: the stack runs no chart repository (GALAXIAS_CHART_REPO)")
	}
	name, err := chartName(s.ChartFiles)
	if err != nil {
		return nil, err
	}
	slug := s.Org + "/" + s.Repo
	res := &SeedResult{Repository: slug, RepoURL: env.GiteaURL + "/" + slug, Chart: name}
	g := &gitea.Client{URL: env.GiteaURL, Token: env.GiteaToken, HTTP: httpClient}

	// The organisation, owned by the admin (Drone syncs the admin's repositories).
	status, err := g.Expect(ctx, "GET", "/orgs/"+s.Org, nil, nil, http.StatusOK, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNotFound {
		if _, err := g.Expect(ctx, "POST", "/orgs", map[string]any{"username": s.Org, "visibility": "public"}, nil,
			http.StatusCreated, http.StatusUnprocessableEntity); err != nil {
			return nil, fmt.Errorf("create gitea organisation %s: %w", s.Org, err)
		}
		res.Changed = append(res.Changed, "gitea organisation "+s.Org)
	}

	status, err = g.Expect(ctx, "GET", "/repos/"+slug, nil, nil, http.StatusOK, http.StatusNotFound)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNotFound {
		if _, err := g.Expect(ctx, "POST", "/orgs/"+s.Org+"/repos", map[string]any{
			"name": s.Repo, "auto_init": true, "default_branch": s.Branch, "readme": "Default",
			"description": "seeded by go run ./cmd/stack seed-demo",
		}, nil, http.StatusCreated, http.StatusConflict); err != nil {
			return nil, fmt.Errorf("create gitea repository %s: %w", slug, err)
		}
		res.Changed = append(res.Changed, "gitea repository "+slug)
	}

	// One commit per release, found again by its message.
	commits, err := g.Commits(ctx, slug, s.Branch)
	if err != nil {
		return nil, err
	}
	for _, rel := range s.Releases {
		if sha, ok := commits[releaseMessage(rel)]; ok {
			res.Releases = append(res.Releases, SeededRelease{AppVersion: rel, Commit: sha})
			continue
		}
		tree, err := g.Tree(ctx, slug, s.Branch)
		if err != nil {
			return nil, err
		}
		ops := changes(tree, s.releaseFiles(rel))
		if len(ops) == 0 {
			// Nothing differs, yet a release needs its own commit: touch a marker.
			ops = []fileOp{{Operation: "upload", Path: ".release", SHA: tree[".release"],
				Content: base64.StdEncoding.EncodeToString([]byte(rel + "\n"))}}
		}
		var out struct {
			Commit struct {
				SHA string `json:"sha"`
			} `json:"commit"`
		}
		if _, err := g.Expect(ctx, "POST", "/repos/"+slug+"/contents", map[string]any{
			"branch": s.Branch, "message": releaseMessage(rel) + "\n\nAPP_VERSION " + rel + ", seeded by go run ./cmd/stack seed-demo.",
			"files": ops,
		}, &out, http.StatusCreated); err != nil {
			return nil, fmt.Errorf("commit %s to %s: %w", releaseMessage(rel), slug, err)
		}
		if out.Commit.SHA == "" {
			return nil, fmt.Errorf("commit %s to %s: no commit sha in the answer", releaseMessage(rel), slug)
		}
		res.Releases = append(res.Releases, SeededRelease{AppVersion: rel, Commit: out.Commit.SHA})
		res.Changed = append(res.Changed, fmt.Sprintf("commit %s (%s) on %s", out.Commit.SHA[:6], releaseMessage(rel), s.Branch))
	}

	// The charts the pipeline would have pushed to ChartMuseum for those
	// commits; both Galaxias servers read them from there.
	repo := &chartrepo.Client{BaseURL: env.GalaxiasChartRepo, HTTP: httpClient}
	for i := range res.Releases {
		r := &res.Releases[i]
		r.ChartVersion = chartVersion(r.AppVersion, s.Branch, r.Commit)
		_, _, err := repo.Version(ctx, name, r.ChartVersion)
		if err == nil {
			continue
		}
		if chartrepo.StatusOf(err) != http.StatusNotFound {
			return nil, fmt.Errorf("chart repository: chart %s %s: %w", name, r.ChartVersion, err)
		}
		_, tgz, err := packageChart(s.ChartFiles, r.ChartVersion)
		if err != nil {
			return nil, err
		}
		if err := repo.Upload(ctx, tgz); err != nil && chartrepo.StatusOf(err) != http.StatusConflict {
			return nil, fmt.Errorf("chart repository: upload chart %s %s: %w", name, r.ChartVersion, err)
		}
		res.Changed = append(res.Changed, "chart "+name+" "+r.ChartVersion)
	}

	// Let Drone see the repository (drone_repo syncs too; this makes it visible at once).
	if err := droneSync(ctx, env.DroneServer, env.DroneToken); err != nil {
		return nil, fmt.Errorf("drone: %w", err)
	}
	return res, nil
}

// RemoveDroneHooks deletes the webhooks that Drone installed in a Gitea
// repository and left behind when the repository was disabled (Drone 1.x
// does not remove them). It returns how many it deleted.
func RemoveDroneHooks(ctx context.Context, env *Env, slug string) (int, error) {
	g := &gitea.Client{URL: env.GiteaURL, Token: env.GiteaToken, HTTP: httpClient}
	hooks, err := g.Hooks(ctx, slug)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hooks {
		if !strings.HasPrefix(h.Config["url"], env.DroneServer+"/hook") {
			continue
		}
		if _, err := g.Expect(ctx, "DELETE", fmt.Sprintf("/repos/%s/hooks/%d", slug, h.ID), nil, nil,
			http.StatusNoContent, http.StatusNotFound); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
