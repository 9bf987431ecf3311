package galaxias

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// A server that answers instances without app_id and env_id and ignores
// list filters (as the public re-implementation does): the release of an
// app in a project-environment is still found, by the release name,
// namespace, cluster and project that every instance carries, and the app
// and env its last deployment names.
func TestFindReleaseWithoutIDs(t *testing.T) {
	instances := []map[string]any{
		// other namespace, other cluster, other project, another app's chart: not ours
		{"id": 1, "name": "web-prod", "chart_name": "web", "chart_version": "1.0.0", "env_namespace": "prod", "cluster_name": "c1", "project_name": "p", "last_deployment": 11},
		{"id": 2, "name": "web-staging", "chart_name": "web", "chart_version": "1.0.1", "env_namespace": "staging", "cluster_name": "c2", "project_name": "p", "last_deployment": 12},
		{"id": 3, "name": "web-staging", "chart_name": "web", "chart_version": "1.0.2", "env_namespace": "staging", "cluster_name": "c1", "project_name": "q", "last_deployment": 13},
		{"id": 4, "name": "api-staging", "chart_name": "api", "chart_version": "2.0.0", "env_namespace": "staging", "cluster_name": "c1", "project_name": "p", "last_deployment": 14},
		// ours
		{"id": 5, "name": "web-staging", "chart_name": "web", "chart_version": "1.0.3", "env_namespace": "staging", "cluster_name": "c1", "project_name": "p", "last_deployment": 15},
	}
	records := map[string]any{
		"/v1/apps/7":                     map[string]any{"id": 7, "name": "web", "project_id": 3},
		"/v1/projects/3/project-envs/8":  map[string]any{"id": 8, "env_id": 5}, // no project_id
		"/v1/envs/5":                     map[string]any{"id": 5, "cluster_id": 2, "namespace": "staging"},
		"/v1/clusters/2":                 map[string]any{"id": 2, "name": "c1"},
		"/v1/projects/3":                 map[string]any{"id": 3, "name": "p"},
		"/v1/apps/7/instances":           map[string]any{"page": 1, "per_page": 100, "total": len(instances), "pages": 1, "items": instances},
		"/v1/projects/3/project-envs/99": nil,
		// An instance without app_id is the app's when its last deployment
		// says so (the client's attribution).
		"/v1/deployments/15": map[string]any{"id": 15, "name": "web-staging", "app_id": 7, "env_id": 5,
			"chart_name": "web", "chart_version": "1.0.3"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, ok := records[r.URL.Path]
		if !ok || rec == nil {
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error": "not found", "error_code": 40400001}`))
			return
		}
		_ = json.NewEncoder(w).Encode(rec)
	}))
	defer srv.Close()
	c, err := client.New(client.Options{BaseURL: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	target, err := resolveTarget(ctx, c, 7, 8)
	if err != nil {
		t.Fatal(err)
	}
	in, err := findRelease(ctx, c, target)
	if err != nil || in.ID != 5 || in.LastDeployment != 15 {
		t.Fatalf("found %+v, %v; want instance 5", in, err)
	}

	// Nothing of the app runs there: a clear error, not another release.
	instances[4]["cluster_name"] = "c3"
	if in, err := findRelease(ctx, c, target); err == nil || !strings.Contains(err.Error(), `nothing runs for app "web" in namespace "staging" of cluster "c1" (project "p")`) {
		t.Fatalf("found %+v, %v; want nothing", in, err)
	}
	// Another chart of the app runs there (its last deployment names the
	// app and env): the only release, it is the one imported.
	records["/v1/deployments/14"] = map[string]any{"id": 14, "name": "api-staging", "app_id": 7, "env_id": 5,
		"chart_name": "api", "chart_version": "2.0.0"}
	if in, err := findRelease(ctx, c, target); err != nil || in.ID != 4 {
		t.Fatalf("found %+v, %v; want instance 4", in, err)
	}
	// Two other charts: which one to manage is the user's choice.
	instances = append(instances, map[string]any{"id": 6, "name": "worker-staging", "chart_name": "worker", "chart_version": "3.0.0",
		"env_namespace": "staging", "cluster_name": "c1", "project_name": "p", "last_deployment": 16})
	records["/v1/apps/7/instances"] = map[string]any{"page": 1, "per_page": 100, "total": len(instances), "pages": 1, "items": instances}
	records["/v1/deployments/16"] = map[string]any{"id": 16, "name": "worker-staging", "app_id": 7, "env_id": 5,
		"chart_name": "worker", "chart_version": "3.0.0"}
	if in, err := findRelease(ctx, c, target); err == nil ||
		!strings.Contains(err.Error(), `several releases of app "web" run in namespace "staging": worker-staging, api-staging`) {
		t.Fatalf("found %+v, %v; want several", in, err)
	}
	if _, err := resolveTarget(ctx, c, 7, 99); err == nil || !strings.Contains(err.Error(), "project-environment 99") {
		t.Fatalf("unknown project-environment: %v", err)
	}
}
