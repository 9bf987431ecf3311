package refserver

import "net/http"

// The rock dialect's handlers of projects and project-envs.

var (
	rockProjectForm = &rform{name: "CreateProjectReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", max: 100},
	}}
	rockProjectEnvForm = &rform{name: "CreateProjectEnvReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "env_id", goName: "EnvId", isInt: true, required: true, min: 1},
		{json: "description", goName: "Description", max: 100},
	}}
	rockPEIDForm = &rform{name: "ProjectIdAndEnvIdReq", fields: []rfield{
		{json: "id", goName: "Id", isInt: true, required: true, min: 1},
		{json: "pe_id", goName: "ProjectEnvId", isInt: true, required: true, min: 1},
	}}
	rockPEUpdateForm = descriptionForm("UpdateProjectEnvReq")
)

func (s *Server) rockCreateProject(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockProjectForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx, name := r.Context(), str(in, "name")
	if err := s.rockExists(ctx, "projects", "name = ?", rockErrorf(400, 40000015, "Project with name(%v) already exists", name), name); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "projects", map[string]any{"name": name, "description": str(in, "description")}, shapeProject)
}

// GET /v1/projects/{id}/apps.
func (s *Server) rockProjectApps(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkProject, id); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "apps", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeApp, id, like(pg))
}

// POST /v1/projects/{id}/project-envs {name, env_id, description}: a
// duplicate is the same (name, project, env).
func (s *Server) rockCreateProjectEnv(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pid, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockProjectEnvForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	envID, name := num(in, "env_id"), str(in, "name")
	if _, err := rockMust(ctx, s.db, rkEnv, envID); err != nil {
		return 0, nil, err
	}
	dup := rockErrorf(400, 40000022, "ProjectEnv with name(%v) project_id(%v) env_id(%v) already exists", name, pid, envID)
	if err := s.rockExists(ctx, "project_envs", "name = ? AND project_id = ? AND env_id = ?", dup, name, pid, envID); err != nil {
		return 0, nil, err
	}
	return s.rockCreated(ctx, 201, "project_envs", map[string]any{"name": name, "description": str(in, "description"),
		"env_id": envID, "project_id": pid}, shapeProjectEnv)
}

func (s *Server) rockListProjectEnvs(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	pid, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(r.Context(), s.db, rkProject, pid); err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "project_envs", "project_id = ? AND name LIKE ?", "updated_at DESC", shapeProjectEnv, pid, like(pg))
}

// rockProjectEnv binds {id} and {pe_id} and passes on the project-env's id:
// the project id in the path is never looked at.
func (s *Server) rockProjectEnv(h func(r *http.Request, peID int64) (int, any, error)) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		in, err := rockPEIDForm.bindURI(r)
		if err != nil {
			return 0, nil, err
		}
		return h(r, num(in, "pe_id"))
	}
}

func (s *Server) rockGetProjectEnv(r *http.Request, peID int64) (int, any, error) {
	rec, err := rockMust(r.Context(), s.db, rkProjectEnv, peID)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shapeProjectEnv...), nil
}

func (s *Server) rockUpdateProjectEnv(r *http.Request, peID int64) (int, any, error) {
	in, err := rockPEUpdateForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockSetDescription(r.Context(), rkProjectEnv, peID, str(in, "description"), shapeProjectEnv)
}

// rockDeleteProjectEnv refuses while app configs use the project-env (412).
func (s *Server) rockDeleteProjectEnv(r *http.Request, peID int64) (int, any, error) {
	ctx := r.Context()
	if _, err := rockMust(ctx, s.db, rkProjectEnv, peID); err != nil {
		return 0, nil, err
	}
	inUse := rockErrorf(412, 41200008, "ProjectEnv(%v) has app configs, please delete the app configs first", peID)
	if err := s.rockExists(ctx, "app_confs", "project_env_id = ?", inUse, peID); err != nil {
		return 0, nil, err
	}
	return 204, nil, rockSoftDelete(ctx, s.db, "project_envs", "id = ?", peID)
}
