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
	// Created_at has whole seconds, and the server's clock is not ours:
	// look back a little before the intent started.
	since := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		var d Deployment
		err := c.do(ctx, call{method: "POST", path: "/v1/deployments", body: in}, &d)
		if !outcomeUnknown(ctx, err) {
			if err != nil {
				return nil, err
			}
			return &d, nil
		}
		lastErr = err
		found, lerr := c.findRecorded(ctx, in, since)
		if lerr != nil {
			return nil, fmt.Errorf("galaxias: the deployment's outcome is unknown (%v), and looking it up failed: %w", err, lerr)
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, fmt.Errorf("galaxias: the deployment's outcome stayed unknown and none was recorded: %w", lastErr)
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

// findRecorded returns the newest deployment matching the intent created
// since the given time, or nil.
func (c *Client) findRecorded(ctx context.Context, in DeploymentInput, since time.Time) (*Deployment, error) {
	list, err := c.ListDeployments(ctx, DeploymentFilter{
		AppID: in.AppID, ProjectEnvID: in.ProjectEnvID,
		ChartName: in.ChartName, ChartVersion: in.ChartVersion, CreatedAfter: since,
	})
	if err != nil {
		return nil, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Description == in.Description {
			return &list[i], nil
		}
	}
	return nil, nil
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

// OutcomeUnknown reports whether err, the result of a request made with
// ctx, leaves open whether the server processed it: no answer, or a 502 or
// 504 from something in between. A canceled or expired ctx is not unknown
// here: the caller has stopped.
func OutcomeUnknown(ctx context.Context, err error) bool { return outcomeUnknown(ctx, err) }
