package refserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/fakek8s"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// instanceKube is a Kubernetes API holding one release's objects: its pods
// and config maps (labelled app.kubernetes.io/instance=<release>), the
// scale of its chart's Deployment and the log of one container.
type instanceKube struct {
	ns, release, chart string

	mu       sync.Mutex
	minor    string // the version's minor
	replicas int64
	requests []string
}

func (k *instanceKube) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.requests = append(k.requests, r.Method+" "+r.URL.RequestURI())
	write := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	ns := "/namespaces/" + k.ns
	selected := r.URL.Query().Get("labelSelector") == "app.kubernetes.io/instance="+k.release
	switch p := r.URL.Path; {
	case p == "/api/v1/nodes":
		write(200, map[string]any{"kind": "NodeList", "apiVersion": "v1", "items": []any{}})
	case p == "/version":
		write(200, map[string]string{"major": "1", "minor": k.minor, "gitVersion": "v1." + k.minor + ".0"})
	case p == "/api/v1"+ns+"/pods" && selected:
		write(200, map[string]any{"kind": "PodList", "apiVersion": "v1", "items": []any{map[string]any{
			"metadata": map[string]any{"name": "pod-1", "namespace": k.ns},
			"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "image": "img:1"}},
				"restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "nodeName": "node-1"},
			"status": map[string]any{"hostIP": "10.0.0.1", "startTime": "2026-12-06T18:00:00Z",
				"containerStatuses": []any{map[string]any{"ready": false, "state": map[string]any{"waiting": map[string]any{"reason": "CrashLoopBackOff"}}}}},
		}}})
	case p == "/api/v1"+ns+"/configmaps" && selected:
		write(200, map[string]any{"kind": "ConfigMapList", "apiVersion": "v1", "items": []any{
			map[string]any{"metadata": map[string]any{"name": "cm"}, "data": map[string]string{"b.yaml": "b: 2\n", "a.yaml": "a: 1\n"}}}})
	case p == "/apis/apps/v1"+ns+"/deployments/"+k.chart+"/scale":
		if r.Method == http.MethodPut {
			var sc struct{ Spec struct{ Replicas int64 } }
			if err := json.NewDecoder(r.Body).Decode(&sc); err != nil {
				write(400, map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 400})
				return
			}
			k.replicas = sc.Spec.Replicas
		}
		write(200, map[string]any{"kind": "Scale", "apiVersion": "autoscaling/v1", "spec": map[string]any{"replicas": k.replicas}})
	case p == "/api/v1"+ns+"/pods/pod-1/log" && r.URL.Query().Get("container") == "c":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "line 1\nline 2\n")
	default:
		write(404, map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{}, "status": "Failure",
			"message": "not here: " + p, "reason": "NotFound", "code": 404})
	}
}

func (k *instanceKube) set(f func(k *instanceKube)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f(k)
}

func (k *instanceKube) sent(prefix string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, r := range k.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// rockDeployment creates a project, a cluster on kubeconfig, an env ns, a
// project-env and an app, deploys chart 1.0.0 and then 1.1.0 to it, and
// returns the cluster's and the instance's ids.
func rockDeployment(rt *rockT, name, kubeconfig, ns, chart string) (cluster, instance int64) {
	t := rt.t
	t.Helper()
	for _, v := range []string{"1.0.0", "1.1.0"} {
		if err := rt.srv.ChartRepo().Upload(context.Background(), refserver.TestChart(chart, v)); err != nil {
			t.Fatal(err)
		}
	}
	project := rt.id(rt.admin("POST", "/v1/projects", map[string]any{"name": name}))
	cluster = rt.id(rt.admin("POST", "/v1/clusters", map[string]any{"name": name, "config": kubeconfig}))
	env := rt.id(rt.admin("POST", "/v1/envs", map[string]any{"cluster_id": cluster, "namespace": ns}))
	pe := rt.id(rt.admin("POST", fmt.Sprintf("/v1/projects/%d/project-envs", project), map[string]any{"name": name, "env_id": env}))
	app := rt.id(rt.admin("POST", "/v1/apps", map[string]any{"name": name, "project_id": project}))
	for _, v := range []string{"1.0.0", "1.1.0"} {
		rt.want(rt.admin("POST", "/v1/deployments", map[string]any{"app_id": app, "project_env_id": pe, "chart_name": chart, "chart_version": v}), 201, "")
	}
	items := rt.admin("GET", fmt.Sprintf("/v1/apps/%d/instances?%s", app, rockPg), nil).obj(t)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("instances of app %d: %v", app, items)
	}
	return cluster, int64(items[0].(map[string]any)["id"].(float64))
}

// The instance routes of the rock dialect (deployments.jsonl 39-44 recorded
// their refusals; the successful answers follow the re-implementation's
// response structs).
func TestRockInstanceRoutes(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	kube := &instanceKube{ns: "ns-i", release: "chart-i-ns-i", chart: "chart-i", minor: "30", replicas: 3}
	ks := httptest.NewServer(kube)
	t.Cleanup(ks.Close)
	_, inst := rockDeployment(rt, "inst", fakek8s.Kubeconfig(ks.URL, ""), "ns-i", "chart-i")
	_, other := rockDeployment(rt, "other", rt.srv.Kubeconfig, "ns-o", "chart-o")
	path := func(sub string) string { return fmt.Sprintf("/v1/instances/%d/%s", inst, sub) }

	t.Run("39: the deployments named as the instance, a page, the last updated first", func(t *testing.T) {
		a := rt.admin("GET", path("deployments?")+rockPg, nil)
		rt.want(a, 200, "")
		page := a.obj(t)
		items := page["items"].([]any)
		if page["total"] != float64(2) || page["pages"] != float64(1) || len(items) != 2 {
			t.Fatalf("%s", a.body)
		}
		for _, it := range items {
			d := it.(map[string]any)
			rt.wantKeys(d, "id", "name", "description", "created_at", "updated_at", "version", "chart_name", "chart_version", "app_id", "env_id")
			if d["name"] != "chart-i-ns-i" {
				t.Fatalf("another release's deployment: %v", d)
			}
		}
		first := int64(items[1].(map[string]any)["id"].(float64))
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/deployments/%d", first), map[string]any{"chart_name": "chart-i", "chart_version": "1.0.0",
			"project_env_id": 1, "app_id": 1, "description": "edited"}), 200, "")
		items = rt.admin("GET", path("deployments?")+rockPg, nil).obj(t)["items"].([]any)
		if int64(items[0].(map[string]any)["id"].(float64)) != first {
			t.Fatalf("the updated deployment is not first: %v", items)
		}
		rt.want(rt.admin("GET", path("deployments"), nil), 500, `{"error":[{},{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("GET", "/v1/instances/999999/deployments?"+rockPg, nil), 404, `{"error":"Instance with id(999999) was not found","error_code":40400012}`)
	})
	t.Run("pods: by the instance label, grouped by namespace", func(t *testing.T) {
		rt.want(rt.admin("GET", path("pods"), nil), 200, `[{"namespace":"ns-i","pods":[{"name":"pod-1",
			"containers":[{"name":"c","image":"img:1"}],"restart_policy":"Always","dns_policy":"ClusterFirst","node_name":"node-1",
			"host_network":false,"status":"CrashLoopBackOff","pod_ip":"10.0.0.1","start_time":"2026-12-06T18:00:00Z"}]}]`)
	})
	t.Run("configs: every entry of the instance's config maps", func(t *testing.T) {
		rt.want(rt.admin("GET", path("configs"), nil), 200, `[{"name":"a.yaml","content":"a: 1\n"},{"name":"b.yaml","content":"b: 2\n"}]`)
	})
	t.Run("scale: read and set the replicas of the chart's Deployment", func(t *testing.T) {
		rt.want(rt.admin("GET", path("scale"), nil), 200, `{"number":3}`)
		rt.want(rt.admin("PUT", path("scale"), map[string]any{"number": 2}), 200, `{"number":2}`)
		rt.want(rt.admin("GET", path("scale"), nil), 200, `{"number":2}`)
		if got := kube.sent("PUT "); len(got) != 1 || got[0] != "PUT /apis/apps/v1/namespaces/ns-i/deployments/chart-i/scale" {
			t.Fatalf("PUTs sent to the API server: %v", got)
		}
		kube.set(func(k *instanceKube) { k.minor = "16" })
		defer kube.set(func(k *instanceKube) { k.minor = "30" })
		rt.want(rt.admin("GET", path("scale"), nil), 404, `{"error":"Not found this K8S version v1.16.0","error_code":40400013}`)
	})
	t.Run("logs: the container's log; pod and container required", func(t *testing.T) {
		rt.want(rt.admin("GET", path("logs?pod=pod-1&container=c"), nil), 200, `{"pod_name":"pod-1","container_name":"c","content":"line 1\nline 2\n"}`)
		if got := kube.sent("GET /api/v1/namespaces/ns-i/pods/pod-1/log?"); len(got) != 1 || !strings.Contains(got[0], "tailLines=5000") || !strings.Contains(got[0], "limitBytes=1048576") {
			t.Fatalf("log requests: %v", got)
		}
		rt.want(rt.admin("GET", path("logs?pod=pod-1"), nil), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
	})
	t.Run("40-44: a refusal of the API server passes on as 500 {error: {ErrStatus}}", func(t *testing.T) {
		// the default fake API answers every instance path with a 404 Status
		p := func(sub string) string { return fmt.Sprintf("/v1/instances/%d/%s", other, sub) }
		status := `{"metadata":{},"status":"Failure","message":"the server could not find the requested resource (GET %s)","reason":"NotFound","code":404}`
		typed := func(kpath string) string {
			return `{"error":{"ErrStatus":` + fmt.Sprintf(status, kpath) + `},"error_code":5000001,"switch":"default"}`
		}
		// typed calls (a list): the server's Status, without kind and apiVersion
		rt.want(rt.admin("GET", p("pods"), nil), 500, typed("/api/v1/namespaces/ns-o/pods"))
		rt.want(rt.admin("GET", p("configs"), nil), 500, typed("/api/v1/namespaces/ns-o/configmaps"))
		// raw calls: client-go's generic error, naming what was asked for
		rt.want(rt.admin("GET", p("logs?pod=nope&container=c"), nil), 500, `{"error":{"ErrStatus":{"metadata":{},"status":"Failure",
			"message":"the server could not find the requested resource (get pods nope)","reason":"NotFound",
			"details":{"name":"nope","kind":"pods","causes":[{"reason":"UnexpectedServerResponse","message":"unknown"}]},"code":404}},
			"error_code":5000001,"switch":"default"}`)
		// scale: the version is answered, the scale subresource is not
		rt.want(rt.admin("GET", p("scale"), nil), 500, typed("/apis/apps/v1/namespaces/ns-o/deployments/chart-o/scale"))
		rt.want(rt.admin("GET", "/v1/instances/999999/pods", nil), 404, `{"error":"Instance with id(999999) was not found","error_code":40400012}`)
	})
}

// Tiller down (the test switch tiller_down): deployments to the cluster
// answer 500 50000005 before any row is written, instance deletes 500
// {error: {}} and keep the instance (deployments.jsonl 55-57); other
// clusters are not affected, and bringing Tiller back restores both.
func TestRockTillerDown(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	down, inst := rockDeployment(rt, "down", rt.srv.Kubeconfig, "ns-d", "chart-d")
	_, up := rockDeployment(rt, "up", rt.srv.Kubeconfig, "ns-u", "chart-u")
	total := func() float64 {
		return rt.admin("GET", "/v1/deployments?"+rockPg, nil).obj(t)["total"].(float64)
	}
	deploy := func(instance int64) answer {
		d := rt.admin("GET", fmt.Sprintf("/v1/instances/%d", instance), nil).obj(t)
		var peID float64
		for _, it := range rt.admin("GET", fmt.Sprintf("/v1/projects/%d/project-envs?%s", projectOf(rt, d), rockPg), nil).obj(t)["items"].([]any) {
			peID = it.(map[string]any)["id"].(float64)
		}
		return rt.admin("POST", "/v1/deployments", map[string]any{"app_id": d["app_id"], "project_env_id": peID,
			"chart_name": d["chart_name"], "chart_version": "1.0.0"})
	}

	got := refservertest.PutConfig(t, rt.srv.URL, rt.token, map[string]any{"tiller_down": []int64{down}})
	if fmt.Sprint(got["tiller_down"]) != fmt.Sprintf("[%d]", down) {
		t.Fatalf("config: %v", got)
	}
	before := total()
	rt.want(deploy(inst), 500, fmt.Sprintf(`{"error":"Tiller server of cluster %d isn't healthy, please check it first","error_code":50000005}`, down))
	if after := total(); after != before {
		t.Fatalf("a deployment row was written: %v -> %v", before, after)
	}
	rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/instances/%d", inst), nil), 500, `{"error":{},"error_code":5000001,"switch":"default"}`)
	rt.want(rt.admin("GET", fmt.Sprintf("/v1/instances/%d", inst), nil), 200, "")
	rt.want(deploy(up), 201, "")

	refservertest.SetTillerDown(t, rt.srv.URL, rt.token)
	rt.want(deploy(inst), 201, "")
	rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/instances/%d", inst), nil), 204, "")
	rt.want(rt.admin("GET", fmt.Sprintf("/v1/instances/%d", inst), nil), 404, "")
}

// projectOf is the id of the project an instance's project_name names.
func projectOf(rt *rockT, inst map[string]any) int64 {
	rt.t.Helper()
	for _, it := range rt.admin("GET", "/v1/projects?"+rockPg, nil).obj(rt.t)["items"].([]any) {
		if p := it.(map[string]any); p["name"] == inst["project_name"] {
			return int64(p["id"].(float64))
		}
	}
	rt.t.Fatalf("no project %v", inst["project_name"])
	return 0
}
