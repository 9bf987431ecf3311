package client

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ---- users (admin only) ----

func (c *Client) ListUsers(ctx context.Context, search string) ([]User, error) {
	return listAll[User](ctx, c, "/v1/users", fq(search))
}

func (c *Client) GetUser(ctx context.Context, id int64) (*User, error) {
	return get[User](ctx, c, "/v1/users/"+itoa(id), nil)
}

func (c *Client) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	return createOnce(ctx, func() (*User, error) { return send[User](ctx, c, "POST", "/v1/users", in) },
		func(time.Time) ([]User, error) { return c.ListUsers(ctx, in.Name) },
		func(u *User) bool { return u.Name == in.Name })
}

// UpdateUser changes the user's email.
func (c *Client) UpdateUser(ctx context.Context, id int64, in UserInput) (*User, error) {
	return send[User](ctx, c, "PUT", "/v1/users/"+itoa(id), in)
}

func (c *Client) DeleteUser(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/users/"+itoa(id), nil)
}

// SetUserPassword changes the password; the user's current token is revoked.
func (c *Client) SetUserPassword(ctx context.Context, id int64, password string) (*User, error) {
	return send[User](ctx, c, "PUT", "/v1/users/"+itoa(id)+"/password", map[string]string{"password": password})
}

func (c *Client) SetUserRole(ctx context.Context, id int64, role string) (*User, error) {
	return send[User](ctx, c, "PUT", "/v1/users/"+itoa(id)+"/roles", map[string]string{"role": role})
}

// ---- projects ----

func (c *Client) ListProjects(ctx context.Context, search string) ([]Project, error) {
	return listAll[Project](ctx, c, "/v1/projects", fq(search))
}

func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	return get[Project](ctx, c, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) CreateProject(ctx context.Context, in ProjectInput) (*Project, error) {
	return createOnce(ctx, func() (*Project, error) { return send[Project](ctx, c, "POST", "/v1/projects", in) },
		func(time.Time) ([]Project, error) { return c.ListProjects(ctx, in.Name) },
		func(p *Project) bool { return p.Name == in.Name })
}

func (c *Client) UpdateProject(ctx context.Context, id int64, in ProjectInput) (*Project, error) {
	return send[Project](ctx, c, "PUT", "/v1/projects/"+itoa(id), in)
}

func (c *Client) DeleteProject(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) ListProjectApps(ctx context.Context, projectID int64) ([]App, error) {
	return listAll[App](ctx, c, "/v1/projects/"+itoa(projectID)+"/apps", nil)
}

// ---- clusters ----

func (c *Client) ListClusters(ctx context.Context, search string) ([]Cluster, error) {
	return listAll[Cluster](ctx, c, "/v1/clusters", fq(search))
}

func (c *Client) GetCluster(ctx context.Context, id int64) (*Cluster, error) {
	return get[Cluster](ctx, c, "/v1/clusters/"+itoa(id), nil)
}

func (c *Client) CreateCluster(ctx context.Context, in ClusterInput) (*Cluster, error) {
	return createOnce(ctx, func() (*Cluster, error) { return send[Cluster](ctx, c, "POST", "/v1/clusters", in) },
		func(time.Time) ([]Cluster, error) { return c.ListClusters(ctx, in.Name) },
		func(cl *Cluster) bool { return cl.Name == in.Name })
}

func (c *Client) UpdateCluster(ctx context.Context, id int64, in ClusterInput) (*Cluster, error) {
	return send[Cluster](ctx, c, "PUT", "/v1/clusters/"+itoa(id), in)
}

func (c *Client) DeleteCluster(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/clusters/"+itoa(id), nil)
}

func (c *Client) ListClusterEnvs(ctx context.Context, clusterID int64) ([]Env, error) {
	return listAll[Env](ctx, c, "/v1/clusters/"+itoa(clusterID)+"/envs", nil)
}

// ---- envs ----

// ListEnvs lists envs; search matches the namespace.
func (c *Client) ListEnvs(ctx context.Context, search string) ([]Env, error) {
	return listAll[Env](ctx, c, "/v1/envs", fq(search))
}

func (c *Client) GetEnv(ctx context.Context, id int64) (*Env, error) {
	return get[Env](ctx, c, "/v1/envs/"+itoa(id), nil)
}

func (c *Client) CreateEnv(ctx context.Context, in EnvInput) (*Env, error) {
	return createOnce(ctx, func() (*Env, error) { return send[Env](ctx, c, "POST", "/v1/envs", in) },
		func(time.Time) ([]Env, error) { return c.ListClusterEnvs(ctx, in.ClusterID) },
		func(e *Env) bool { return e.Namespace == in.Namespace })
}

// UpdateEnv changes the description.
func (c *Client) UpdateEnv(ctx context.Context, id int64, in EnvInput) (*Env, error) {
	return send[Env](ctx, c, "PUT", "/v1/envs/"+itoa(id), in)
}

func (c *Client) DeleteEnv(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/envs/"+itoa(id), nil)
}

// ---- project-envs (nested under projects) ----

func peBase(projectID int64) string { return "/v1/projects/" + itoa(projectID) + "/project-envs" }

func (c *Client) ListProjectEnvs(ctx context.Context, projectID int64) ([]ProjectEnv, error) {
	return listAll[ProjectEnv](ctx, c, peBase(projectID), nil)
}

func (c *Client) GetProjectEnv(ctx context.Context, projectID, id int64) (*ProjectEnv, error) {
	return get[ProjectEnv](ctx, c, peBase(projectID)+"/"+itoa(id), nil)
}

func (c *Client) CreateProjectEnv(ctx context.Context, projectID int64, in ProjectEnvInput) (*ProjectEnv, error) {
	return createOnce(ctx, func() (*ProjectEnv, error) { return send[ProjectEnv](ctx, c, "POST", peBase(projectID), in) },
		func(time.Time) ([]ProjectEnv, error) { return c.ListProjectEnvs(ctx, projectID) },
		func(pe *ProjectEnv) bool { return pe.EnvID == in.EnvID })
}

func (c *Client) UpdateProjectEnv(ctx context.Context, projectID, id int64, in ProjectEnvInput) (*ProjectEnv, error) {
	return send[ProjectEnv](ctx, c, "PUT", peBase(projectID)+"/"+itoa(id), in)
}

func (c *Client) DeleteProjectEnv(ctx context.Context, projectID, id int64) error {
	return c.del(ctx, peBase(projectID)+"/"+itoa(id), nil)
}

// LookupProjectEnv reads a project-env by id alone (GET /v1/project-envs/{id},
// this project's addition), e.g. to import one.
func (c *Client) LookupProjectEnv(ctx context.Context, id int64) (*ProjectEnv, error) {
	return get[ProjectEnv](ctx, c, "/v1/project-envs/"+itoa(id), nil)
}

// FindProjectEnvs lists project-envs of any project (GET /v1/project-envs);
// zero ids do not filter.
func (c *Client) FindProjectEnvs(ctx context.Context, projectID, envID int64) ([]ProjectEnv, error) {
	q := url.Values{}
	if projectID != 0 {
		q.Set("project_id", itoa(projectID))
	}
	if envID != 0 {
		q.Set("env_id", itoa(envID))
	}
	return listAll[ProjectEnv](ctx, c, "/v1/project-envs", q)
}

// ---- apps ----

func (c *Client) ListApps(ctx context.Context, search string) ([]App, error) {
	return listAll[App](ctx, c, "/v1/apps", fq(search))
}

func (c *Client) GetApp(ctx context.Context, id int64) (*App, error) {
	return get[App](ctx, c, "/v1/apps/"+itoa(id), nil)
}

func (c *Client) CreateApp(ctx context.Context, in AppInput) (*App, error) {
	return createOnce(ctx, func() (*App, error) { return send[App](ctx, c, "POST", "/v1/apps", in) },
		func(time.Time) ([]App, error) { return c.ListProjectApps(ctx, in.ProjectID) },
		func(a *App) bool { return a.Name == in.Name })
}

// UpdateApp changes everything but the name and the project.
func (c *Client) UpdateApp(ctx context.Context, id int64, in AppInput) (*App, error) {
	return send[App](ctx, c, "PUT", "/v1/apps/"+itoa(id), in)
}

func (c *Client) DeleteApp(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/apps/"+itoa(id), nil)
}

func (c *Client) ListAppInstances(ctx context.Context, appID int64) ([]Instance, error) {
	return listAll[Instance](ctx, c, "/v1/apps/"+itoa(appID)+"/instances", nil)
}

// ListAppCharts lists the chart versions named like the app.
func (c *Client) ListAppCharts(ctx context.Context, appID int64) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/apps/"+itoa(appID)+"/charts", nil)
}

// ---- app config ----

func peQuery(projectEnvID int64) url.Values { return url.Values{"pe_id": {itoa(projectEnvID)}} }

func (c *Client) GetAppConfig(ctx context.Context, appID, projectEnvID int64) (*AppConfig, error) {
	return get[AppConfig](ctx, c, "/v1/apps/"+itoa(appID)+"/config", peQuery(projectEnvID))
}

// PutAppConfig creates or replaces the app's values for the project-env.
func (c *Client) PutAppConfig(ctx context.Context, appID, projectEnvID int64, config string) (*AppConfig, error) {
	return send[AppConfig](ctx, c, "PUT", "/v1/apps/"+itoa(appID)+"/config",
		map[string]any{"project_env_id": projectEnvID, "config": config})
}

func (c *Client) DeleteAppConfig(ctx context.Context, appID, projectEnvID int64) error {
	return c.del(ctx, "/v1/apps/"+itoa(appID)+"/config", peQuery(projectEnvID))
}

// ---- charts ----

// UploadChart uploads a chart archive (.tgz) as the raw request body.
func (c *Client) UploadChart(ctx context.Context, archive []byte) (*Chart, error) {
	var out Chart
	err := c.do(ctx, call{method: "POST", path: "/v1/charts", raw: archive, ctype: "application/gzip"}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListCharts lists every chart version; search matches the chart name.
func (c *Client) ListCharts(ctx context.Context, search string) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/charts", fq(search))
}

// ListChartVersions lists the versions of one chart (404 if it has none).
func (c *Client) ListChartVersions(ctx context.Context, name string) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/charts/"+url.PathEscape(name), nil)
}

func (c *Client) GetChart(ctx context.Context, name, version string) (*Chart, error) {
	return get[Chart](ctx, c, "/v1/charts/"+url.PathEscape(name)+"/"+url.PathEscape(version), nil)
}

func (c *Client) DeleteChart(ctx context.Context, name, version string) error {
	return c.del(ctx, "/v1/charts/"+url.PathEscape(name)+"/"+url.PathEscape(version), nil)
}

// ---- deployments (creation in deploy.go) ----

func (f DeploymentFilter) query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" && v != "0" {
			q.Set(k, v)
		}
	}
	set("app_id", itoa(f.AppID))
	set("env_id", itoa(f.EnvID))
	set("project_env_id", itoa(f.ProjectEnvID))
	set("chart_name", f.ChartName)
	set("chart_version", f.ChartVersion)
	set("status", f.Status)
	if !f.CreatedAfter.IsZero() {
		q.Set("created_after", f.CreatedAfter.Format("2006-01-02T15:04:05Z07:00"))
	}
	return q
}

func (c *Client) ListDeployments(ctx context.Context, f DeploymentFilter) ([]Deployment, error) {
	return listAll[Deployment](ctx, c, "/v1/deployments", f.query())
}

func (c *Client) GetDeployment(ctx context.Context, id int64) (*Deployment, error) {
	return get[Deployment](ctx, c, "/v1/deployments/"+itoa(id), nil)
}

// UpdateDeployment changes the description.
func (c *Client) UpdateDeployment(ctx context.Context, id int64, description string) (*Deployment, error) {
	return send[Deployment](ctx, c, "PUT", "/v1/deployments/"+itoa(id), map[string]string{"description": description})
}

func (c *Client) DeleteDeployment(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/deployments/"+itoa(id), nil)
}

// ---- instances ----

func (f InstanceFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"app_id": itoa(f.AppID), "env_id": itoa(f.EnvID),
		"cluster": f.Cluster, "project": f.Project, "name": f.Name} {
		if v != "" && v != "0" {
			q.Set(k, v)
		}
	}
	return q
}

func (c *Client) ListInstances(ctx context.Context, f InstanceFilter) ([]Instance, error) {
	return listAll[Instance](ctx, c, "/v1/instances", f.query())
}

func (c *Client) GetInstance(ctx context.Context, id int64) (*Instance, error) {
	return get[Instance](ctx, c, "/v1/instances/"+itoa(id), nil)
}

func (c *Client) DeleteInstance(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/instances/"+itoa(id), nil)
}
