package refserver

import (
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Release is what the reference server last rendered for an instance: the
// user-supplied values (what `helm get values` shows on a cluster) and the
// rendered manifest (`helm get manifest`). The reference server has no
// cluster, so this is the only place a test can see what a deployment really
// rolled out. It is kept in memory: a restarted server has none until the
// next deployment.
type Release struct {
	InstanceID   int64  `json:"instance_id"`
	DeploymentID int64  `json:"deployment_id"`
	Name         string `json:"name"`
	Values       string `json:"values"`
	Manifest     string `json:"manifest"`
}

// newRelease joins the rendered templates in file order, as Helm's manifest
// does, leaving out partials and empty output.
func newRelease(name, values string, files map[string]string) *Release {
	names := make([]string, 0, len(files))
	for f, out := range files {
		if strings.TrimSpace(out) != "" && !strings.HasSuffix(f, "NOTES.txt") {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, f := range names {
		b.WriteString("---\n# Source: " + f + "\n" + strings.TrimSpace(files[f]) + "\n")
	}
	return &Release{Name: name, Values: values, Manifest: b.String()}
}

// releaseStore keeps the last Release of every instance.
type releaseStore struct {
	mu sync.Mutex
	m  map[int64]Release
}

func (rs *releaseStore) record(r *Release) {
	if r == nil || r.InstanceID == 0 {
		return
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.m == nil {
		rs.m = map[int64]Release{}
	}
	rs.m[r.InstanceID] = *r
}

func (rs *releaseStore) get(id int64) (Release, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.m[id]
	return r, ok
}

// getRelease: GET /v1/_test/instances/{id}/release (admin, test-only).
func (s *Server) getRelease(r *http.Request, _ *user) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	rel, ok := s.releases.get(id)
	if !ok {
		return 0, nil, errf(404, instancesSpec.codeNF, "instance %d was not rendered by this server since it started", id)
	}
	return 200, rel, nil
}
