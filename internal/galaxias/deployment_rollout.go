package galaxias

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// deploy posts one deployment and, when asked to, waits for it. replaces is
// the deployment an update replaces (0 on create): never taken for the new
// one after a lost answer. save is called as soon as the deployment exists
// (nil: do not save before waiting).
func (r *deploymentResource) deploy(ctx context.Context, m *deploymentModel, replaces int64, timeout time.Duration,
	save func(*deploymentModel) diag.Diagnostics, diags *diag.Diagnostics) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if m.ChartName.IsUnknown() || m.ChartName.IsNull() {
		app, err := r.c.GetApp(ctx, m.AppID.ValueInt64())
		if err != nil {
			tfx.APIError(diags, "read the app to name its chart", err)
			return false
		}
		m.ChartName = types.StringValue(app.Name)
	}
	in := m.toAPI(replaces)
	d, err := r.c.CreateDeployment(ctx, in)
	if err != nil {
		tfx.APIError(diags, fmt.Sprintf("deploy %s %s", in.ChartName, in.ChartVersion), err)
		return false
	}
	m.fromAPI(d)
	if ns, err := r.namespace(ctx, d.EnvID); err == nil {
		m.Namespace = types.StringValue(ns)
	} else {
		m.Namespace = types.StringNull()
	}
	if d.Done() && d.Status != client.StatusFailure || !m.Wait.ValueBool() && d.Status != client.StatusFailure {
		return true
	}
	if save != nil {
		// Record the deployment before waiting: a failed or interrupted wait
		// then leaves it tainted in state, not forgotten.
		diags.Append(save(m)...)
	}
	if !d.Done() {
		d, err = r.c.WaitDeployment(ctx, d.ID)
		if d != nil {
			m.fromAPI(d)
		}
	} else {
		err = &client.DeploymentFailedError{Deployment: d}
	}
	if err != nil && errors.Is(err, context.Canceled) && !isFinal(m.Status.ValueString()) {
		// Interrupted while waiting: the deployment goes on in Galaxias.
		// Record it as it is, untainted, so that refresh follows it to its
		// end and nothing is rolled out twice.
		diags.AddWarning("Stopped waiting for the deployment",
			fmt.Sprintf("Terraform was interrupted while deployment %d (%s %s) was %s. It is recorded in state; "+
				"the next refresh follows it to its final status.", m.ID.ValueInt64(), in.ChartName, in.ChartVersion, m.Status.ValueString()))
		return true
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w (raise timeouts or set wait = false)", timeout, err)
		}
		if save != nil {
			diags.Append(save(m)...)
		}
		tfx.APIError(diags, fmt.Sprintf("deploy %s %s", in.ChartName, in.ChartVersion), err)
		return false
	}
	return true
}

func (r *deploymentResource) namespace(ctx context.Context, envID int64) (string, error) {
	env, err := r.c.GetEnv(ctx, envID)
	if err != nil {
		return "", err
	}
	return env.Namespace, nil
}

func isFinal(status string) bool {
	return status == client.StatusSuccess || status == client.StatusFailure
}
