package client

import (
	"context"
	"fmt"
	"time"
)

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
// one that still has releases) the client refuses first with *inUseError
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
			return &inUseError{What: "app " + itoa(id), By: fmt.Sprintf("%d release(s)", len(insts))}
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
