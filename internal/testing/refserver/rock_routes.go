package refserver

import (
	"io"
	"net/http"
)

func (s *Server) rockRoutes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	})
	s.mux.HandleFunc("POST /v1/auth/login", s.rockLogin)
	s.rockHandle("POST /v1/auth/logout", false, s.rockLogout)
	s.mux.HandleFunc("POST /v1/auth/reset", s.rockReset)
	s.mux.HandleFunc("PUT /v1/auth/pwd", s.rockResetPwd)

	s.rockHandle("POST /v1/users", true, s.rockCreateUser)
	// users by name descending, the rest by updated_at descending
	s.rockHandle("GET /v1/users", true, s.rockList(rockUserPageForm, "users", "name LIKE ?", "name DESC", shapeUser, true))
	s.rockHandle("GET /v1/users/{id}", false, s.rockGetUser)
	s.rockHandle("DELETE /v1/users/{id}", true, s.rockDeleteUser)
	s.rockHandle("PUT /v1/users/{id}/password", false, s.rockSetPassword)
	s.rockHandle("PUT /v1/users/{id}/roles", true, s.rockSetRole)
	s.rockHandle("PUT /v1/users/{id}/access", false, s.rockSetAccess)
	s.rockHandle("GET /v1/roles", true, s.rockList(rockPageForm, "roles", "name LIKE ?", "id", shapeBrief, true))
	s.rockHandle("GET /v1/roles/{id}", true, s.rockGet(rkRole, shapeBrief))
	s.rockHandle("POST /v1/roles", true, s.rockCreateRole)
	s.rockHandle("PUT /v1/roles/{id}", true, s.rockUpdateRole)
	s.rockHandle("DELETE /v1/roles/{id}", true, s.rockDelete(rkRole))
	s.rockHandle("GET /v1/roles/{id}/users", true, s.rockRoleUsers)

	s.rockHandle("POST /v1/projects", true, s.rockCreateProject)
	s.rockHandle("GET /v1/projects", false, s.rockList(rockPageForm, "projects", "name LIKE ?", "updated_at DESC", shapeProject, true))
	s.rockHandle("GET /v1/projects/{id}", false, s.rockGet(rkProject, shapeProject))
	s.rockHandle("PUT /v1/projects/{id}", true, s.rockDescribe(rkProject, shapeProject, "UpdateProjectReq"))
	s.rockHandle("DELETE /v1/projects/{id}", true, s.rockDelete(rkProject))
	s.rockHandle("GET /v1/projects/{id}/apps", false, s.rockProjectApps)
	s.rockHandle("POST /v1/projects/{id}/project-envs", true, s.rockCreateProjectEnv)
	s.rockHandle("GET /v1/projects/{id}/project-envs", false, s.rockListProjectEnvs)
	s.rockHandle("GET /v1/projects/{id}/project-envs/{pe_id}", false, s.rockProjectEnv(s.rockGetProjectEnv))
	s.rockHandle("PUT /v1/projects/{id}/project-envs/{pe_id}", true, s.rockProjectEnv(s.rockUpdateProjectEnv))
	s.rockHandle("DELETE /v1/projects/{id}/project-envs/{pe_id}", true, s.rockProjectEnv(s.rockDeleteProjectEnv))

	s.rockHandle("POST /v1/clusters", true, s.rockCreateCluster)
	s.rockHandle("GET /v1/clusters", false, s.rockList(rockPageForm, "clusters", "name LIKE ?", "updated_at DESC", shapeCluster, true))
	s.rockHandle("GET /v1/clusters/{id}", false, s.rockGet(rkCluster, shapeCluster))
	s.rockHandle("PUT /v1/clusters/{id}", true, s.rockUpdateCluster)
	s.rockHandle("DELETE /v1/clusters/{id}", true, s.rockDelete(rkCluster))
	s.rockHandle("GET /v1/clusters/{id}/envs", false, s.rockClusterEnvs)
	s.rockHandle("GET /v1/clusters/{id}/nodes", false, s.rockClusterNodes)
	s.rockHandle("GET /v1/clusters/{id}/nodes/{name}", false, s.rockClusterNode)
	s.rockHandle("GET /v1/nodes", false, s.rockNodes)

	s.rockHandle("POST /v1/envs", false, s.rockCreateEnv)
	s.rockHandle("GET /v1/envs", false, s.rockList(rockPageForm, "envs", "1 = 1", "updated_at DESC", shapeEnv, false)) // no search, no filter
	s.rockHandle("GET /v1/envs/{id}", false, s.rockGet(rkEnv, shapeEnv))
	s.rockHandle("PUT /v1/envs/{id}", false, s.rockDescribe(rkEnv, shapeEnv, "UpdateEnvReq"))
	s.rockHandle("DELETE /v1/envs/{id}", false, s.rockDelete(rkEnv))

	s.rockHandle("POST /v1/apps", false, s.rockCreateApp)
	s.rockHandle("GET /v1/apps", false, s.rockListApps)
	s.rockHandle("GET /v1/apps/{id}", false, s.rockGet(rkApp, shapeApp))
	s.rockHandle("PUT /v1/apps/{id}", false, s.rockUpdateApp)
	s.rockHandle("DELETE /v1/apps/{id}", false, s.rockDelete(rkApp))
	s.rockHandle("GET /v1/apps/{id}/charts", false, s.rockAppCharts)
	s.rockHandle("GET /v1/apps/{id}/instances", false, s.rockAppInstances)
	s.rockHandle("GET /v1/apps/{id}/config", false, s.rockGetConfig)
	s.rockHandle("PUT /v1/apps/{id}/config", false, s.rockPutConfig)
	s.rockHandle("DELETE /v1/apps/{id}/config", false, s.rockDeleteConfig)
	s.rockHandle("PUT /v1/apps/{id}/gitlab", false, s.rockNoGitlabAccess)
	s.rockHandle("GET /v1/apps/{id}/builds", false, s.rockNoGitlabAccess)
	s.rockHandle("GET /v1/apps/{id}/branches", false, s.rockAppGitlab("branch"))
	s.rockHandle("GET /v1/apps/{id}/tags", false, s.rockAppGitlab("tag"))

	s.rockHandle("GET /v1/charts", false, s.rockAllCharts)
	s.rockHandle("GET /v1/charts/{name}", false, s.rockChartVersions)
	s.rockHandle("GET /v1/charts/{name}/versions/{version}", false, s.rockChartVersion)
	s.rockHandle("DELETE /v1/charts/{name}/versions/{version}", false, s.rockDeleteChartVersion)

	s.rockHandle("POST /v1/deployments", false, s.rockCreateDeployment)
	s.rockHandle("GET /v1/deployments", false, s.rockList(rockPageForm, "deployments", "1 = 1", "updated_at DESC", shapeDeployment, false)) // every filter ignored
	s.rockHandle("GET /v1/deployments/{id}", false, s.rockGet(rkDeployment, shapeDeployment))
	s.rockHandle("PUT /v1/deployments/{id}", false, s.rockUpdateDeployment)
	s.rockHandle("DELETE /v1/deployments/{id}", false, s.rockDelete(rkDeployment))

	s.rockHandle("GET /v1/instances", false, s.rockListInstances)
	s.rockHandle("GET /v1/instances/{id}", false, s.rockGet(rkInstance, shapeInstanceID))
	s.rockHandle("DELETE /v1/instances/{id}", false, s.rockDeleteInstance)
	s.rockHandle("GET /v1/instances/{id}/deployments", false, s.rockInstanceDeployments)
	s.rockHandle("GET /v1/instances/{id}/pods", false, s.rockInstancePods)
	s.rockHandle("GET /v1/instances/{id}/configs", false, s.rockInstanceConfigs)
	s.rockHandle("GET /v1/instances/{id}/scale", false, s.rockGetScale)
	s.rockHandle("PUT /v1/instances/{id}/scale", false, s.rockPutScale)
	s.rockHandle("GET /v1/instances/{id}/logs", false, s.rockInstanceLogs)

	// Test-only switches (faults), as in the contract dialect.
	s.rockHandle("GET /v1/_test/config", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getTestConfig(r, nil)
	})
	s.rockHandle("PUT /v1/_test/config", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.putTestConfig(r, nil)
	})
	s.rockHandle("GET /v1/_test/requests", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getRequests(r, nil)
	})
	// What an instance was last rendered from: a cluster's `helm get values`
	// and `helm get manifest`, which the reference server has no cluster for.
	s.rockHandle("GET /v1/_test/instances/{id}/release", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getRelease(r, nil)
	})

	// Anything else: gin's plain-text 404, after the Auth middleware (which
	// also runs for unknown routes).
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.rockAuth(w, r); err != nil && r.URL.Path != "/health" && r.URL.Path != "/v1/auth/login" {
			writeRock(w, s, r, 0, nil, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "404 page not found")
	})
}
