package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ---- projects ----

func (c *Client) ListProjects(ctx context.Context, search string) ([]Project, error) {
	return listAll[Project](ctx, c, "/v1/projects", searchQuery(search))
}

func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	return get[Project](ctx, c, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) CreateProject(ctx context.Context, in ProjectInput) (*Project, error) {
	return createOnce(ctx, func() (*Project, error) { return send[Project](ctx, c, "POST", "/v1/projects", in) },
		func(time.Time) ([]Project, error) { return c.ListProjects(ctx, in.Name) },
		func(p *Project) bool { return p.Name == in.Name })
}

// UpdateProject changes the description, and the name where the server
// allows it (Traits.Renames: the re-implementation ignores names).
func (c *Client) UpdateProject(ctx context.Context, id int64, in ProjectInput) (*Project, error) {
	return send[Project](ctx, c, "PUT", "/v1/projects/"+itoa(id), in)
}

// DeleteProject deletes a project. The re-implementation deletes a project
// that still has apps or project-envs (answering 204) and leaves them
// orphaned; against it the client looks first and refuses with
// *InUseError, as the contract's server does with 409.
func (c *Client) DeleteProject(ctx context.Context, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		apps, err := c.ListProjectApps(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		pes, err := c.ListProjectEnvs(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(apps)+len(pes) > 0 {
			return &InUseError{What: "project " + itoa(id), By: fmt.Sprintf("%d app(s) and %d project-environment(s)", len(apps), len(pes))}
		}
	}
	return c.del(ctx, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) ListProjectApps(ctx context.Context, projectID int64) ([]App, error) {
	list, err := listAll[App](ctx, c, "/v1/projects/"+itoa(projectID)+"/apps", nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, a := range list {
		if a.ProjectID == 0 || a.ProjectID == projectID {
			if a.ProjectID == 0 {
				a.ProjectID = projectID
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// ---- clusters ----

func (c *Client) ListClusters(ctx context.Context, search string) ([]Cluster, error) {
	return listAll[Cluster](ctx, c, "/v1/clusters", searchQuery(search))
}

// GetCluster reads a cluster. Check HasConfig before trusting Config: the
// re-implementation never answers it.
func (c *Client) GetCluster(ctx context.Context, id int64) (*Cluster, error) {
	return get[Cluster](ctx, c, "/v1/clusters/"+itoa(id), nil)
}

func (c *Client) CreateCluster(ctx context.Context, in ClusterInput) (*Cluster, error) {
	return createOnce(ctx, func() (*Cluster, error) { return send[Cluster](ctx, c, "POST", "/v1/clusters", in) },
		func(time.Time) ([]Cluster, error) { return c.ListClusters(ctx, in.Name) },
		func(cl *Cluster) bool { return cl.Name == in.Name })
}

// UpdateCluster sends the whole input, the kubeconfig included (the
// re-implementation requires it on every PUT).
func (c *Client) UpdateCluster(ctx context.Context, id int64, in ClusterInput) (*Cluster, error) {
	return send[Cluster](ctx, c, "PUT", "/v1/clusters/"+itoa(id), in)
}

// DeleteCluster deletes a cluster; against the re-implementation (which
// deletes one that still has envs) the client refuses first with
// *InUseError.
func (c *Client) DeleteCluster(ctx context.Context, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		envs, err := c.ListClusterEnvs(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(envs) > 0 {
			return &InUseError{What: "cluster " + itoa(id), By: fmt.Sprintf("%d environment(s)", len(envs))}
		}
	}
	return c.del(ctx, "/v1/clusters/"+itoa(id), nil)
}

func (c *Client) ListClusterEnvs(ctx context.Context, clusterID int64) ([]Env, error) {
	list, err := listAll[Env](ctx, c, "/v1/clusters/"+itoa(clusterID)+"/envs", nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, e := range list {
		if e.ClusterID == 0 || e.ClusterID == clusterID {
			out = append(out, e)
		}
	}
	return out, nil
}

// ---- envs ----

// ListEnvs lists envs; search matches the namespace.
func (c *Client) ListEnvs(ctx context.Context, search string) ([]Env, error) {
	return listAll[Env](ctx, c, "/v1/envs", searchQuery(search))
}

func (c *Client) GetEnv(ctx context.Context, id int64) (*Env, error) {
	return get[Env](ctx, c, "/v1/envs/"+itoa(id), nil)
}

func (c *Client) CreateEnv(ctx context.Context, in EnvInput) (*Env, error) {
	c.lists.envs.Wrote("")
	return createOnce(ctx, func() (*Env, error) { return send[Env](ctx, c, "POST", "/v1/envs", in) },
		func(time.Time) ([]Env, error) { return c.ListClusterEnvs(ctx, in.ClusterID) },
		func(e *Env) bool { return e.Namespace == in.Namespace })
}

// UpdateEnv changes the description.
func (c *Client) UpdateEnv(ctx context.Context, id int64, in EnvInput) (*Env, error) {
	c.lists.envs.Wrote(itoa(id))
	return send[Env](ctx, c, "PUT", "/v1/envs/"+itoa(id), in)
}

// DeleteEnv deletes an env; against the re-implementation (which deletes
// one that project-envs still bind, or that has releases) the client
// refuses first with *InUseError.
func (c *Client) DeleteEnv(ctx context.Context, id int64) error {
	c.lists.envs.Wrote(itoa(id))
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		pes, err := c.FindProjectEnvs(ctx, 0, id)
		if err != nil {
			return err
		}
		insts, err := c.ListInstances(ctx, InstanceFilter{EnvID: id})
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(pes)+len(insts) > 0 {
			return &InUseError{What: "environment " + itoa(id), By: fmt.Sprintf("%d project-environment(s) and %d release(s)", len(pes), len(insts))}
		}
	}
	return c.del(ctx, "/v1/envs/"+itoa(id), nil)
}

// ---- project-envs (nested under projects) ----

func peBase(projectID int64) string { return "/v1/projects/" + itoa(projectID) + "/project-envs" }

// ListProjectEnvs lists the project-envs of a project.
func (c *Client) ListProjectEnvs(ctx context.Context, projectID int64) ([]ProjectEnv, error) {
	list, err := listAll[ProjectEnv](ctx, c, peBase(projectID), nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, pe := range list {
		if pe.ProjectID == 0 {
			pe.ProjectID = projectID
		}
		if pe.ProjectID == projectID {
			out = append(out, pe)
		}
	}
	return out, nil
}

// GetProjectEnv reads a project-env of a project. The re-implementation
// ignores the project id in the path; the client answers 404 for a
// project-env of another project.
func (c *Client) GetProjectEnv(ctx context.Context, projectID, id int64) (*ProjectEnv, error) {
	pe, err := get[ProjectEnv](ctx, c, peBase(projectID)+"/"+itoa(id), nil)
	if err != nil {
		return nil, err
	}
	if pe.ProjectID == 0 {
		pe.ProjectID = projectID
	}
	if pe.ProjectID != projectID {
		return nil, notFound("GET", peBase(projectID)+"/"+itoa(id),
			fmt.Sprintf("project-environment %d belongs to project %d, not %d", id, pe.ProjectID, projectID))
	}
	return pe, nil
}

// CreateProjectEnv binds an env to a project. A name is always sent (the
// re-implementation requires one): without in.Name, "<cluster name>-<namespace>",
// as the platform's UI labels them.
func (c *Client) CreateProjectEnv(ctx context.Context, projectID int64, in ProjectEnvInput) (*ProjectEnv, error) {
	c.lists.projectEnvs.Wrote("")
	if in.Name == "" {
		name, err := c.DefaultProjectEnvName(ctx, in.EnvID)
		if err != nil {
			return nil, err
		}
		in.Name = name
	}
	return createOnce(ctx, func() (*ProjectEnv, error) {
		pe, err := send[ProjectEnv](ctx, c, "POST", peBase(projectID), in)
		if err == nil && pe.ProjectID == 0 {
			pe.ProjectID = projectID
		}
		return pe, err
	},
		func(time.Time) ([]ProjectEnv, error) { return c.ListProjectEnvs(ctx, projectID) },
		func(pe *ProjectEnv) bool { return pe.EnvID == in.EnvID && pe.Name == in.Name })
}

// DefaultProjectEnvName is "<cluster name>-<namespace>" of an env.
func (c *Client) DefaultProjectEnvName(ctx context.Context, envID int64) (string, error) {
	env, err := c.GetEnv(ctx, envID)
	if err != nil {
		return "", err
	}
	cl, err := c.GetCluster(ctx, env.ClusterID)
	if err != nil {
		return "", err
	}
	return cl.Name + "-" + env.Namespace, nil
}

// UpdateProjectEnv changes the description, and the name where the server
// allows it (the re-implementation changes only the description, and
// ignores the project id of the path: the client checks it first).
func (c *Client) UpdateProjectEnv(ctx context.Context, projectID, id int64, in ProjectEnvInput) (*ProjectEnv, error) {
	c.lists.projectEnvs.Wrote(itoa(id))
	if err := c.checkProjectEnvOwner(ctx, projectID, id); err != nil {
		return nil, err
	}
	pe, err := send[ProjectEnv](ctx, c, "PUT", peBase(projectID)+"/"+itoa(id), in)
	if err == nil && pe.ProjectID == 0 {
		pe.ProjectID = projectID
	}
	return pe, err
}

// DeleteProjectEnv deletes a project-env of a project (checked first on the
// re-implementation, which ignores the project of the path). The
// re-implementation refuses while any app config row refers to it, an
// emptied one included (412 41200008, IsInUse): see RemoveAppConfig.
func (c *Client) DeleteProjectEnv(ctx context.Context, projectID, id int64) error {
	c.lists.projectEnvs.Wrote(itoa(id))
	if err := c.checkProjectEnvOwner(ctx, projectID, id); err != nil {
		return err
	}
	err := c.del(ctx, peBase(projectID)+"/"+itoa(id), nil)
	if CodeOf(err) == CodeRockConfigDependence {
		return fmt.Errorf("%w; this server keeps an app config row for every app that ever had values for this "+
			"project-environment (also after the app or the config was destroyed: its only delete route would "+
			"delete every app's config, so the provider empties configs instead), and it has no route that "+
			"deletes one of them", err)
	}
	return err
}

func (c *Client) checkProjectEnvOwner(ctx context.Context, projectID, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil || !rock {
		return err
	}
	_, err = c.GetProjectEnv(ctx, projectID, id)
	return err
}

// LookupProjectEnv reads a project-env by id alone, e.g. to import one. It
// uses GET /v1/project-envs/{id} where the server has it (this project's
// contract, [D]); elsewhere it lists the project-envs of every project.
func (c *Client) LookupProjectEnv(ctx context.Context, id int64) (*ProjectEnv, error) {
	has, err := c.hasContractRoutes(ctx)
	if err != nil {
		return nil, err
	}
	if has {
		pe, err := get[ProjectEnv](ctx, c, "/v1/project-envs/"+itoa(id), nil)
		if !routeMissing(err) {
			return pe, err
		}
		c.noteContractRoutes(false)
	}
	all, err := c.FindProjectEnvs(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, notFound("GET", "/v1/project-envs/"+itoa(id), fmt.Sprintf("no project of this server has project-environment %d", id))
}

// FindProjectEnvs lists project-envs of any project; zero ids do not
// filter. It uses GET /v1/project-envs where the server has it ([D]), and
// otherwise the project-envs of every project (or of the one given).
func (c *Client) FindProjectEnvs(ctx context.Context, projectID, envID int64) ([]ProjectEnv, error) {
	var all []ProjectEnv
	has, err := c.hasContractRoutes(ctx)
	if err != nil {
		return nil, err
	}
	if has {
		q := url.Values{}
		if projectID != 0 {
			q.Set("project_id", itoa(projectID))
		}
		if envID != 0 {
			q.Set("env_id", itoa(envID))
		}
		all, err = listAll[ProjectEnv](ctx, c, "/v1/project-envs", q)
		if routeMissing(err) {
			c.noteContractRoutes(false)
			has = false
		} else if err != nil {
			return nil, err
		}
	}
	if !has {
		projects := []int64{projectID}
		if projectID == 0 {
			ps, err := c.ListProjects(ctx, "")
			if err != nil {
				return nil, err
			}
			projects = projects[:0]
			for _, p := range ps {
				projects = append(projects, p.ID)
			}
		}
		all = nil
		for _, p := range projects {
			pes, err := c.ListProjectEnvs(ctx, p)
			if err != nil && !IsNotFound(err) {
				return nil, err
			}
			all = append(all, pes...)
		}
	}
	out := []ProjectEnv{}
	for _, pe := range all {
		if (projectID == 0 || pe.ProjectID == projectID) && (envID == 0 || pe.EnvID == envID) {
			out = append(out, pe)
		}
	}
	return out, nil
}

// ---- apps ----

// ListApps lists apps whose name contains search, of every project. The
// re-implementation's GET /v1/apps needs the project id: there the client
// lists the apps of every project.
func (c *Client) ListApps(ctx context.Context, search string) ([]App, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	if !rock {
		return listAll[App](ctx, c, "/v1/apps", searchQuery(search))
	}
	projects, err := c.ListProjects(ctx, "")
	if err != nil {
		return nil, err
	}
	out := []App{}
	for _, p := range projects {
		apps, err := c.ListProjectApps(ctx, p.ID)
		if err != nil && !IsNotFound(err) {
			return nil, err
		}
		for _, a := range apps {
			if strings.Contains(strings.ToLower(a.Name), strings.ToLower(search)) {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

func (c *Client) GetApp(ctx context.Context, id int64) (*App, error) {
	return get[App](ctx, c, "/v1/apps/"+itoa(id), nil)
}

// CreateApp creates an app. The re-implementation ignores full_name, owner,
// gitlab_address and drone_repo_id (Traits.AppFieldsUpdatable).
func (c *Client) CreateApp(ctx context.Context, in AppInput) (*App, error) {
	c.lists.apps.Wrote("")
	return createOnce(ctx, func() (*App, error) { return send[App](ctx, c, "POST", "/v1/apps", in) },
		func(time.Time) ([]App, error) { return c.ListProjectApps(ctx, in.ProjectID) },
		func(a *App) bool { return a.Name == in.Name })
}

// UpdateApp changes everything but the name and the project (the
// re-implementation: the description only; its answer lacks project_id,
// which the client then reads).
func (c *Client) UpdateApp(ctx context.Context, id int64, in AppInput) (*App, error) {
	c.lists.apps.Wrote(itoa(id))
	a, err := send[App](ctx, c, "PUT", "/v1/apps/"+itoa(id), in)
	if err == nil && a.ProjectID == 0 {
		return c.GetApp(ctx, id)
	}
	return a, err
}

// DeleteApp deletes an app; against the re-implementation (which deletes
// one that still has releases) the client refuses first with *InUseError
// when a release can be attributed to it. Its app config rows stay there
// either way (see RemoveAppConfig).
func (c *Client) DeleteApp(ctx context.Context, id int64) error {
	c.lists.apps.Wrote(itoa(id))
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		insts, err := c.ListInstances(ctx, InstanceFilter{AppID: id})
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(insts) > 0 {
			return &InUseError{What: "app " + itoa(id), By: fmt.Sprintf("%d release(s)", len(insts))}
		}
	}
	return c.del(ctx, "/v1/apps/"+itoa(id), nil)
}

// ListAppCharts lists the chart versions named like the app: the contract's
// envelope of chart records, or the re-implementation's bare array of
// ChartMuseum entries.
func (c *Client) ListAppCharts(ctx context.Context, appID int64) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/apps/"+itoa(appID)+"/charts", nil)
}

// ---- charts ----

// UploadChart uploads a chart archive (.tgz) as the raw request body (the
// contract). The re-implementation has no upload route: charts are pushed
// to its ChartMuseum.
func (c *Client) UploadChart(ctx context.Context, archive []byte) (*Chart, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	if rock {
		return nil, &UnsupportedError{What: "uploading a chart through Galaxias", Flavor: FlavorRock,
			Hint: "push it to the ChartMuseum that Galaxias reads (POST /api/charts)"}
	}
	var out Chart
	if err := c.do(ctx, call{method: "POST", path: "/v1/charts", raw: archive, ctype: "application/gzip"}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListCharts lists every chart version; search matches the chart name.
func (c *Client) ListCharts(ctx context.Context, search string) ([]Chart, error) {
	list, err := listAll[Chart](ctx, c, "/v1/charts", searchQuery(search))
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, ch := range list {
		if strings.Contains(strings.ToLower(ch.Name), strings.ToLower(search)) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// ListChartVersions lists the versions of one chart (404 if it has none).
func (c *Client) ListChartVersions(ctx context.Context, name string) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/charts/"+url.PathEscape(name), nil)
}

// chartPath is one chart version's route: /v1/charts/{name}/{version} on
// the contract, /v1/charts/{name}/versions/{version} on the
// re-implementation.
func (c *Client) chartPath(ctx context.Context, name, version string) (string, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return "", err
	}
	if rock {
		return "/v1/charts/" + url.PathEscape(name) + "/versions/" + url.PathEscape(version), nil
	}
	return "/v1/charts/" + url.PathEscape(name) + "/" + url.PathEscape(version), nil
}

func (c *Client) GetChart(ctx context.Context, name, version string) (*Chart, error) {
	p, err := c.chartPath(ctx, name, version)
	if err != nil {
		return nil, err
	}
	return get[Chart](ctx, c, p, nil)
}

func (c *Client) DeleteChart(ctx context.Context, name, version string) error {
	p, err := c.chartPath(ctx, name, version)
	if err != nil {
		return err
	}
	return c.del(ctx, p, nil)
}
