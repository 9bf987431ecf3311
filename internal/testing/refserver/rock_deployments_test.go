package refserver_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// Deployment and instance answers of the rock dialect, each as recorded in
// rock-transcripts/deployments.jsonl (seq numbers in the subtest names).
func TestRockDeploymentsAsRecorded(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	ctx := context.Background()
	w := rt.world("rec")
	for _, ch := range []struct{ name, version string }{{"rec", "1.0.0"}, {"rec", "1.2.0"}, {"rec-b", "2.0.0"}} {
		if err := rt.srv.ChartRepo().Upload(ctx, refserver.TestChart(ch.name, ch.version)); err != nil {
			t.Fatal(err)
		}
	}
	appB := rt.id(rt.admin("POST", "/v1/apps", map[string]any{"name": "rec-b", "project_id": w.project}))
	rt.want(rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", w.app), map[string]any{"project_env_id": w.pe, "config": "replicaCount: 1\n"}), 200, "")
	deploy := func(t *testing.T, app int64, chart, version string) map[string]any {
		t.Helper()
		a := rt.admin("POST", "/v1/deployments", map[string]any{"app_id": app, "project_env_id": w.pe, "chart_name": chart, "chart_version": version})
		rt.want(a, 201, "")
		return a.obj(t)
	}
	deploy(t, w.app, "rec", "1.0.0")
	second := deploy(t, w.app, "rec", "1.2.0")

	t.Run("11: an app without a config for the project-env deploys", func(t *testing.T) {
		d := deploy(t, appB, "rec-b", "2.0.0")
		if d["name"] != "rec-b-ns-rec" || d["app_id"] != float64(appB) || d["env_id"] != float64(w.env) {
			t.Fatalf("%v", d)
		}
	})
	list := func(t *testing.T, path string) []map[string]any {
		t.Helper()
		var out []map[string]any
		for _, it := range rt.admin("GET", path, nil).obj(t)["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}
	t.Run("27, 34: list items lack last_deployment, app_id and env_id", func(t *testing.T) {
		for _, p := range []string{"/v1/instances?" + rockPg, fmt.Sprintf("/v1/apps/%d/instances?%s", w.app, rockPg)} {
			items := list(t, p)
			if len(items) == 0 {
				t.Fatalf("%s: no items", p)
			}
			for _, it := range items {
				rt.wantKeys(it, "id", "cluster_name", "env_namespace", "project_name", "name", "chart_name", "chart_version",
					"created_at", "updated_at", "version")
			}
		}
	})
	t.Run("27, 29: the upgraded release first (updated_at moved), then ties in id order", func(t *testing.T) {
		items := list(t, "/v1/instances?"+rockPg)
		if len(items) != 2 || items[0]["name"] != "rec-ns-rec" || items[1]["name"] != "rec-b-ns-rec" {
			t.Fatalf("%v", items)
		}
		a := rt.id(rt.admin("POST", "/v1/apps", map[string]any{"name": "rec-c", "project_id": w.project}))
		if err := rt.srv.ChartRepo().Upload(ctx, refserver.TestChart("rec-c", "1.0.0")); err != nil {
			t.Fatal(err)
		}
		deploy(t, a, "rec-c", "1.0.0")
		items = list(t, "/v1/instances?"+rockPg)
		ties := 0
		for i := 1; i < len(items); i++ {
			prev, cur := items[i-1], items[i]
			switch p, c := prev["updated_at"].(string), cur["updated_at"].(string); {
			case p < c:
				t.Fatalf("not the last updated first: %v", items)
			case p == c && prev["id"].(float64) > cur["id"].(float64):
				t.Fatalf("a tie not in id order: %v", items)
			case p == c:
				ties++
			}
		}
		if ties == 0 { // the clock moved between the deployments
			t.Logf("no two instances updated in the same second: %v", items)
		}
	})
	t.Run("36: by id the instance names its last deployment, app and env", func(t *testing.T) {
		id := list(t, fmt.Sprintf("/v1/apps/%d/instances?%s", w.app, rockPg))[0]["id"]
		one := rt.admin("GET", fmt.Sprintf("/v1/instances/%v", id), nil).obj(t)
		rt.wantKeys(one, "id", "cluster_name", "env_namespace", "project_name", "name", "chart_name", "chart_version",
			"created_at", "updated_at", "version", "last_deployment", "app_id", "env_id")
		if one["last_deployment"] != second["id"] || one["app_id"] != float64(w.app) || one["env_id"] != float64(w.env) || one["chart_version"] != "1.2.0" {
			t.Fatalf("%v", one)
		}
	})
	t.Run("31, 29, 33: app_id and cluster filter; apps/999999/instances is empty", func(t *testing.T) {
		if items := list(t, fmt.Sprintf("/v1/instances?%s&app_id=%d", rockPg, appB)); len(items) != 1 || items[0]["name"] != "rec-b-ns-rec" {
			t.Fatalf("%v", items)
		}
		if items := list(t, "/v1/instances?"+rockPg+"&cluster=no-such-cluster"); len(items) != 0 {
			t.Fatalf("%v", items)
		}
		rt.want(rt.admin("GET", "/v1/apps/999999/instances?"+rockPg, nil), 200, `{"items":[],"page_num":1,"page_size":100,"pages":1,"total":0}`)
	})
	t.Run("45-47: instance delete answers 204, then 404 40400012", func(t *testing.T) {
		id := list(t, fmt.Sprintf("/v1/apps/%d/instances?%s", appB, rockPg))[0]["id"]
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/instances/%v", id), nil), 204, "")
		nf := fmt.Sprintf(`{"error":"Instance with id(%v) was not found","error_code":40400012}`, id)
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/instances/%v", id), nil), 404, nf)
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/instances/%v", id), nil), 404, nf)
	})
}
