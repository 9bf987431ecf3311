package refserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// Charts live in a ChartMuseum-compatible repository (Options.ChartRepo, or
// one embedded in the data directory), as on the platform, where the
// pipeline pushes them to ChartMuseum. The charts table only gives each
// version a stable id and its record fields: syncCharts makes it mirror the
// repository before every chart read.

// repoError is a failure of the chart repository itself.
func repoError(err error) error {
	return errf(502, codeChartRepo, "chart repository: %v", err)
}

// syncCharts inserts a row for every chart version in the repository that
// has none, and deletes the rows of versions the repository no longer has.
func (s *Server) syncCharts(ctx context.Context) error {
	all, err := s.charts.All(ctx)
	if err != nil {
		return repoError(err)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer rollback(tx)
	rows, err := queryRecords(ctx, tx, `SELECT id, name, chart_version, digest FROM charts`)
	if err != nil {
		return err
	}
	have := map[string]record{}
	for _, r := range rows {
		have[asString(r["name"])+"\x00"+asString(r["chart_version"])] = r
	}
	for name, versions := range all {
		for _, cv := range versions {
			key := name + "\x00" + cv.Version
			if r, ok := have[key]; ok && asString(r["digest"]) == cv.Digest {
				delete(have, key)
				continue
			} else if ok {
				if _, err := tx.ExecContext(ctx, `DELETE FROM charts WHERE id = ?`, r["id"]); err != nil {
					return err
				}
				delete(have, key)
			}
			data, err := s.charts.Archive(ctx, name, cv.Version)
			if err != nil {
				return repoError(err)
			}
			created := cv.Created.UTC().Format(timeLayout)
			if cv.Created.IsZero() {
				created = now()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO charts (name, chart_version, app_version, description, digest, size, archive, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, x'', ?, ?)`, name, cv.Version, cv.AppVersion, cv.Description, cv.Digest, len(data), created, created); err != nil {
				return err
			}
		}
	}
	for _, r := range have {
		if _, err := tx.ExecContext(ctx, `DELETE FROM charts WHERE id = ?`, r["id"]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// synced runs a chart read after syncCharts.
func (s *Server) synced(h handlerFunc) handlerFunc {
	return func(r *http.Request, u *user) (int, any, error) {
		if err := s.syncCharts(r.Context()); err != nil {
			return 0, nil, err
		}
		return h(r, u)
	}
}

// uploadChart: POST /v1/charts with the .tgz as the raw body or as the
// multipart form field "chart" (the two ways ChartMuseum accepts). The
// archive is checked with Helm's loader and pushed to the chart repository.
func (s *Server) uploadChart(r *http.Request, _ *user) (int, any, error) {
	data, err := chartBody(r)
	if err != nil {
		return 0, nil, err
	}
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return 0, nil, errf(400, codeBadChart, "invalid chart archive: %v", err)
	}
	md := ch.Metadata
	ctx := r.Context()
	if err := s.charts.Upload(ctx, data); chartrepo.StatusOf(err) == http.StatusConflict {
		return 0, nil, errf(409, codeChartExists, "chart %s version %s already exists", md.Name, md.Version)
	} else if err != nil {
		return 0, nil, repoError(err)
	}
	if err := s.syncCharts(ctx); err != nil {
		return 0, nil, err
	}
	r.SetPathValue("name", md.Name)
	r.SetPathValue("version", md.Version)
	rec, err := s.findChart(r)
	if err != nil {
		return 0, nil, err
	}
	return 201, rec, nil
}

func chartBody(r *http.Request) ([]byte, error) {
	var in io.Reader = r.Body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, errf(400, codeBadChart, "invalid multipart body: %v", err)
		}
		for in = nil; in == nil; {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, errf(400, codeBadChart, `multipart upload needs the form field "chart"`)
			}
			if err != nil {
				return nil, bodyReadError(err)
			}
			if part.FormName() == "chart" {
				in = part
			}
		}
	}
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, bodyReadError(err)
	}
	if len(data) == 0 {
		return nil, errf(400, codeBadChart, "the chart archive is empty")
	}
	return data, nil
}

// chartVersions: GET /v1/charts/{name}, 404 if no version exists.
func (s *Server) chartVersions(r *http.Request, u *user) (int, any, error) {
	status, v, err := s.list(r, u, chartsSpec, map[string]any{"name": r.PathValue("name")})
	if err == nil && v.(page).Total == 0 {
		return 0, nil, errf(404, chartsSpec.codeNF, "chart %s not found", r.PathValue("name"))
	}
	return status, v, err
}

// appCharts: GET /v1/apps/{id}/charts — the charts named like the app.
func (s *Server) appCharts(r *http.Request, u *user) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	app, err := getRecord(r.Context(), s.db, appsSpec, id, nil)
	if err != nil {
		return 0, nil, err
	}
	return s.list(r, u, chartsSpec, map[string]any{"name": app["name"]})
}

func (s *Server) findChart(r *http.Request) (record, error) {
	name, version := r.PathValue("name"), r.PathValue("version")
	recs, err := queryRecords(r.Context(), s.db, `SELECT `+chartsSpec.columns()+` FROM charts WHERE name = ? AND chart_version = ?`, name, version)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errf(404, chartsSpec.codeNF, "chart %s version %s not found", name, version)
	}
	return recs[0], nil
}

// getChart: GET /v1/charts/{name}/{version}.
func (s *Server) getChart(r *http.Request, _ *user) (int, any, error) {
	rec, err := s.findChart(r)
	if err != nil {
		return 0, nil, err
	}
	return 200, rec, nil
}

// deleteChart: DELETE /v1/charts/{name}/{version}, deleting the version
// from the chart repository.
func (s *Server) deleteChart(r *http.Request, _ *user) (int, any, error) {
	rec, err := s.findChart(r)
	if err != nil {
		return 0, nil, err
	}
	if err := s.charts.Delete(r.Context(), asString(rec["name"]), asString(rec["chart_version"])); err != nil && chartrepo.StatusOf(err) != http.StatusNotFound {
		return 0, nil, repoError(err)
	}
	_, err = s.db.ExecContext(r.Context(), `DELETE FROM charts WHERE id = ?`, rec["id"])
	return 204, nil, err
}

// getConfig: GET /v1/apps/{id}/config?pe_id=.
func (s *Server) getConfig(r *http.Request, _ *user) (int, any, error) {
	rec, err := s.findConfig(r)
	if err != nil {
		return 0, nil, err
	}
	return 200, rec, nil
}

// deleteConfig: DELETE /v1/apps/{id}/config?pe_id=.
func (s *Server) deleteConfig(r *http.Request, _ *user) (int, any, error) {
	rec, err := s.findConfig(r)
	if err != nil {
		return 0, nil, err
	}
	_, err = s.db.ExecContext(r.Context(), `DELETE FROM app_configs WHERE id = ?`, rec["id"])
	return 204, nil, err
}

func (s *Server) findConfig(r *http.Request) (record, error) {
	appID, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	peID, err := queryID(r, "pe_id")
	if err != nil {
		return nil, err
	}
	if peID == 0 {
		return nil, errf(400, codeBadQuery, "query parameter pe_id is required")
	}
	if err := s.checkAppPE(r, s.db, appID, peID); err != nil {
		return nil, err
	}
	recs, err := queryRecords(r.Context(), s.db, `SELECT `+appConfigsSpec.columns()+` FROM app_configs WHERE app_id = ? AND project_env_id = ?`, appID, peID)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errf(404, appConfigsSpec.codeNF, "app %d has no config for project-env %d", appID, peID)
	}
	return recs[0], nil
}

// checkAppPE answers 404 for an unknown app or project-env, and 400 when the
// project-env belongs to another project than the app.
func (s *Server) checkAppPE(r *http.Request, q querier, appID, peID int64) error {
	app, err := getRecord(r.Context(), q, appsSpec, appID, nil)
	if err != nil {
		return err
	}
	pe, err := getRecord(r.Context(), q, projectEnvsSpec, peID, nil)
	if err != nil {
		return err
	}
	if asInt64(app["project_id"]) != asInt64(pe["project_id"]) {
		return errf(400, codeInvalid, "project-env %d belongs to another project than app %d", peID, appID)
	}
	return nil
}

// putConfig: PUT /v1/apps/{id}/config {project_env_id, config}. The config
// must be valid YAML (Helm values); it is created or replaced.
func (s *Server) putConfig(r *http.Request, _ *user) (int, any, error) {
	appID, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		ProjectEnvID flexID  `json:"project_env_id"`
		Config       *string `json:"config"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.ProjectEnvID <= 0 || in.Config == nil {
		return 0, nil, errf(400, codeInvalid, "project_env_id and config are required")
	}
	if _, err := chartutil.ReadValues([]byte(*in.Config)); err != nil {
		return 0, nil, errf(400, codeInvalid, "config is not valid YAML values: %v", err)
	}
	ctx := r.Context()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	if err := s.checkAppPE(r, tx, appID, int64(in.ProjectEnvID)); err != nil {
		return 0, nil, err
	}
	t := now()
	_, err = tx.ExecContext(ctx, `INSERT INTO app_configs (app_id, project_env_id, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (app_id, project_env_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, version = version + 1`,
		appID, int64(in.ProjectEnvID), *in.Config, t, t)
	if err != nil {
		return 0, nil, err
	}
	recs, err := queryRecords(ctx, tx, `SELECT `+appConfigsSpec.columns()+` FROM app_configs WHERE app_id = ? AND project_env_id = ?`, appID, int64(in.ProjectEnvID))
	if err != nil {
		return 0, nil, err
	}
	return 200, recs[0], tx.Commit()
}

// BuildChart packs files (paths relative to the chart root, e.g. "Chart.yaml",
// "templates/cm.yaml") into a chart archive named name/ inside the .tgz, as
// helm package does. For tests.
func BuildChart(name string, files map[string]string) ([]byte, error) {
	return chartrepo.Package(name, files)
}

// TestChart is a small valid chart: a ConfigMap whose data needs
// .Values.replicaCount (fails with "replicaCount is required" when it is
// null) and shows .Values.image.tag, and a Deployment of the release's name
// with .Values.replicaCount replicas of the image
// registry.example.com/<chart>:<.Values.image.tag>, labelled with the chart
// version (what a test reads in the API server after an install).
func TestChart(name, version string) []byte {
	b, err := BuildChart(name, map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: \"1.0\"\ndescription: test chart\n",
		"values.yaml": "replicaCount: 1\nimage:\n  tag: latest\n",
		"templates/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
data:
  replicas: {{ required "replicaCount is required" .Values.replicaCount | quote }}
  tag: {{ .Values.image.tag | quote }}
`,
		"templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/version: {{ .Chart.Version | quote }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      containers:
        - name: app
          image: "registry.example.com/{{ .Chart.Name }}:{{ .Values.image.tag }}"
`,
	})
	if err != nil {
		panic(err)
	}
	return b
}
