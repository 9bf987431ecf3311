package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// CreateDeployment asks for one deployment of a chart version and never
// records it twice. When the POST's outcome is unknown (no answer, or a 502
// or 504 from something in between), it first looks up whether the
// deployment was recorded (same app, project-env, chart, version and
// description, created since the intent started) and returns that one; only
// if none was recorded does it post once more.
//
// A synchronous server answers the finished deployment (or an error with
// error_code 50000006 carrying Helm's message); an asynchronous one answers
// it pending, to be followed with WaitDeployment (Deploy does both).
func (c *Client) CreateDeployment(ctx context.Context, in DeploymentInput) (*Deployment, error) {
	return createOnce(ctx,
		func() (*Deployment, error) { return send[Deployment](ctx, c, "POST", "/v1/deployments", in) },
		func(since time.Time) ([]Deployment, error) {
			return c.ListDeployments(ctx, DeploymentFilter{
				AppID: in.AppID, ProjectEnvID: in.ProjectEnvID,
				ChartName: in.ChartName, ChartVersion: in.ChartVersion, CreatedAfter: since,
			})
		},
		func(d *Deployment) bool { return d.Description == in.Description })
}

// outcomeUnknown reports whether err leaves open whether the server
// processed the request.
func outcomeUnknown(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var te *TransportError
	if errors.As(err, &te) {
		return true
	}
	s := statusOf(err)
	return s == http.StatusBadGateway || s == http.StatusGatewayTimeout
}

// WaitDeployment polls GET /v1/deployments/{id} until the deployment has a
// final status, or ctx ends. A failed deployment is returned together with
// a *DeploymentFailedError.
func (c *Client) WaitDeployment(ctx context.Context, id int64) (*Deployment, error) {
	for {
		d, err := c.GetDeployment(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.Status == StatusFailure {
			return d, &DeploymentFailedError{Deployment: d}
		}
		if d.Done() {
			return d, nil
		}
		t := time.NewTimer(c.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return d, fmt.Errorf("galaxias: waiting for deployment %d (still %s): %w", id, d.Status, ctx.Err())
		case <-t.C:
		}
	}
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
