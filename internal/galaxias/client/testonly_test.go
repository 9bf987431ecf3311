package client

// The client methods only the tests of this package use: the product client
// carries only what the provider calls (the other packages' tests use
// internal/testing/galaxiasapi and the product methods).

import (
	"context"
	"net/url"
	"strings"
)

// DeleteAppConfig removes the app's values for the project-env safely (see
// RemoveAppConfig, which also says how).
func (c *Client) DeleteAppConfig(ctx context.Context, appID, projectEnvID int64) error {
	_, err := c.RemoveAppConfig(ctx, appID, projectEnvID)
	return err
}

// UploadChart uploads a chart archive (.tgz) as the raw request body (the
// contract). The re-implementation has no upload route: charts are pushed
// to its ChartMuseum.
func (c *Client) UploadChart(ctx context.Context, archive []byte) (*Chart, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	if rock {
		return nil, &UnsupportedError{What: "uploading a chart through Galaxias", Dialect: DialectRock,
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

func (c *Client) DeleteDeployment(ctx context.Context, id int64) error {
	return c.del(ctx, "/v1/deployments/"+itoa(id), nil)
}

// Deploy creates a deployment and, if the server works asynchronously,
// waits for its final status.
func (c *Client) Deploy(ctx context.Context, in DeploymentInput) (*Deployment, error) {
	d, err := c.CreateDeployment(ctx, in)
	if err != nil || d.Done() {
		if err == nil && d.Status == StatusFailure {
			return d, &DeploymentFailedError{Deployment: d}
		}
		return d, err
	}
	return c.WaitDeployment(ctx, d.ID)
}

// Token is the token the client currently sends (empty before the first
// login of a password-configured client).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// Health checks GET /health (JSON on the contract, plain "ok" on the
// re-implementation: any 2xx will do).
func (c *Client) Health(ctx context.Context) error {
	_, err := c.exchange(ctx, call{method: "GET", path: "/health"}, "", nil)
	return err
}

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

// Login logs in with the configured user name and password and keeps the
// new token. Requests log in by themselves when needed; calling Login first
// only surfaces wrong credentials early.
func (c *Client) Login(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginLocked(ctx)
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
