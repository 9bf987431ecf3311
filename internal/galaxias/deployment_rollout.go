package galaxias

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// deploy posts one deployment and, when asked to, waits for it. replaces is
// the deployment an update replaces (0 on create): never taken for the new
// one after a lost answer. It returns its error as it is; the model's id is
// known when a deployment was made (which then failed or timed out), so
// that a create can save it (see created). An interrupted wait is a
// warning: the deployment is saved as it is, and refresh follows it.
func deploy(ctx context.Context, o request, m *deploymentModel, replaces int64, timeout time.Duration) error {
	c := o.Client
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if m.ChartName.IsUnknown() || m.ChartName.IsNull() {
		app, err := c.GetApp(ctx, m.AppID.ValueInt64())
		if err != nil {
			return fmt.Errorf("reading the app to name its chart: %w", err)
		}
		m.ChartName = types.StringValue(app.Name)
	}
	in := m.toAPI(replaces)
	d, err := c.CreateDeployment(ctx, in)
	if err != nil {
		return fmt.Errorf("deploying %s %s: %w", in.ChartName, in.ChartVersion, err)
	}
	m.fromAPI(d)
	if ns, err := namespaceOf(ctx, c, d.EnvID); err == nil {
		m.Namespace = types.StringValue(ns)
	} else {
		m.Namespace = types.StringNull()
	}
	if d.Status == client.StatusFailure {
		err = &client.DeploymentFailedError{Deployment: d}
	} else if !d.Done() && m.Wait.ValueBool() {
		d, err = c.WaitDeployment(ctx, d.ID)
		if d != nil {
			m.fromAPI(d)
		}
	}
	if err != nil && errors.Is(err, context.Canceled) && !isFinal(m.Status.ValueString()) {
		// Interrupted while waiting: the deployment goes on in Galaxias.
		// Save it as it is, untainted, so that refresh follows it to its
		// end and nothing is rolled out twice.
		o.Diags.AddWarning("Stopped waiting for the deployment",
			fmt.Sprintf("Terraform was interrupted while deployment %d (%s %s) was %s. It is recorded in state; "+
				"the next refresh follows it to its final status.", m.ID.ValueInt64(), in.ChartName, in.ChartVersion, m.Status.ValueString()))
		return nil
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w (raise timeouts or set wait = false)", timeout, err)
		}
		return fmt.Errorf("deploying %s %s: %w", in.ChartName, in.ChartVersion, err)
	}
	return nil
}

// created ends a create with deploy's error: where a deployment was made
// (its id is known), the model is saved with the error, and Terraform
// taints it, so that the next apply replaces it rather than deploying a
// second time unseen.
func created(m *deploymentModel, err error) error {
	if err != nil && !m.ID.IsUnknown() && !m.ID.IsNull() {
		return tfx.Partial(err)
	}
	return err
}

// namespaceOf returns the Kubernetes namespace of an environment.
func namespaceOf(ctx context.Context, c *client.Client, envID int64) (string, error) {
	env, err := c.GetEnv(ctx, envID)
	if err != nil {
		return "", err
	}
	return env.Namespace, nil
}

func isFinal(status string) bool {
	return status == client.StatusSuccess || status == client.StatusFailure
}
