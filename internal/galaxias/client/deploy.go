package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// CreateDeployment asks for one deployment of a chart version and never
// records it twice, nor takes one it cannot attribute to this request.
// When the POST's outcome is unknown (no answer, or a 502 or 504 from
// something in between), it looks for the deployment among those of the
// same app, project-env, chart, version and description, newer than
// in.After:
//   - a deployment with a status (the contract's server) is taken if it was
//     created since the intent started (times with an offset);
//   - one without a status (the platform and the re-implementation write
//     the row before Helm runs, and keep it when Helm fails) is taken only
//     if the release's instance now names it as its last deployment and
//     named another one before the POST: only a successful Helm run
//     upserts the instance. (The instance is read before the first POST
//     until the client has seen that the server's deployments carry a
//     status.)
//
// Only if none is found does it post once more.
//
// A synchronous server answers the finished deployment (or an error with
// error_code 50000006 carrying Helm's message); an asynchronous one answers
// it pending, to be followed with WaitDeployment (Deploy does both).
func (c *Client) CreateDeployment(ctx context.Context, in DeploymentInput) (*Deployment, error) {
	since := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	var mark *releaseMark
	if !c.deploymentsHaveStatus() {
		mark = c.markRelease(ctx, in)
	}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var d *Deployment
		d, err = send[Deployment](ctx, c, "POST", "/v1/deployments", in)
		if !outcomeUnknown(ctx, err) {
			if err != nil {
				return nil, explainDeployError(err, in)
			}
			c.noteDeployment(d)
			if d.ProjectEnvID == 0 {
				d.ProjectEnvID = in.ProjectEnvID
			}
			return d, nil
		}
		cands, lerr := c.ListDeployments(ctx, DeploymentFilter{
			AppID: in.AppID, ProjectEnvID: in.ProjectEnvID, ChartName: in.ChartName, ChartVersion: in.ChartVersion,
		})
		if lerr != nil {
			return nil, fmt.Errorf("galaxias: the outcome is unknown (%w), and looking the deployment up failed: %v", err, lerr)
		}
		found, aerr := c.attributeDeployment(ctx, cands, in, since, mark)
		if aerr != nil {
			return nil, fmt.Errorf("galaxias: the outcome is unknown (%w), and looking the deployment up failed: %v", err, aerr)
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, fmt.Errorf("galaxias: the outcome stayed unknown and no deployment could be attributed to this request: %w", err)
}

// releaseMark is the release's last deployment before the POST.
type releaseMark struct {
	envID int64
	last  int64 // 0: no instance yet
}

func (c *Client) deploymentsHaveStatus() bool {
	c.learned.mu.Lock()
	defer c.learned.mu.Unlock()
	return c.learned.deployStatus > 0
}

// markRelease reads the release's instance before the POST; nil if it
// cannot (then no deployment without status can be attributed).
func (c *Client) markRelease(ctx context.Context, in DeploymentInput) *releaseMark {
	envID, err := c.projectEnvEnv(ctx, in.ProjectEnvID, in.AppID)
	if err != nil {
		return nil
	}
	inst, err := c.FindInstance(ctx, in.AppID, envID, in.ChartName)
	if err != nil {
		return nil
	}
	m := &releaseMark{envID: envID}
	if inst != nil {
		m.last = inst.LastDeployment
	}
	return m
}

// attributeDeployment picks this request's deployment from the candidates
// (newest first), or nil.
func (c *Client) attributeDeployment(ctx context.Context, cands []Deployment, in DeploymentInput, since time.Time, mark *releaseMark) (*Deployment, error) {
	var inst *Instance
	instRead := false
	for i := range cands {
		d := &cands[i]
		if d.Description != in.Description || d.ID <= in.After {
			continue
		}
		if d.Status != "" {
			if d.CreatedAt.Zoned && !d.CreatedAt.Before(since) {
				return d, nil
			}
			continue
		}
		if mark == nil {
			continue
		}
		if !instRead {
			var err error
			if inst, err = c.FindInstance(ctx, in.AppID, mark.envID, in.ChartName); err != nil {
				return nil, err
			}
			instRead = true
		}
		if inst != nil && inst.LastDeployment == d.ID && d.ID != mark.last {
			return d, nil
		}
	}
	return nil, nil
}

// explainDeployError adds what the re-implementation's refusals mean.
func explainDeployError(err error, in DeploymentInput) error {
	if IsNotFound(err) && CodeOf(err) == codeRockNoAppConfig {
		return fmt.Errorf("%w; this server deploys only with an app config: give app %d values (galaxias_app_config) "+
			"for project-environment %d first", err, in.AppID, in.ProjectEnvID)
	}
	return err
}

// codeRockNoAppConfig is the re-implementation's 404 for an app without a
// config in the project-env; its deployments need one.
const codeRockNoAppConfig = 40400014

// outcomeUnknown reports whether err leaves open whether the server
// processed the request (httpx.OutcomeUnknown: no answer, or a 502 or 504
// from something in between), while there is still time to look.
func outcomeUnknown(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var lost error
	if te := (*transportError)(nil); errors.As(err, &te) {
		lost = te
	}
	return httpx.OutcomeUnknown(statusOf(err), lost)
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
