package refserver

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// The rock dialect's handlers of deployments and instances.

var rockDeploymentForm = &rform{name: "CreateDeploymentReq", fields: []rfield{
	{json: "description", goName: "Description", max: 250},
	{json: "chart_name", goName: "ChartName", required: true},
	{json: "chart_version", goName: "ChartVersion", required: true},
	{json: "project_env_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
	{json: "app_id", goName: "AppId", isInt: true, required: true, min: 1},
}}

var rockInstanceForm = &rform{name: "InstancePaginationReq", fields: append(append([]rfield(nil), rockPageForm.fields...),
	rfield{json: "cluster", goName: "Cluster"},
	rfield{json: "project", goName: "Project"},
	rfield{json: "app_id", goName: "AppId", isInt: true, omitempty: true, min: 1},
)}

// POST /v1/deployments: an unknown app or project-env answers 404; an app
// without a config for the project-env deploys with no values (recorded:
// deployments.jsonl 11-14); the cluster's Tiller must answer (else 500
// 50000005 and no row is written: deployments.jsonl 55, 57); the deployment
// row is written before Helm runs and stays when Helm fails (500 50000006);
// on success the instance of the
// release is created or updated (keeping the app_id and env_id it was
// created with).
func (s *Server) rockCreateDeployment(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockDeploymentForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	appID, peID := num(in, "app_id"), num(in, "project_env_id")
	chartName, chartVersion := str(in, "chart_name"), str(in, "chart_version")
	if err := s.rockAppAndPE(ctx, appID, peID); err != nil {
		return 0, nil, err
	}
	conf, _, err := rockFind(ctx, s.db, "app_confs", "app_id = ? AND project_env_id = ?", appID, peID)
	if err != nil {
		return 0, nil, err
	}
	pe, err := rockMust(ctx, s.db, rkProjectEnv, peID)
	if err != nil {
		return 0, nil, err
	}
	env, err := rockMust(ctx, s.db, rkEnv, asInt64(pe["env_id"]))
	if err != nil {
		return 0, nil, err
	}
	if err := s.rockPingTiller(asInt64(env["cluster_id"])); err != nil {
		return 0, nil, err
	}
	ns := asString(env["namespace"])
	release := releaseName(chartName, ns)
	depID, err := rockInsert(ctx, s.db, "deployments", map[string]any{"name": release, "description": str(in, "description"),
		"chart_name": chartName, "chart_version": chartVersion, "app_id": appID, "env_id": env["id"]})
	if err != nil {
		return 0, nil, err
	}
	cluster, err := rockMust(ctx, s.db, rkCluster, asInt64(env["cluster_id"]))
	if err != nil {
		return 0, nil, err
	}
	project, err := rockMust(ctx, s.db, rkProject, asInt64(pe["project_id"]))
	if err != nil {
		return 0, nil, err
	}
	inst, installed, err := rockFind(ctx, s.db, "instances", "cluster_name = ? AND env_namespace = ? AND project_name = ? AND name = ?",
		cluster["name"], ns, project["name"], release)
	if err != nil {
		return 0, nil, err
	}
	rel, err := s.rockHelm(ctx, chartName, chartVersion, release, ns, asString(conf["config"]), asString(cluster["config"]), installed)
	if err != nil {
		return 0, nil, err
	}
	rel.InstanceID, rel.DeploymentID = asInt64(inst["id"]), depID
	if installed {
		err = rockUpdate(ctx, s.db, "instances", rel.InstanceID, map[string]any{"last_deployment": depID, "chart_name": chartName, "chart_version": chartVersion})
	} else {
		rel.InstanceID, err = rockInsert(ctx, s.db, "instances", map[string]any{"cluster_name": cluster["name"], "env_namespace": ns,
			"project_name": project["name"], "name": release, "chart_name": chartName, "chart_version": chartVersion,
			"last_deployment": depID, "app_id": appID, "env_id": env["id"]})
	}
	if err != nil {
		return 0, nil, err
	}
	s.releases.record(rel)
	dep, err := rockMust(ctx, s.db, rkDeployment, depID)
	if err != nil {
		return 0, nil, err
	}
	return 201, pick(dep, shapeDeployment...), nil
}

// rockHelm runs `helm upgrade --install <release>
// <repo>/charts/<chart>-<version>.tgz -f values --namespace <ns>`: it
// fetches the archive from the chart repository and installs it into the
// cluster of kubeconfig (Options.Install) or only renders it, and returns
// what the release is now made of (kept for the test-only route).
func (s *Server) rockHelm(ctx context.Context, chartName, chartVersion, release, ns, values, kubeconfig string, upgrade bool) (*Release, error) {
	fail := func(msg string) (*Release, error) {
		return nil, rockErrorf(500, 50000006, "Error occurred when helm install chart: %s", msg)
	}
	archive, err := s.charts.Archive(ctx, chartName, chartVersion)
	if err != nil {
		url := s.charts.BaseURL + "/charts/" + chartrepo.FileName(chartName, chartVersion)
		if ce, ok := err.(*chartrepo.Error); ok {
			return fail(fmt.Sprintf("Error: failed to fetch %s : %d %s\n", url, ce.Status, http.StatusText(ce.Status)))
		}
		return fail(fmt.Sprintf("Error: failed to fetch %s : %v\n", url, err))
	}
	if s.install {
		done, err := s.helmInstall(ctx, kubeconfig, archive, release, ns, values)
		if err != nil {
			if upgrade {
				return fail(fmt.Sprintf("Error: UPGRADE FAILED: %v\n", err))
			}
			return fail(fmt.Sprintf("Error: release %s failed: %v\n", release, err))
		}
		return &Release{Name: release, Values: values, Manifest: done.manifest}, nil
	}
	files, err := helmRender(archive, release, ns, values, upgrade)
	if err != nil {
		if upgrade {
			return fail(fmt.Sprintf("Error: UPGRADE FAILED: %v\n", err))
		}
		return fail(fmt.Sprintf("Error: release %s failed: %v\n", release, err))
	}
	return newRelease(release, values, files), nil
}

// PUT /v1/deployments/{id}: chart, version, app and project-env required;
// the row is changed, nothing is deployed.
func (s *Server) rockUpdateDeployment(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockDeploymentForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkDeployment, id); err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkApp, num(in, "app_id")); err != nil {
		return 0, nil, err
	}
	pe, err := rockMust(ctx, s.db, rkProjectEnv, num(in, "project_env_id"))
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkEnv, asInt64(pe["env_id"])); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkDeployment, id, map[string]any{"app_id": num(in, "app_id"), "env_id": pe["env_id"],
		"chart_name": str(in, "chart_name"), "chart_version": str(in, "chart_version"), "description": str(in, "description")}, shapeDeployment)
}

// shapeInstanceItem is an instance as the lists answer it: without
// last_deployment, app_id and env_id, which only GET /v1/instances/{id}
// answers (shapeInstanceID; recorded: deployments.jsonl 27, 34, 36).
var shapeInstanceItem = without(shapeInstance, "last_deployment")

// rockInstanceOrder is the lists' order: the most recently updated first,
// ties in id order (recorded: deployments.jsonl 27, 29, 35).
const rockInstanceOrder = "updated_at DESC, id ASC"

// without returns shape less the names given.
func without(shape []string, names ...string) []string {
	out := []string{}
	for _, k := range shape {
		if !slices.Contains(names, k) {
			out = append(out, k)
		}
	}
	return out
}

// GET /v1/instances: query_field (name), cluster, project and app_id;
// env_id and name are ignored (deployments.jsonl 29-33).
func (s *Server) rockListInstances(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockInstanceForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	where, args := "name LIKE ?", []any{like(pg)}
	if v := str(pg, "cluster"); v != "" {
		where, args = where+" AND cluster_name = ?", append(args, v)
	}
	if v := str(pg, "project"); v != "" {
		where, args = where+" AND project_name = ?", append(args, v)
	}
	if v := num(pg, "app_id"); v != 0 {
		where, args = where+" AND app_id = ?", append(args, v)
	}
	return s.rockPage(r.Context(), pg, "instances", where, rockInstanceOrder, shapeInstanceItem, args...)
}

// GET /v1/apps/{id}/instances: an unknown app has none (apps.jsonl 35).
func (s *Server) rockAppInstances(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "instances", "app_id = ?", rockInstanceOrder, shapeInstanceItem, id)
}
