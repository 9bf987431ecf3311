package refserver

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// Deployment statuses. A synchronous deployment is recorded as success only.
const (
	statusPending = "pending"
	statusRunning = "running"
	statusSuccess = "success"
	statusFailure = "failure"
)

// target is where a deployment goes, resolved from app and project-env.
type target struct {
	appID, peID, envID int64
	project, cluster   string
	namespace, config  string
	kubeconfig         string // the cluster's ("" when it has none)
}

func loadTarget(ctx context.Context, q querier, appID, peID int64) (*target, error) {
	app, err := getRecord(ctx, q, appsSpec, appID, nil)
	if err != nil {
		return nil, err
	}
	pe, err := getRecord(ctx, q, projectEnvsSpec, peID, nil)
	if err != nil {
		return nil, err
	}
	if asInt64(app["project_id"]) != asInt64(pe["project_id"]) {
		return nil, errf(400, codeInvalid, "project-env %d belongs to another project than app %d", peID, appID)
	}
	env, err := getRecord(ctx, q, envsSpec, asInt64(pe["env_id"]), nil)
	if err != nil {
		return nil, err
	}
	t := &target{appID: appID, peID: peID, envID: asInt64(env["id"]), namespace: asString(env["namespace"])}
	err = q.QueryRowContext(ctx, `SELECT (SELECT name FROM projects WHERE id = ?), (SELECT name FROM clusters WHERE id = ?),
		COALESCE((SELECT config FROM app_configs WHERE app_id = ? AND project_env_id = ?), ''),
		(SELECT config FROM clusters WHERE id = ?)`,
		app["project_id"], env["cluster_id"], appID, peID, env["cluster_id"]).Scan(&t.project, &t.cluster, &t.config, &t.kubeconfig)
	return t, err
}

func helmError(err error) error { return errf(500, codeHelm, "%s", err.Error()) }

// render does `helm upgrade --install` into the cluster (Options.Install,
// for a cluster with a kubeconfig) or what it does before talking to the
// cluster: load the chart, merge the app's values and render the templates.
// Any failure is Helm's own message as a 500 with error_code 50000006. It
// returns what the release is now made of (kept for a test-only route).
func (s *Server) render(ctx context.Context, q querier, t *target, chartName, chartVersion string) (*Release, error) {
	archive, err := s.chartArchive(ctx, chartName, chartVersion)
	if err != nil {
		return nil, err
	}
	release := releaseName(chartName, t.namespace)
	var installed int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM instances WHERE cluster_name = ? AND env_namespace = ? AND project_name = ? AND name = ?`,
		t.cluster, t.namespace, t.project, release).Scan(&installed); err != nil {
		return nil, err
	}
	if s.install && t.kubeconfig != "" {
		done, err := s.helmInstall(ctx, t.kubeconfig, archive, release, t.namespace, t.config)
		if err != nil {
			return nil, helmError(err)
		}
		return &Release{Name: release, Values: t.config, Manifest: done.manifest}, nil
	}
	files, err := helmRender(archive, release, t.namespace, t.config, installed > 0)
	if err != nil {
		return nil, helmError(err)
	}
	return newRelease(release, t.config, files), nil
}

// chartArchive downloads a chart version from the chart repository; a
// missing chart or version is a Helm failure, as it is for helm upgrade.
func (s *Server) chartArchive(ctx context.Context, chartName, chartVersion string) ([]byte, error) {
	archive, err := s.charts.Archive(ctx, chartName, chartVersion)
	if chartrepo.StatusOf(err) == http.StatusNotFound {
		if _, _, verr := s.charts.Versions(ctx, chartName); chartrepo.StatusOf(verr) == http.StatusNotFound {
			return nil, errf(500, codeHelm, "chart %q not found in galaxias repository", chartName)
		}
		return nil, errf(500, codeHelm, "chart %q version %q not found in galaxias repository", chartName, chartVersion)
	}
	if err != nil {
		return nil, repoError(err)
	}
	return archive, nil
}

// helmRender does what `helm upgrade --install` does before talking to the
// cluster: load the chart, merge the values and render the templates of the
// release, and returns the rendered files. Its error is Helm's own.
func helmRender(archive []byte, release, namespace, values string, upgrade bool) (map[string]string, error) {
	ch, err := loader.LoadArchive(bytes.NewReader(archive))
	if err != nil {
		return nil, err
	}
	vals, err := chartutil.ReadValues([]byte(values))
	if err != nil {
		return nil, err
	}
	if err := chartutil.ValidateReleaseName(release); err != nil {
		return nil, err
	}
	revision := 1
	if upgrade {
		revision = 2
	}
	opts := chartutil.ReleaseOptions{Name: release, Namespace: namespace, Revision: revision, IsInstall: !upgrade, IsUpgrade: upgrade}
	rv, err := chartutil.ToRenderValues(ch, vals, opts, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	return engine.Render(ch, rv)
}

// releaseName is the Helm release of a chart in a namespace (evidenced).
func releaseName(chart, namespace string) string { return chart + "-" + namespace }

// upsertInstance records what now runs for the release and returns the
// instance's id.
func upsertInstance(ctx context.Context, q querier, t *target, depID int64, chartName, chartVersion string) (int64, error) {
	ts := now()
	_, err := q.ExecContext(ctx, `INSERT INTO instances (cluster_name, env_namespace, project_name, name, chart_name, chart_version,
			last_deployment, app_id, env_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (cluster_name, env_namespace, project_name, name) DO UPDATE SET chart_name = excluded.chart_name,
			chart_version = excluded.chart_version, last_deployment = excluded.last_deployment, app_id = excluded.app_id,
			env_id = excluded.env_id, updated_at = excluded.updated_at, version = version + 1`,
		t.cluster, t.namespace, t.project, releaseName(chartName, t.namespace), chartName, chartVersion, depID, t.appID, t.envID, ts, ts)
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.QueryRowContext(ctx, `SELECT id FROM instances WHERE cluster_name = ? AND env_namespace = ? AND project_name = ? AND name = ?`,
		t.cluster, t.namespace, t.project, releaseName(chartName, t.namespace)).Scan(&id)
	return id, err
}

// createDeployment: POST /v1/deployments. Synchronous by default: 201 with
// the deployment, written together with the instance in one transaction, or
// 500/50000006 writing nothing. In async mode: 202 with status pending.
func (s *Server) createDeployment(r *http.Request, _ *user) (int, any, error) {
	var in struct {
		AppID        flexID `json:"app_id"`
		ProjectEnvID flexID `json:"project_env_id"`
		ChartName    string `json:"chart_name"`
		ChartVersion string `json:"chart_version"`
		Description  string `json:"description"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.AppID <= 0 || in.ProjectEnvID <= 0 || in.ChartName == "" || in.ChartVersion == "" {
		return 0, nil, errf(400, codeInvalid, "app_id, project_env_id, chart_name and chart_version are required")
	}
	if _, err := semver.NewVersion(in.ChartVersion); err != nil {
		return 0, nil, errf(400, codeBadVersion, "chart_version %q is not a valid SemVer version", in.ChartVersion)
	}
	ctx := r.Context()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	t, err := loadTarget(ctx, tx, int64(in.AppID), int64(in.ProjectEnvID))
	if err != nil {
		return 0, nil, err
	}
	async, d := s.asyncMode()
	status := statusSuccess
	var rel *Release
	if async {
		status = statusPending
	} else if rel, err = s.render(ctx, tx, t, in.ChartName, in.ChartVersion); err != nil {
		return 0, nil, err
	}
	id, err := insert(ctx, tx, deploymentsSpec, map[string]any{
		"name": releaseName(in.ChartName, t.namespace), "description": in.Description,
		"chart_name": in.ChartName, "chart_version": in.ChartVersion,
		"app_id": t.appID, "env_id": t.envID, "project_env_id": t.peID, "status": status,
	})
	if err != nil {
		return 0, nil, err
	}
	if !async {
		if rel.InstanceID, err = upsertInstance(ctx, tx, t, id, in.ChartName, in.ChartVersion); err != nil {
			return 0, nil, err
		}
		rel.DeploymentID = id
	}
	rec, err := getRecord(ctx, tx, deploymentsSpec, id, nil)
	if err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	s.releases.record(rel)
	if async {
		s.finishLater(id, d)
		return 202, rec, nil
	}
	return 201, rec, nil
}

// finishLater moves an async deployment to running after half of d and to
// its final status after d. It stops (leaving the row as it is) when the
// server closes; New resumes unfinished deployments.
func (s *Server) finishLater(id int64, d time.Duration) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if !s.sleep(d / 2) {
			return
		}
		ctx := context.Background()
		if _, err := s.db.ExecContext(ctx, `UPDATE deployments SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = ?`,
			statusRunning, now(), id, statusPending); err != nil {
			s.log.Error("async deployment", "id", id, "err", err)
			return
		}
		if !s.sleep(d - d/2) {
			return
		}
		if err := s.finish(ctx, id); err != nil {
			s.log.Error("async deployment", "id", id, "err", err)
		}
	}()
}

func (s *Server) sleep(d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-s.stop:
		return false
	}
}

// finish renders an async deployment and records success (with the
// instance) or failure (with Helm's message).
func (s *Server) finish(ctx context.Context, id int64) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer rollback(tx)
	dep, err := getRecord(ctx, tx, deploymentsSpec, id, nil)
	if err != nil {
		return nil // deleted meanwhile
	}
	if st := dep["status"]; st != statusPending && st != statusRunning {
		return nil
	}
	chartName, chartVersion := asString(dep["chart_name"]), asString(dep["chart_version"])
	status, msg := statusSuccess, ""
	var rel *Release
	t, err := loadTarget(ctx, tx, asInt64(dep["app_id"]), asInt64(dep["project_env_id"]))
	if err == nil {
		rel, err = s.render(ctx, tx, t, chartName, chartVersion)
	}
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		status, msg = statusFailure, ae.msg
	case err != nil:
		return err
	default:
		if rel.InstanceID, err = upsertInstance(ctx, tx, t, id, chartName, chartVersion); err != nil {
			return err
		}
		rel.DeploymentID = id
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deployments SET status = ?, message = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		status, msg, now(), id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if status == statusSuccess {
		s.releases.record(rel)
	}
	return nil
}

// resumeDeployments restarts the background work of async deployments that
// were unfinished when the server stopped.
func (s *Server) resumeDeployments(ctx context.Context) error {
	recs, err := queryRecords(ctx, s.db, `SELECT id FROM deployments WHERE status IN (?, ?) ORDER BY id`, statusPending, statusRunning)
	if err != nil {
		return err
	}
	_, d := s.asyncMode()
	for _, rec := range recs {
		s.finishLater(asInt64(rec["id"]), d)
	}
	return nil
}

// removeInstance: DELETE /v1/instances/{id}. With Options.Install the
// release is uninstalled from its cluster first (when the cluster has a
// kubeconfig); a failure is Helm's message as a 500 with error_code
// 50000006 and the instance stays.
func (s *Server) removeInstance(r *http.Request, u *user) (int, any, error) {
	if s.install {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var release, namespace, kubeconfig string
		err = s.db.QueryRowContext(r.Context(), `SELECT i.name, e.namespace, c.config FROM instances i
			JOIN envs e ON e.id = i.env_id JOIN clusters c ON c.id = e.cluster_id WHERE i.id = ?`, id).Scan(&release, &namespace, &kubeconfig)
		switch {
		case errors.Is(err, sql.ErrNoRows): // no such instance (s.remove answers), or its env or cluster is gone
		case err != nil:
			return 0, nil, err
		case kubeconfig != "":
			if err := s.helmUninstall(kubeconfig, release, namespace); err != nil {
				return 0, nil, helmError(err)
			}
		}
	}
	return s.remove(r, u, instancesSpec, nil)
}
