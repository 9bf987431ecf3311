package refserver

import (
	"context"
	"net/http"
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
