package refserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// The rock dialect's instance routes beyond the lists: the instance's
// deployments, its delete (through the cluster's Tiller) and the routes
// that read the cluster's Kubernetes API (pods, configs, scale, logs).

var (
	rockInstanceLogForm = &rform{name: "InstanceLogReq", fields: []rfield{
		{json: "pod", goName: "Pod", required: true},
		{json: "container", goName: "Container", required: true},
	}}
	rockScaleForm = &rform{name: "UpdateInstanceScaleReq", fields: []rfield{
		{json: "number", goName: "Number", isInt: true, required: true},
	}}
)

// rockPingTiller stands in for the ping of a cluster's Tiller (Helm v2),
// which the re-implementation sends before anything else of a deployment:
// the test switch tiller_down says which clusters' Tiller does not answer.
func (s *Server) rockPingTiller(cluster int64) error {
	if s.tillerIsDown(cluster) {
		return rockErrorf(500, 50000005, "Tiller server of cluster %v isn't healthy, please check it first", cluster)
	}
	return nil
}

// DELETE /v1/instances/{id}: the release is deleted through the cluster's
// Tiller, then the row. With Tiller down the Helm client's error value
// reaches the error handler, which marshals it as {} (recorded:
// deployments.jsonl 56); the row stays.
func (s *Server) rockDeleteInstance(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	inst, err := rockMust(ctx, s.db, rkInstance, id)
	if err != nil {
		return 0, nil, err
	}
	env, ok, err := rockFind(ctx, s.db, "envs", "id = ?", inst["env_id"])
	if err != nil {
		return 0, nil, err
	}
	if ok && s.tillerIsDown(asInt64(env["cluster_id"])) {
		return 0, nil, rockPanic(struct{}{})
	}
	if ok && s.install {
		if err := s.rockUninstall(ctx, env, asString(inst["name"])); err != nil {
			return 0, nil, err
		}
	}
	return 204, nil, rockSoftDelete(ctx, s.db, "instances", "id = ?", id)
}

// rockUninstall runs `helm uninstall` of release in env's namespace of its
// cluster (Options.Install). A Helm failure is assumed to answer as the
// recorded Tiller failure does: the error value, marshalled as {}.
func (s *Server) rockUninstall(ctx context.Context, env record, release string) error {
	cluster, found, err := rockFind(ctx, s.db, "clusters", "id = ?", env["cluster_id"])
	if err != nil || !found {
		return err
	}
	if err := s.helmUninstall(asString(cluster["config"]), release, asString(env["namespace"])); err != nil {
		s.log.Error("helm uninstall", "release", release, "err", err)
		return rockPanic(struct{}{})
	}
	return nil
}

// GET /v1/instances/{id}/deployments: a page of the deployments named as
// the instance (its release), the last updated first (recorded:
// deployments.jsonl 39).
func (s *Server) rockInstanceDeployments(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	inst, err := rockMust(r.Context(), s.db, rkInstance, id)
	if err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "deployments", "name = ?", "updated_at DESC, id ASC", shapeDeployment, inst["name"])
}

// instanceCluster is an instance with its env's namespace and its cluster's
// kubeconfig.
type instanceCluster struct {
	inst       record
	namespace  string
	kubeconfig string
}

// rockInstanceCluster finds the instance {id}, its env and its cluster.
func (s *Server) rockInstanceCluster(r *http.Request) (*instanceCluster, error) {
	id, err := rockPathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	inst, err := rockMust(ctx, s.db, rkInstance, id)
	if err != nil {
		return nil, err
	}
	env, err := rockMust(ctx, s.db, rkEnv, asInt64(inst["env_id"]))
	if err != nil {
		return nil, err
	}
	cluster, err := rockMust(ctx, s.db, rkCluster, asInt64(env["cluster_id"]))
	if err != nil {
		return nil, err
	}
	return &instanceCluster{inst: inst, namespace: asString(env["namespace"]), kubeconfig: asString(cluster["config"])}, nil
}

// instanceSelector is the label query of an instance's objects.
func instanceSelector(ic *instanceCluster) string {
	return "?labelSelector=" + url.QueryEscape("app.kubernetes.io/instance="+asString(ic.inst["name"]))
}

func nsPath(group, ns string) string { return group + "/namespaces/" + url.PathEscape(ns) }

// GET /v1/instances/{id}/pods: the instance's pods (by label), grouped by
// namespace.
func (s *Server) rockInstancePods(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	ic, err := s.rockInstanceCluster(r)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.kubeGet(r.Context(), ic.kubeconfig, nsPath("/api/v1", ic.namespace)+"/pods"+instanceSelector(ic))
	if err != nil {
		return 0, nil, rockKubeError(err, "pods", "")
	}
	var list struct{ Items []kubePod }
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, nil, rockPanic(struct{}{})
	}
	byNS := map[string][]any{}
	var order []string
	for i := range list.Items {
		p := &list.Items[i]
		if _, ok := byNS[p.Metadata.Namespace]; !ok {
			order = append(order, p.Metadata.Namespace)
		}
		byNS[p.Metadata.Namespace] = append(byNS[p.Metadata.Namespace], p.answer())
	}
	out := []any{}
	for _, ns := range order {
		out = append(out, map[string]any{"namespace": ns, "pods": byNS[ns]})
	}
	return 200, out, nil
}

// GET /v1/instances/{id}/configs: every entry of the instance's config maps
// (by label) as {name, content}.
func (s *Server) rockInstanceConfigs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	ic, err := s.rockInstanceCluster(r)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.kubeGet(r.Context(), ic.kubeconfig, nsPath("/api/v1", ic.namespace)+"/configmaps"+instanceSelector(ic))
	if err != nil {
		return 0, nil, rockKubeError(err, "configmaps", "")
	}
	var list struct {
		Items []struct{ Data map[string]string }
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, nil, rockPanic(struct{}{})
	}
	out := []any{}
	for _, cm := range list.Items {
		keys := make([]string, 0, len(cm.Data))
		for k := range cm.Data {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, map[string]any{"name": k, "content": cm.Data[k]})
		}
	}
	return 200, out, nil
}

// GET /v1/instances/{id}/logs?pod=&container=: the container's last 5000
// lines (at most 1 MiB), read raw: a refusal is client-go's generic error
// naming the pod (recorded: deployments.jsonl 44).
func (s *Server) rockInstanceLogs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	ic, err := s.rockInstanceCluster(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockInstanceLogForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	pod, container := str(in, "pod"), str(in, "container")
	q := url.Values{"container": {container}, "limitBytes": {"1048576"}, "tailLines": {"5000"}}
	body, err := s.kubeGet(r.Context(), ic.kubeconfig, nsPath("/api/v1", asString(ic.inst["env_namespace"]))+"/pods/"+url.PathEscape(pod)+"/log?"+q.Encode())
	if err != nil {
		return 0, nil, rockKubeRawError(err, "pods", pod)
	}
	return 200, map[string]any{"pod_name": pod, "container_name": container, "content": string(body)}, nil
}

// rockScalePath asks the API server its version (a raw call: a refusal is
// client-go's generic error, recorded: deployments.jsonl 42-43) and returns
// the scale subresource of the instance's chart's Deployment in the API
// group that version serves.
func (s *Server) rockScalePath(r *http.Request, ic *instanceCluster) (string, error) {
	body, err := s.kubeGet(r.Context(), ic.kubeconfig, "/version")
	if err != nil {
		return "", rockKubeRawError(err, "", "")
	}
	var v struct{ Major, Minor, GitVersion string }
	if err := json.Unmarshal(body, &v); err != nil {
		return "", rockPanic(struct{}{})
	}
	major, err := strconv.Atoi(v.Major)
	if err != nil {
		return "", rockPanic(err)
	}
	minor, err := strconv.Atoi(v.Minor)
	if err != nil {
		return "", rockPanic(err)
	}
	group := ""
	switch {
	case major == 1 && minor < 16:
		group = "/apis/extensions/v1beta1"
	case major == 1 && minor > 16:
		group = "/apis/apps/v1"
	default:
		return "", rockErrorf(404, 40400013, "Not found this K8S version %v", v.GitVersion)
	}
	return nsPath(group, ic.namespace) + "/deployments/" + url.PathEscape(asString(ic.inst["chart_name"])) + "/scale", nil
}

// GET /v1/instances/{id}/scale: the replicas of the instance's Deployment.
func (s *Server) rockGetScale(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	ic, err := s.rockInstanceCluster(r)
	if err != nil {
		return 0, nil, err
	}
	path, err := s.rockScalePath(r, ic)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.kubeGet(r.Context(), ic.kubeconfig, path)
	if err != nil {
		return 0, nil, rockKubeError(err, "deployments", asString(ic.inst["chart_name"]))
	}
	return scaleAnswer(body)
}

// PUT /v1/instances/{id}/scale {number}: sets the replicas.
func (s *Server) rockPutScale(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	ic, err := s.rockInstanceCluster(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockScaleForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	path, err := s.rockScalePath(r, ic)
	if err != nil {
		return 0, nil, err
	}
	chart := asString(ic.inst["chart_name"])
	scale := map[string]any{"kind": "Scale", "metadata": map[string]any{"name": chart, "namespace": ic.namespace},
		"spec": map[string]any{"replicas": num(in, "number")}}
	body, err := s.kubeDo(r.Context(), ic.kubeconfig, http.MethodPut, path, scale)
	if err != nil {
		return 0, nil, rockKubeError(err, "deployments", chart)
	}
	return scaleAnswer(body)
}

// scaleAnswer is the replicas of a Scale object. (Only refusals were
// recorded: this shape is the reference server's.)
func scaleAnswer(body []byte) (int, any, error) {
	var sc struct{ Spec struct{ Replicas int64 } }
	if err := json.Unmarshal(body, &sc); err != nil {
		return 0, nil, rockPanic(struct{}{})
	}
	return 200, map[string]any{"number": sc.Spec.Replicas}, nil
}

// kubePod is the part of a Kubernetes Pod the pods answer is made of.
type kubePod struct {
	Metadata struct{ Name, Namespace string }
	Spec     struct {
		Containers    []struct{ Name, Image string }
		RestartPolicy string
		DNSPolicy     string
		NodeName      string
		HostNetwork   bool
	}
	Status struct {
		HostIP            string
		StartTime         *time.Time
		ContainerStatuses []struct {
			Ready bool
			State struct{ Waiting *struct{ Reason string } }
		}
	}
}

// answer is the pod as the re-implementation answers it: the status is the
// waiting reason of the first container not ready, else "Running"; pod_ip
// is the host's IP.
func (p *kubePod) answer() map[string]any {
	status := "Running"
	for _, c := range p.Status.ContainerStatuses {
		if !c.Ready && c.State.Waiting != nil {
			status = c.State.Waiting.Reason
			break
		}
	}
	containers := []any{}
	for _, c := range p.Spec.Containers {
		containers = append(containers, map[string]any{"name": c.Name, "image": c.Image})
	}
	start := time.Time{}
	if p.Status.StartTime != nil {
		start = *p.Status.StartTime
	}
	return map[string]any{"name": p.Metadata.Name, "containers": containers, "restart_policy": p.Spec.RestartPolicy,
		"dns_policy": p.Spec.DNSPolicy, "node_name": p.Spec.NodeName, "host_network": p.Spec.HostNetwork,
		"status": status, "pod_ip": p.Status.HostIP, "start_time": start.Format(time.RFC3339)}
}
