package refserver

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"time"

	"helm.sh/helm/v3/pkg/repo"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// The rock dialect's handlers of charts (read from the chart repository).

// rockChartEntry is a ChartMuseum entry as the re-implementation re-encodes
// it (its ChartVersion struct).
func rockChartEntry(cv *repo.ChartVersion) map[string]any {
	out := map[string]any{"name": "", "version": "", "description": "", "keywords": nil, "maintainers": nil,
		"apiVersion": "", "appVersion": "", "urls": cv.URLs, "created": cv.Created.Format(time.RFC3339Nano), "digest": cv.Digest}
	if md := cv.Metadata; md != nil {
		out["name"], out["version"], out["description"] = md.Name, md.Version, md.Description
		out["apiVersion"], out["appVersion"] = md.APIVersion, md.AppVersion
		if md.Keywords != nil {
			out["keywords"] = md.Keywords
		}
		if md.Maintainers != nil {
			var ms []map[string]string
			for _, m := range md.Maintainers {
				ms = append(ms, map[string]string{"name": m.Name, "email": m.Email})
			}
			out["maintainers"] = ms
		}
	}
	return out
}

func rockChartEntries(vs repo.ChartVersions) []map[string]any {
	out := make([]map[string]any, 0, len(vs))
	for _, cv := range vs {
		out = append(out, rockChartEntry(cv))
	}
	return out
}

// rockRepoError passes a chart repository's error on: its status, code
// status*100000+1 and its body as the message.
func rockRepoError(err error) error {
	if ce, ok := err.(*chartrepo.Error); ok {
		return rockErrorf(ce.Status, ce.Status*100000+1, "%s", ce.Body)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// A transport error, marshalled as Go marshals the *url.Error:
		// {"Op", "URL", "Err": {the net.OpError...}}.
		return rockPanic(ue)
	}
	return rockPanic(struct{}{}) // any other plain Go error value
}

var rockChartForm = &rform{name: "ChartReq", fields: []rfield{{json: "name", goName: "Name", required: true}}}

// GET /v1/charts: [{name, version: [entries]}].
func (s *Server) rockAllCharts(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	all, err := s.charts.All(r.Context())
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "version": rockChartEntries(all[n])})
	}
	return 200, out, nil
}

func (s *Server) rockVersions(ctx context.Context, name string) (int, any, error) {
	vs, _, err := s.charts.Versions(ctx, name)
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 200, rockChartEntries(vs), nil
}

// GET /v1/charts/{name}: a bare array of entries.
func (s *Server) rockChartVersions(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockChartForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockVersions(r.Context(), str(in, "name"))
}

// GET /v1/apps/{id}/charts: the versions of the chart named like the app.
func (s *Server) rockAppCharts(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	app, err := rockMust(r.Context(), s.db, rkApp, id)
	if err != nil {
		return 0, nil, err
	}
	return s.rockVersions(r.Context(), asString(app["name"]))
}

// GET /v1/charts/{name}/versions/{version}: one entry.
func (s *Server) rockChartVersion(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	cv, _, err := s.charts.Version(r.Context(), r.PathValue("name"), r.PathValue("version"))
	if err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 200, rockChartEntry(cv), nil
}

// DELETE /v1/charts/{name}/versions/{version}: deleted from the repository.
func (s *Server) rockDeleteChartVersion(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	if err := s.charts.Delete(r.Context(), r.PathValue("name"), r.PathValue("version")); err != nil {
		return 0, nil, rockRepoError(err)
	}
	return 204, nil, nil
}
