package galaxias

import (
	"context"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// planDeployment keeps the computed results of the last deployment unless a new
// one will be made: status never changes in a plan by itself. A new one is
// made for another chart, or, when config_revision is set, for values other
// than those the release was deployed with or Galaxias holds now.
func planDeployment(ctx context.Context, _ *client.Client, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state deploymentModel
	var configured types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("config_revision"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wired := !configured.IsNull()
	if req.State.Raw.IsNull() {
		plan.ValuesRevision = types.StringNull()
		if wired {
			plan.ValuesRevision = plan.ConfigRevision // what Galaxias holds once the values are written
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ValuesRevision = state.ValuesRevision
	if wired {
		plan.ValuesRevision = plan.ConfigRevision
	}
	if plan.ChartVersion.Equal(state.ChartVersion) && plan.ChartName.Equal(state.ChartName) && !(wired && valuesChanged(&plan, &state)) {
		plan.ID, plan.Status, plan.DeployedAt = state.ID, state.Status, state.DeployedAt
	} else {
		plan.ID, plan.Status, plan.DeployedAt = types.Int64Unknown(), types.StringUnknown(), types.StringUnknown()
		if !plan.ChartName.Equal(state.ChartName) {
			plan.Name = types.StringUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// valuesChanged reports whether the planned config_revision asks for other
// values than the release was deployed with (the config_revision in state) or
// than Galaxias holds now (values_revision, as refreshed): either way a new
// deployment renders the declared values. Unknown counts as a change.
func valuesChanged(plan, state *deploymentModel) bool {
	return plan.ConfigRevision.IsUnknown() || !plan.ConfigRevision.Equal(state.ConfigRevision) ||
		!plan.ConfigRevision.Equal(state.ValuesRevision)
}
