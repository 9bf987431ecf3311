package refserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// The rock dialect's handlers of clusters and envs.

var (
	rockClusterForm = &rform{name: "CreateClusterReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "config", goName: "Config", required: true},
	}}
	rockClusterUpdateForm = &rform{name: "UpdateClusterReq", fields: []rfield{
		{json: "description", goName: "Description", max: 100},
		{json: "config", goName: "Config", required: true},
	}}
	rockEnvForm = &rform{name: "CreateEnvReq", fields: []rfield{
		{json: "namespace", goName: "Namespace", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "cluster_id", goName: "ClusterId", isInt: true, required: true, min: 1},
	}}
)

// kubeHealth lists the nodes of the cluster a kubeconfig points at, as the
// re-implementation's IsK8sHealth does.
func (s *Server) kubeHealth(ctx context.Context, kubeconfig string) error {
	_, err := s.kubeGet(ctx, kubeconfig, "/api/v1/nodes")
	return err
}

// kubeStatus is an answer of an API server other than 200: its Status
// object, which the re-implementation passes on as {"ErrStatus": ...}.
type kubeStatus struct {
	code   int
	status map[string]any
}

func (e *kubeStatus) Error() string { return fmt.Sprintf("API server answered %d", e.code) }

// kubeGet reads path from the API server a kubeconfig points at.
func (s *Server) kubeGet(ctx context.Context, kubeconfig, path string) ([]byte, error) {
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return nil, err
	}
	cfg.Timeout = s.kubeTimeout
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	host := cfg.Host
	if !strings.Contains(host, "://") {
		host = "https://" + host
	}
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(host, "/")+path, nil) //nolint:gosec // the cluster's own API server, which the re-implementation calls too
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req) //nolint:gosec // as above
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		st := map[string]any{}
		_ = json.Unmarshal(body, &st)
		return nil, &kubeStatus{resp.StatusCode, st}
	}
	return body, nil
}

var rockBadKubeconfig = rockErrorf(400, 40000019, "the k8s config is not correct, please check it")

// POST /v1/clusters {name, description, config}: the kubeconfig must reach
// an API server that lists its nodes. The answer never has config.
func (s *Server) rockCreateCluster(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockClusterForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.kubeHealth(ctx, str(in, "config")); err != nil {
		s.log.Warn("rock: use k8s config request failed", "err", err)
		return 0, nil, rockBadKubeconfig
	}
	name := str(in, "name")
	if err := s.rockExists(ctx, "clusters", "name = ?", rockErrorf(400, 40000018, "Cluster with name(%v) already exists", name), name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "clusters", map[string]any{"name": name, "description": str(in, "description"), "config": str(in, "config")}, shapeCluster)
}

// PUT /v1/clusters/{id} {description, config}: name is ignored; the
// re-implementation calls the API server but drops the error it gets.
func (s *Server) rockUpdateCluster(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockClusterUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.kubeHealth(ctx, str(in, "config")); err != nil {
		s.log.Warn("rock: use k8s config request failed (ignored on update, as the re-implementation does)", "err", err)
	}
	if _, err := rockMust(ctx, s.db, rkCluster, id); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkCluster, id, map[string]any{"description": str(in, "description"), "config": str(in, "config")}, shapeCluster)
}

func (s *Server) rockClusterEnvs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkCluster, id); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "envs", "cluster_id = ?", "updated_at DESC", shapeEnv, id)
}

func (s *Server) rockCreateEnv(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockEnvForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	cid, ns := num(in, "cluster_id"), str(in, "namespace")
	if _, err := rockMust(ctx, s.db, rkCluster, cid); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000020, "Cluster with name(%v) cluster_id(%v) already exists", ns, cid) // sic: the namespace as "name"
	if err := s.rockExists(ctx, "envs", "cluster_id = ? AND namespace = ?", dup, cid, ns); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "envs", map[string]any{"namespace": ns, "description": str(in, "description"), "cluster_id": cid}, shapeEnv)
}
