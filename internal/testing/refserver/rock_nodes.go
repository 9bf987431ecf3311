package refserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// kubeNode is the part of a Kubernetes Node the answer is made of.
type kubeNode struct {
	Metadata struct {
		Name              string            `json:"name"`
		UID               string            `json:"uid"`
		Labels            map[string]string `json:"labels"`
		Annotations       map[string]string `json:"annotations"`
		CreationTimestamp time.Time         `json:"creationTimestamp"`
	} `json:"metadata"`
	Spec struct {
		PodCIDR       string `json:"podCIDR"`
		Unschedulable bool   `json:"unschedulable"`
	} `json:"spec"`
	Status struct {
		NodeInfo struct {
			KernelVersion           string `json:"kernelVersion"`
			OSImage                 string `json:"osImage"`
			OperatingSystem         string `json:"operatingSystem"`
			Architecture            string `json:"architecture"`
			ContainerRuntimeVersion string `json:"containerRuntimeVersion"`
		} `json:"nodeInfo"`
		Addresses []struct {
			Type    string `json:"type"`
			Address string `json:"address"`
		} `json:"addresses"`
	} `json:"status"`
}

// The rock dialect's node routes: the nodes of a cluster, read from its API
// server with the cluster's kubeconfig and re-encoded as the
// re-implementation's node struct.

// rockNode is a node as the re-implementation answers it. labels and
// annotations are lists ("key=value"; only empty lists were recorded).
func rockNode(n *kubeNode) map[string]any {
	md, info := &n.Metadata, &n.Status.NodeInfo
	out := map[string]any{"name": md.Name, "uid": md.UID, "labels": keyValues(md.Labels), "annotations": keyValues(md.Annotations),
		"pod_cidr": n.Spec.PodCIDR, "unschedulable": n.Spec.Unschedulable, "kernel_version": info.KernelVersion,
		"os_image": info.OSImage, "os": info.OperatingSystem, "architecture": info.Architecture,
		"container_run_time_version": info.ContainerRuntimeVersion, "internal_ip": "", "hostname": "",
		"created_at": md.CreationTimestamp.UTC().Format(time.RFC3339)}
	for _, a := range n.Status.Addresses {
		switch a.Type {
		case "InternalIP":
			out["internal_ip"] = a.Address
		case "Hostname":
			out["hostname"] = a.Address
		}
	}
	return out
}

func keyValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// GET /v1/clusters/{id}/nodes: a bare array of nodes.
func (s *Server) rockClusterNodes(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	cluster, err := s.rockPathCluster(r)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.kubeGet(r.Context(), asString(cluster["config"]), "/api/v1/nodes")
	if err != nil {
		return 0, nil, rockKubeError(err, "nodes", "")
	}
	var list struct{ Items []kubeNode }
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, nil, rockPanic(struct{}{})
	}
	out := make([]map[string]any, 0, len(list.Items))
	for i := range list.Items {
		out = append(out, rockNode(&list.Items[i]))
	}
	return 200, out, nil
}

// GET /v1/clusters/{id}/nodes/{name}: one node.
func (s *Server) rockClusterNode(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	cluster, err := s.rockPathCluster(r)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.kubeGet(r.Context(), asString(cluster["config"]), "/api/v1/nodes/"+url.PathEscape(r.PathValue("name")))
	if err != nil {
		return 0, nil, rockKubeError(err, "nodes", r.PathValue("name"))
	}
	var n kubeNode
	if err := json.Unmarshal(body, &n); err != nil {
		return 0, nil, rockPanic(struct{}{})
	}
	return 200, rockNode(&n), nil
}

// GET /v1/nodes: the re-implementation lists the nodes of the cluster named
// in its own configuration file; the reference server has none, so the
// list is empty (as the recording's, whose configured cluster had none).
func (s *Server) rockNodes(_ http.ResponseWriter, _ *http.Request, _ *rockCaller) (int, any, error) {
	return 200, []any{}, nil
}

func (s *Server) rockPathCluster(r *http.Request) (record, error) {
	id, err := rockPathID(r)
	if err != nil {
		return nil, err
	}
	return rockMust(r.Context(), s.db, rkCluster, id)
}
