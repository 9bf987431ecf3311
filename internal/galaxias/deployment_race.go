package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// checkReleaseSincePlan runs right before an update posts a deployment. The
// prior state is what the plan's refresh read: the chart version that ran
// then. If another version runs now, a deployment landed since the plan (a
// pipeline's, or one by hand), and posting the plan's version would roll it
// back without anyone seeing it in a plan. Then nothing is posted, the
// apply fails, and the error asks for a new plan. It fails as well when
// the plan's chart_version came from ignore_changes: the plan was made for
// the version that ran then, and only a new plan shows what will run.
//
// A deployment of the same chart version since the plan is no conflict:
// posting that version again rolls nothing back. A release that no longer
// runs is none either: the deployment puts it back, as the plan says.
//
// On a conflict it returns a PartialError and leaves in m the model to save: the prior state, without config_revision when the plan rolled out
// new values, which this apply may have written already (galaxias_app_config
// is applied first) while the release was rendered with the old ones. The
// next plan then rolls the values out on the version that runs.
func checkReleaseSincePlan(ctx context.Context, o request, m, prior *deploymentModel) error {
	if !isFinal(prior.Status.ValueString()) {
		// Our own deployment was still on its way at refresh time: the
		// state names it, not what ran.
		return nil
	}
	inst, err := findInstance(ctx, o.Client, prior)
	if err != nil {
		return fmt.Errorf("checking the running release before deploying: %w", err)
	}
	if inst == nil || inst.ChartVersion == prior.ChartVersion.ValueString() {
		return nil
	}
	by := "a deployment made outside Terraform"
	if inst.LastDeployment != 0 {
		by = fmt.Sprintf("deployment %d, made outside Terraform", inst.LastDeployment)
	}
	moved := fmt.Errorf("a deployment landed since the plan: release %s runs chart version %s now (%s, by a pipeline or by hand), but the plan expected %s, "+
		"the version that ran when it was made. Nothing was deployed, so that the %s deployment is not rolled "+
		"back to %s. Run terraform plan again (with a refresh): with lifecycle { ignore_changes = [chart_version] } "+
		"the new plan rolls out %s, the version that runs now; otherwise it shows the change from %s to the "+
		"configured version",
		inst.Name, inst.ChartVersion, by, prior.ChartVersion.ValueString(), inst.ChartVersion,
		m.ChartVersion.ValueString(), inst.ChartVersion, inst.ChartVersion)
	newValues := !m.ConfigRevision.IsNull() &&
		(!m.ConfigRevision.Equal(prior.ConfigRevision) || !m.ConfigRevision.Equal(prior.ValuesRevision))
	*m = *prior
	if newValues {
		m.ConfigRevision = types.StringNull()
	}
	return tfx.Partial(moved)
}
