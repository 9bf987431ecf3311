package client

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Instance answers as rock recorded them (rock-transcripts/deployments.jsonl):
// the list items of seq 27 (no last_deployment, app_id or env_id) and the
// answers by id of seq 36 and 37; 2 and 5 by id are built from their list
// items and the deployment rows of seq 18 and 12 that made them.
const (
	recInstItem3 = `{"id": 3, "cluster_name": "rec-dep-cluster", "env_namespace": "rec-dep-ns", "project_name": "rec-dep-proj", "name": "rec-dep-app-rec-dep-ns", "chart_name": "rec-dep-app", "chart_version": "1.2.0-master-bbbbbb", "created_at": "2026-12-06 18:27:07", "updated_at": "2026-12-07 02:27:07", "version": 0`
	recInstItem2 = `{"id": 2, "cluster_name": "qd-cluster", "env_namespace": "qd-ns", "project_name": "qd-proj", "name": "qd-app-qd-ns", "chart_name": "qd-app", "chart_version": "1.0.0-master-aaaaaa", "created_at": "2026-12-06 18:11:54", "updated_at": "2026-12-07 02:12:04", "version": 0`
	recInstItem4 = `{"id": 4, "cluster_name": "rec-dep-cluster", "env_namespace": "rec-dep-ns", "project_name": "rec-dep-proj", "name": "rec-dep-app-b-rec-dep-ns", "chart_name": "rec-dep-app-b", "chart_version": "2.0.0", "created_at": "2026-12-06 18:27:07", "updated_at": "2026-12-06 18:27:07", "version": 0`
	recInstItem5 = `{"id": 5, "cluster_name": "rec-dep-cluster", "env_namespace": "rec-dep-ns", "project_name": "rec-dep-proj", "name": "other-chart-name-rec-dep-ns", "chart_name": "other-chart-name", "chart_version": "1.0.0", "created_at": "2026-12-06 18:27:07", "updated_at": "2026-12-06 18:27:07", "version": 0`
)

// recordedRock answers the instance routes as rock did: GET /v1/instances
// filters by app_id only (env_id ignored), and by id adds last_deployment,
// app_id and env_id. Every request is counted.
type recordedRock struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
	gone map[string]bool // instance ids uninstalled
}

func newRecordedRock(t *testing.T) *recordedRock {
	f := &recordedRock{gone: map[string]bool{}}
	items := map[string]string{"3": recInstItem3, "2": recInstItem2, "4": recInstItem4, "5": recInstItem5}
	app := map[string]string{"3": "33", "2": "22", "4": "34", "5": "34"}
	byID := map[string]string{
		"3": `, "last_deployment": 6, "app_id": 33, "env_id": 19}`,
		"4": `, "last_deployment": 7, "app_id": 34, "env_id": 19}`,
		"2": `, "last_deployment": 4, "app_id": 22, "env_id": 6}`,
		"5": `, "last_deployment": 8, "app_id": 34, "env_id": 19}`,
	}
	order := []string{"3", "2", "4", "5"} // seq 27
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.seen = append(f.seen, r.Method+" "+r.URL.Path)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch id, ok := strings.CutPrefix(r.URL.Path, "/v1/instances/"); {
		case r.URL.Path == "/v1/instances":
			var out []string
			for _, id := range order {
				if a := r.URL.Query().Get("app_id"); !f.gone[id] && (a == "" || a == app[id]) {
					out = append(out, items[id]+"}")
				}
			}
			_, _ = w.Write([]byte(`{"page_num": 1, "page_size": 100, "total": ` + itoa(int64(len(out))) +
				`, "pages": 1, "items": [` + strings.Join(out, ", ") + `]}`))
		case ok && items[id] != "" && !f.gone[id]:
			if r.Method == http.MethodDelete {
				f.gone[id] = true
				w.WriteHeader(204)
				return
			}
			_, _ = w.Write([]byte(items[id] + byID[id]))
		case ok:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error": "Instance with id(` + id + `) was not found", "error_code": 40400012}`))
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`404 page not found`))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *recordedRock) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.seen
	f.seen = nil
	return out
}

// The release of an app in an env, found on answers recorded from rock:
// the list items name neither app nor env, so the client reads the
// candidates of the chart by id — one read for a refresh, and never
// another app's or env's release.
func TestRecordedRockInstancesAttributedByID(t *testing.T) {
	f := newRecordedRock(t)
	c := mustClient(t, Options{BaseURL: f.URL, Token: "t"})
	x := ctx(t)
	want := func(what string, got []string, paths ...string) {
		t.Helper()
		if strings.Join(got, ", ") != strings.Join(paths, ", ") {
			t.Fatalf("%s: requests %q, want %q", what, got, paths)
		}
	}

	in := must[*Instance](t)(c.FindInstance(x, 33, 19, "rec-dep-app"))
	if in == nil || in.ID != 3 || in.LastDeployment != 6 || in.AppID != 33 || in.EnvID != 19 || in.ChartVersion != "1.2.0-master-bbbbbb" {
		t.Fatalf("app 33 in env 19: %+v", in)
	}
	want("a refresh", f.take(), "GET /v1/instances", "GET /v1/instances/3")

	// another chart of another app in the same namespace
	in = must[*Instance](t)(c.FindInstance(x, 34, 19, "other-chart-name"))
	if in == nil || in.ID != 5 || in.LastDeployment != 8 {
		t.Fatalf("app 34, other-chart-name: %+v", in)
	}
	want("another chart", f.take(), "GET /v1/instances", "GET /v1/instances/5")

	// env_id is ignored by the server: the release in env 19 is not env 6's
	if in := must[*Instance](t)(c.FindInstance(x, 33, 6, "rec-dep-app")); in != nil {
		t.Fatalf("app 33 in env 6: %+v", in)
	}
	f.take()

	// every release of app 34 in env 19, newest deployment first
	l := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: 34, EnvID: 19}))
	if len(l) != 2 || l[0].ID != 5 || l[1].ID != 4 || l[1].LastDeployment != 7 {
		t.Fatalf("app 34 in env 19: %+v", l)
	}
	want("an app's releases", f.take(), "GET /v1/instances", "GET /v1/instances/4", "GET /v1/instances/5")

	// uninstalled: nothing runs, and the answer says so after one list
	check(t, c.DeleteInstance(x, 3))
	f.take()
	if in := must[*Instance](t)(c.FindInstance(x, 33, 19, "rec-dep-app")); in != nil {
		t.Fatalf("after uninstall: %+v", in)
	}
	want("a refresh after uninstall", f.take(), "GET /v1/instances")
}
