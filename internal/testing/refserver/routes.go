package refserver

import (
	"context"
	"database/sql"
	"net/http"
)

// The resources. Codes for "not found" are 404000NN, one per resource.
var (
	usersSpec = &spec{
		name: "user", table: "users", codeNF: 40400002, fq: "name",
		out: []string{"name", "email", "role"},
		fields: []field{
			{name: "name", required: true},
			{name: "email", mutable: true},
			{name: "password", required: true},
			{name: "role"},
		},
		conflict: "a user with this name already exists",
		prepare:  prepareUser,
		beforeDelete: func(u *user, id int64) error {
			if u.ID == id {
				return errf(409, codeInUse, "you cannot delete your own user")
			}
			return nil
		},
	}
	projectsSpec = &spec{
		name: "project", table: "projects", codeNF: 40400003, fq: "name",
		out: []string{"name", "description"},
		fields: []field{
			{name: "name", required: true, mutable: true},
			{name: "description", mutable: true},
		},
		conflict: "a project with this name already exists",
		inUse:    []ref{{"apps", "project_id", "apps"}, {"project_envs", "project_id", "project-envs"}},
	}
	clustersSpec = &spec{
		name: "cluster", table: "clusters", codeNF: 40400004, fq: "name",
		out: []string{"name", "description", "config"},
		fields: []field{
			{name: "name", required: true, mutable: true},
			{name: "description", mutable: true},
			{name: "config", mutable: true},
		},
		conflict: "a cluster with this name already exists",
		inUse:    []ref{{"envs", "cluster_id", "envs"}},
		view: func(u *user, rec record) { // the kubeconfig is for infrastructure admins only
			if !infra.has(u.Role) {
				rec["config"] = ""
			}
		},
	}
	envsSpec = &spec{
		name: "env", table: "envs", codeNF: 40400005, fq: "namespace",
		out: []string{"cluster_id", "namespace", "description"},
		fields: []field{
			{name: "cluster_id", kind: kID, required: true, ref: clustersSpec},
			{name: "namespace", required: true, check: checkNamespace},
			{name: "description", mutable: true},
		},
		filters:  map[string]string{"cluster_id": "cluster_id"},
		conflict: "an env for this namespace already exists in this cluster",
		inUse:    []ref{{"project_envs", "env_id", "project-envs"}, {"instances", "env_id", "instances"}},
	}
	projectEnvsSpec = &spec{
		name: "project-env", table: "project_envs", codeNF: 40400006, fq: "name",
		out: []string{"project_id", "env_id", "name", "description"},
		fields: []field{
			{name: "env_id", kind: kID, required: true, ref: envsSpec},
			{name: "name", mutable: true},
			{name: "description", mutable: true},
		},
		filters:  map[string]string{"project_id": "project_id", "env_id": "env_id"},
		conflict: "this env is already bound to this project",
		cascade:  []ref{{"app_configs", "project_env_id", ""}},
		prepare:  prepareProjectEnv,
	}
	appsSpec = &spec{
		name: "app", table: "apps", codeNF: 40400007, fq: "name",
		out: []string{"project_id", "name", "full_name", "owner", "description", "gitlab_address", "gitlab_project_id", "drone_repo_id"},
		fields: []field{
			{name: "name", required: true},
			{name: "project_id", kind: kID, required: true, ref: projectsSpec},
			{name: "full_name", mutable: true},
			{name: "owner", mutable: true},
			{name: "description", mutable: true},
			{name: "gitlab_address", mutable: true},
			{name: "gitlab_project_id", kind: kInt, mutable: true},
			{name: "drone_repo_id", kind: kInt, mutable: true},
		},
		filters:  map[string]string{"project_id": "project_id"},
		conflict: "an app with this name already exists in this project",
		inUse:    []ref{{"instances", "app_id", "instances"}},
		cascade:  []ref{{"app_configs", "app_id", ""}, {"deployments", "app_id", ""}},
		prepare: func(_ context.Context, _ *sql.Tx, u *user, vals map[string]any, create bool) error {
			if create && asString(vals["owner"]) == "" {
				vals["owner"] = u.Name
			}
			return nil
		},
	}
	appConfigsSpec = &spec{
		name: "app config", table: "app_configs", codeNF: 40400008,
		out: []string{"app_id", "project_env_id", "config"},
	}
	chartsSpec = &spec{
		name: "chart", table: "charts", codeNF: 40400009, fq: "name",
		out:     []string{"name", "chart_version", "app_version", "description", "digest", "size"},
		filters: map[string]string{"name": "name"},
	}
	deploymentsSpec = &spec{
		name: "deployment", table: "deployments", codeNF: 40400010, fq: "name",
		out:    []string{"name", "description", "chart_name", "chart_version", "app_id", "env_id", "project_env_id", "status", "message"},
		fields: []field{{name: "description", mutable: true}},
		filters: map[string]string{"app_id": "app_id", "env_id": "env_id", "project_env_id": "project_env_id",
			"chart_name": "chart_name", "chart_version": "chart_version", "status": "status"},
		inUse: []ref{{"instances", "last_deployment", "instances (as their last deployment)"}},
	}
	instancesSpec = &spec{
		name: "instance", table: "instances", codeNF: 40400011, fq: "name",
		out: []string{"cluster_name", "env_namespace", "project_name", "name", "chart_name", "chart_version", "last_deployment", "app_id", "env_id"},
		filters: map[string]string{"app_id": "app_id", "env_id": "env_id", "cluster": "cluster_name",
			"project": "project_name", "name": "name", "chart_name": "chart_name"},
	}
)

// prepareProjectEnv names a new project-env "<cluster>-<namespace>" unless a
// name is given, like the platform's UI labels.
func prepareProjectEnv(ctx context.Context, tx *sql.Tx, _ *user, vals map[string]any, create bool) error {
	if !create || asString(vals["name"]) != "" {
		return nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT c.name || '-' || e.namespace FROM envs e JOIN clusters c ON c.id = e.cluster_id WHERE e.id = ?`,
		vals["env_id"]).Scan(&name)
	vals["name"] = name
	return err
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.handlePublic("GET /health", func(http.ResponseWriter, *http.Request) (int, any, error) {
		return 200, map[string]string{"status": "ok"}, nil
	})
	s.handlePublic("POST /v1/auth/login", s.login)

	s.crud("/v1/users", usersSpec, adminOnly, adminOnly, nil, "")
	s.handle("PUT /v1/users/{id}/password", adminOnly, s.setPassword)
	s.handle("PUT /v1/users/{id}/roles", adminOnly, s.setRole)

	s.crud("/v1/projects", projectsSpec, anyRole, infra, nil, "")
	s.subList("/v1/projects/{id}/apps", appsSpec, projectsSpec, "project_id")
	s.crud("/v1/projects/{pid}/project-envs", projectEnvsSpec, anyRole, infra, projectsSpec, "project_id")
	s.handle("GET /v1/project-envs", anyRole, s.plain(s.list, projectEnvsSpec))
	s.handle("GET /v1/project-envs/{id}", anyRole, s.plain(s.get, projectEnvsSpec))

	s.crud("/v1/clusters", clustersSpec, anyRole, infra, nil, "")
	s.subList("/v1/clusters/{id}/envs", envsSpec, clustersSpec, "cluster_id")
	s.crud("/v1/envs", envsSpec, anyRole, infra, nil, "")

	s.crud("/v1/apps", appsSpec, anyRole, builders, nil, "")
	s.subList("/v1/apps/{id}/instances", instancesSpec, appsSpec, "app_id")
	s.handle("GET /v1/apps/{id}/charts", anyRole, s.synced(s.appCharts))
	s.handle("GET /v1/apps/{id}/config", anyRole, s.getConfig)
	s.handle("PUT /v1/apps/{id}/config", builders, s.putConfig)
	s.handle("DELETE /v1/apps/{id}/config", builders, s.deleteConfig)

	s.handle("POST /v1/charts", builders, s.uploadChart)
	s.handle("GET /v1/charts", anyRole, s.synced(s.plain(s.list, chartsSpec)))
	s.handle("GET /v1/charts/{name}", anyRole, s.synced(s.chartVersions))
	s.handle("GET /v1/charts/{name}/{version}", anyRole, s.synced(s.getChart))
	s.handle("DELETE /v1/charts/{name}/{version}", builders, s.synced(s.deleteChart))

	s.handle("POST /v1/deployments", deployers, s.createDeployment)
	s.handle("GET /v1/deployments", anyRole, s.plain(s.list, deploymentsSpec))
	s.handle("GET /v1/deployments/{id}", anyRole, s.plain(s.get, deploymentsSpec))
	s.handle("PUT /v1/deployments/{id}", deployers, s.plain(s.update, deploymentsSpec))
	s.handle("DELETE /v1/deployments/{id}", deployers, s.plain(s.remove, deploymentsSpec))

	s.handle("GET /v1/instances", anyRole, s.plain(s.list, instancesSpec))
	s.handle("GET /v1/instances/{id}", anyRole, s.plain(s.get, instancesSpec))
	s.handle("DELETE /v1/instances/{id}", deployers, s.removeInstance)

	s.handle("GET /v1/_test/config", adminOnly, s.getTestConfig)
	s.handle("PUT /v1/_test/config", adminOnly, s.putTestConfig)
	s.handle("GET /v1/_test/requests", adminOnly, s.getRequests)
	s.handle("GET /v1/_test/instances/{id}/release", adminOnly, s.getRelease)

	s.handlePublic("/", func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		return 0, nil, errf(404, codeNoRoute, "no route %s %s", r.Method, r.URL.Path)
	})
}

// plain adapts a generic operation on sp without a parent scope.
func (s *Server) plain(f func(*http.Request, *user, *spec, map[string]any) (int, any, error), sp *spec) handlerFunc {
	return func(r *http.Request, u *user) (int, any, error) { return f(r, u, sp, nil) }
}

// crud registers the five standard routes of sp under base. parent, if set,
// is the spec of the {pid} path value that scopes every row through column.
func (s *Server) crud(base string, sp *spec, read, write roles, parent *spec, column string) {
	type op func(*http.Request, *user, *spec, map[string]any) (int, any, error)
	wrap := func(f op) handlerFunc {
		return func(r *http.Request, u *user) (int, any, error) {
			scope, err := s.parentScope(r, parent, "pid", column)
			if err != nil {
				return 0, nil, err
			}
			return f(r, u, sp, scope)
		}
	}
	s.handle("POST "+base, write, wrap(s.create))
	s.handle("GET "+base, read, wrap(s.list))
	s.handle("GET "+base+"/{id}", read, wrap(s.get))
	s.handle("PUT "+base+"/{id}", write, wrap(s.update))
	s.handle("DELETE "+base+"/{id}", write, wrap(s.remove))
}

// subList registers GET pattern listing rows of sp whose column equals the
// {id} of the parent (404 if the parent does not exist).
func (s *Server) subList(pattern string, sp, parent *spec, column string) {
	s.handle("GET "+pattern, anyRole, func(r *http.Request, u *user) (int, any, error) {
		scope, err := s.parentScope(r, parent, "id", column)
		if err != nil {
			return 0, nil, err
		}
		return s.list(r, u, sp, scope)
	})
}

func (s *Server) parentScope(r *http.Request, parent *spec, param, column string) (map[string]any, error) {
	if parent == nil {
		return nil, nil
	}
	pid, err := pathID(r, param)
	if err != nil {
		return nil, err
	}
	if _, err := getRecord(r.Context(), s.db, parent, pid, nil); err != nil {
		return nil, err
	}
	return map[string]any{column: pid}, nil
}
