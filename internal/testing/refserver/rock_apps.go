package refserver

import (
	"context"
	"net/http"

	"helm.sh/helm/v3/pkg/chartutil"
)

// The rock dialect's handlers of apps and app configs.

var (
	rockAppForm = &rform{name: "CreateAppReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
		{json: "project_id", goName: "ProjectId", isInt: true, required: true, min: 1},
		{json: "gitlab_project_id", goName: "GitlabProjectId", isInt: true, omitempty: true, min: 1},
	}}
	rockAppsPageForm = &rform{name: "GetAppsPaginationReq", fields: append(append([]rfield(nil), rockPageForm.fields...),
		rfield{json: "id", goName: "Id", isInt: true, required: true, min: 1})}
	rockAppUpdateForm = descriptionForm("UpdateAppReq")
	rockConfForm      = &rform{name: "UpdateAppConfReq", fields: []rfield{
		{json: "project_env_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
		{json: "config", goName: "Config", required: true},
	}}
	rockPEQueryForm = &rform{name: "AppProjectEnvIdReq", fields: []rfield{{json: "pe_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1}}}
)

// POST /v1/apps {name, project_id, description, gitlab_project_id?}:
// full_name, owner, gitlab_address and drone_repo_id come only from a
// GitLab project synchronised through Drone.
func (s *Server) rockCreateApp(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockAppForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	if num(in, "gitlab_project_id") != 0 {
		// The re-implementation reads the GitLab project with the caller's
		// GitLab token, which no user of this server can have.
		return 0, nil, rockNoGitlabToken
	}
	ctx := r.Context()
	pid, name := num(in, "project_id"), str(in, "name")
	if _, err := rockMust(ctx, s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000017, "App with name(%v) in project_id(%v) already exists", name, pid)
	if err := s.rockExists(ctx, "apps", "project_id = ? AND name = ?", dup, pid, name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "apps", map[string]any{"name": name, "description": str(in, "description"), "project_id": pid}, shapeApp)
}

// GET /v1/apps?id=<project id>&page_num&page_size[&query_field].
func (s *Server) rockListApps(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pg, err := rockAppsPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	pid := num(pg, "id")
	if _, err := rockMust(r.Context(), s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "apps", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeApp, pid, like(pg))
}

// PUT /v1/apps/{id} {description}: answered as a role record (no project_id).
func (s *Server) rockUpdateApp(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockAppUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockSetDescription(r.Context(), rkApp, id, str(in, "description"), shapeBrief)
}

// rockAppAndPE checks that the app and the project-env exist (in that order).
func (s *Server) rockAppAndPE(ctx context.Context, appID, peID int64) error {
	if _, err := rockMust(ctx, s.db, rkApp, appID); err != nil {
		return err
	}
	_, err := rockMust(ctx, s.db, rkProjectEnv, peID)
	return err
}

func (s *Server) rockFindConfig(ctx context.Context, appID, peID int64) (record, error) {
	if err := s.rockAppAndPE(ctx, appID, peID); err != nil {
		return nil, err
	}
	rec, ok, err := rockFind(ctx, s.db, "app_confs", "app_id = ? AND project_env_id = ?", appID, peID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rockErrorf(404, 40400014, "App(ID: %v)'s config under project(ID: %v) was not found", appID, peID)
	}
	return rec, nil
}

// GET /v1/apps/{id}/config?pe_id=.
func (s *Server) rockGetConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	q, err := rockPEQueryForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	rec, err := s.rockFindConfig(r.Context(), id, num(q, "pe_id"))
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeAppConf...), nil
}

// PUT /v1/apps/{id}/config {project_env_id, config}: created or updated.
func (s *Server) rockPutConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockConfForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	cfg, peID := str(in, "config"), num(in, "project_env_id")
	if _, err := chartutil.ReadValues([]byte(cfg)); err != nil {
		return 0, nil, rockErrorf(400, 40000024, "Config content isn't a valid yaml string")
	}
	ctx := r.Context()
	if err := s.rockAppAndPE(ctx, id, peID); err != nil {
		return 0, nil, err
	}
	rec, ok, err := rockFind(ctx, s.db, "app_confs", "app_id = ? AND project_env_id = ?", id, peID)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return s.rockCreated(ctx, 200, "app_confs", map[string]any{"app_id": id, "project_env_id": peID, "config": cfg}, shapeAppConf)
	}
	if err := rockUpdate(ctx, s.db, "app_confs", asInt64(rec["id"]), map[string]any{"config": cfg}); err != nil {
		return 0, nil, err
	}
	rec, err = s.rockFindConfig(ctx, id, peID)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeAppConf...), nil
}

// DELETE /v1/apps/{id}/config?pe_id=: after checking that the app and the
// project-env exist, the re-implementation deletes with a gorm struct whose
// fields are not a key, so every app config of every app goes.
func (s *Server) rockDeleteConfig(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	q, err := rockPEQueryForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if err := s.rockAppAndPE(ctx, id, num(q, "pe_id")); err != nil {
		return 0, nil, err
	}
	return 204, nil, rockSoftDelete(ctx, s.db, "app_confs", "1 = 1")
}

// rockNoGitlabToken refuses what needs the caller's GitLab access token
// (set through PUT /v1/users/{id}/access, which needs a GitLab server).
var rockNoGitlabToken = rockErrorf(412, 41200001, "Please set gitlab access token first")

// PUT /v1/apps/{id}/gitlab, GET /v1/apps/{id}/builds: refused for want of
// the caller's GitLab token.
func (s *Server) rockNoGitlabAccess(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	if _, err := rockPathID(r); err != nil {
		return 0, nil, err
	}
	return 0, nil, rockNoGitlabToken
}

// GET /v1/apps/{id}/branches and /tags: an app without a GitLab project
// (every app of this server) is refused with 404.
func (s *Server) rockAppGitlab(what string) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := rockMust(r.Context(), s.db, rkApp, id); err != nil {
			return 0, nil, err
		}
		return 0, nil, rockErrorf(404, 40400010, "App(%d) can't get gitlab project %s info because app haven't associated gitlab project correctly", id, what)
	}
}
