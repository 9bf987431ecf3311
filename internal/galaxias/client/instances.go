package client

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"time"
)

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
		q.Set("created_after", f.CreatedAfter.Format(time.RFC3339))
	}
	return q
}

// ListDeployments lists deployments matching the filter, newest first by
// id. The filter is sent to the server and also applied here, because the
// re-implementation ignores every filter and its deployments have no
// status and no project_env_id: a record is kept only if what it carries
// matches. A ProjectEnvID is matched through the project-env's env (and
// the app's project, when the record names its app); a Status through the
// record's status, where it has one; CreatedAfter only on times with an
// offset — a record without status or offset-less time cannot be shown to
// match and is left out.
func (c *Client) ListDeployments(ctx context.Context, f DeploymentFilter) ([]Deployment, error) {
	list, err := listAll[Deployment](ctx, c, "/v1/deployments", f.query())
	if err != nil {
		return nil, err
	}
	peEnv := int64(-1) // the project-env's env, read once if a record needs it
	out := []Deployment{}
	for _, d := range list {
		c.noteDeployment(&d)
		if f.ProjectEnvID != 0 && d.ProjectEnvID == 0 && peEnv < 0 {
			if peEnv, err = c.projectEnvEnv(ctx, f.ProjectEnvID, f.AppID); err != nil {
				return nil, err
			}
		}
		if !d.matches(f, peEnv) {
			continue
		}
		if d.ProjectEnvID == 0 && f.ProjectEnvID != 0 {
			d.ProjectEnvID = f.ProjectEnvID
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

func (d *Deployment) matches(f DeploymentFilter, peEnv int64) bool {
	switch {
	case f.AppID != 0 && d.AppID != f.AppID,
		f.EnvID != 0 && d.EnvID != f.EnvID,
		f.ChartName != "" && d.ChartName != f.ChartName,
		f.ChartVersion != "" && d.ChartVersion != f.ChartVersion,
		f.Status != "" && d.Status != f.Status:
		return false
	case f.ProjectEnvID != 0 && d.ProjectEnvID != 0:
		if d.ProjectEnvID != f.ProjectEnvID {
			return false
		}
	case f.ProjectEnvID != 0:
		// No project_env_id: the env must be the project-env's, and the app
		// must be named (its project was checked with the project-env).
		if d.EnvID == 0 || d.EnvID != peEnv || d.AppID == 0 || f.AppID == 0 {
			return false
		}
	}
	if !f.CreatedAfter.IsZero() && (!d.CreatedAt.Zoned || d.CreatedAt.Before(f.CreatedAfter)) {
		return false
	}
	return true
}

// projectEnvEnv returns the env id of a project-env. With appID, the
// project-env is read in the app's project (and must be in it).
func (c *Client) projectEnvEnv(ctx context.Context, peID, appID int64) (int64, error) {
	if appID != 0 {
		app, err := c.GetApp(ctx, appID)
		if err != nil {
			return 0, err
		}
		pe, err := c.GetProjectEnv(ctx, app.ProjectID, peID)
		if err != nil {
			return 0, err
		}
		return pe.EnvID, nil
	}
	pe, err := c.LookupProjectEnv(ctx, peID)
	if err != nil {
		return 0, err
	}
	return pe.EnvID, nil
}

func (c *Client) noteDeployment(d *Deployment) {
	if d.Status != "" {
		c.learned.mu.Lock()
		c.learned.deployStatus = 1
		c.learned.mu.Unlock()
	}
}

func (c *Client) GetDeployment(ctx context.Context, id int64) (*Deployment, error) {
	d, err := get[Deployment](ctx, c, "/v1/deployments/"+itoa(id), nil)
	if err == nil {
		c.noteDeployment(d)
	}
	return d, err
}

// UpdateDeployment changes the description. The re-implementation's PUT
// requires the chart, version, app and project-env as well: the client
// sends them as the deployment has them.
func (c *Client) UpdateDeployment(ctx context.Context, id int64, description string) (*Deployment, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	var body any = map[string]string{"description": description}
	if rock {
		d, err := c.GetDeployment(ctx, id)
		if err != nil {
			return nil, err
		}
		peID := d.ProjectEnvID
		if peID == 0 {
			if peID, err = c.projectEnvOf(ctx, d.AppID, d.EnvID); err != nil {
				return nil, err
			}
		}
		body = map[string]any{"description": description, "chart_name": d.ChartName, "chart_version": d.ChartVersion,
			"app_id": d.AppID, "env_id": d.EnvID, "project_env_id": peID}
	}
	d, err := send[Deployment](ctx, c, "PUT", "/v1/deployments/"+itoa(id), body)
	if err != nil {
		return nil, err
	}
	if d.ID == 0 || d.ChartName == "" {
		return c.GetDeployment(ctx, id)
	}
	return d, nil
}

// projectEnvOf finds a project-env binding the app's project to the env.
func (c *Client) projectEnvOf(ctx context.Context, appID, envID int64) (int64, error) {
	app, err := c.GetApp(ctx, appID)
	if err != nil {
		return 0, err
	}
	pes, err := c.ListProjectEnvs(ctx, app.ProjectID)
	if err != nil {
		return 0, err
	}
	for _, pe := range pes {
		if pe.EnvID == envID {
			return pe.ID, nil
		}
	}
	return 0, fmt.Errorf("galaxias: no project-environment binds env %d to project %d of app %d", envID, app.ProjectID, appID)
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

// OfChart reports whether the instance is a release of the chart: it names
// the chart, or names none and is called <chart>-<namespace>.
func (in *Instance) OfChart(chartName string) bool {
	return in.ChartName == chartName || in.ChartName == "" && in.Name == chartName+"-"+in.EnvNamespace
}

// ListAppInstances lists the instances of an app (GET
// /v1/apps/{id}/instances; where the server lacks that route, the
// instances attributed to the app).
func (c *Client) ListAppInstances(ctx context.Context, appID int64) ([]Instance, error) {
	return c.ListAppEnvInstances(ctx, appID, 0)
}

// ListAppEnvInstances lists the releases of an app in an env (envID 0: in
// every env), newest deployment first: the app's instances, each attributed
// to the app and env as ListInstances does, so that another app's or env's
// release is never among them.
func (c *Client) ListAppEnvInstances(ctx context.Context, appID, envID int64) ([]Instance, error) {
	f := InstanceFilter{AppID: appID, EnvID: envID}
	list, err := listAll[Instance](ctx, c, "/v1/apps/"+itoa(appID)+"/instances", nil)
	if routeMissing(err) {
		return c.ListInstances(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	return c.attributeInstances(ctx, list, f)
}

func (c *Client) GetInstance(ctx context.Context, id int64) (*Instance, error) {
	return get[Instance](ctx, c, "/v1/instances/"+itoa(id), nil)
}

// DeleteInstance forgets (uninstalls) a release. Find it with FindInstance,
// which never answers another app's or env's release.
func (c *Client) DeleteInstance(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/instances/"+itoa(id), nil)
}
