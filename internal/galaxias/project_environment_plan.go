package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// peReplaced is the plan modifier of the attributes of a
// galaxias_project_environment whose change replaces it: project_id,
// environment_id, and name where the server cannot rename a binding.
//
// Replacing means deleting, and the public re-implementation refuses to
// delete a project environment while any app config row names it (412
// 41200008), also a config that galaxias_app_config emptied on destroy,
// and has no route that deletes one config alone. A replacement there
// would first replace (so empty) the app configs that follow the binding's
// id, then fail. So where the server recorded in private state has that
// trait, such a change is an error at plan time, and nothing is sent.
type peReplaced struct {
	// inPlace, when set, reports a server that changes the attribute in
	// place (then nothing is replaced).
	inPlace func(client.Traits) bool
	// why says, for a server where the attribute cannot change in place,
	// why a new value replaces the binding ("" for the references, which
	// replace on every server).
	why string
}

var (
	_ planmodifier.String = peReplaced{}
	_ planmodifier.Int64  = peReplaced{}
)

func (m peReplaced) Description(ctx context.Context) string { return m.MarkdownDescription(ctx) }

func (m peReplaced) MarkdownDescription(context.Context) string {
	return "Replaces the project environment where its server can delete it; a plan-time error where the server " +
		"refuses to delete a project environment that an app config has named."
}

func (m peReplaced) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.RequiresReplace = m.modify(ctx, req.State.Raw.IsNull() || req.Plan.Raw.IsNull(), req.Path,
		req.PlanValue, req.StateValue, req.Private, &resp.Diagnostics)
}

func (m peReplaced) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	resp.RequiresReplace = m.modify(ctx, req.State.Raw.IsNull() || req.Plan.Raw.IsNull(), req.Path,
		req.PlanValue, req.StateValue, req.Private, &resp.Diagnostics)
}

// modify decides for a planned change of one attribute; it returns whether
// the project environment must be replaced.
func (m peReplaced) modify(ctx context.Context, createOrDestroy bool, p path.Path, plan, state attrValue,
	private privateGetter, diags *diag.Diagnostics) bool {
	if createOrDestroy || plan.Equal(state) {
		return false
	}
	traits, ok := recordedTraits(ctx, private)
	if !ok {
		// No server recorded yet (a state of an older provider): the
		// references replace; a name updates, and the update checks the
		// answer.
		return m.inPlace == nil
	}
	if m.inPlace != nil && m.inPlace(traits) {
		return false
	}
	if !traits.ProjectEnvDeleteNeedsNoConfigs {
		return true
	}
	if plan.IsUnknown() {
		// Known only at apply: Terraform plans again with the value
		// before it applies this resource, and that plan refuses a change.
		return false
	}
	diags.AddAttributeError(p, "This Galaxias server cannot replace a project environment",
		fmt.Sprintf("Changing %s from %s to %s would replace this project environment: Terraform would destroy it, "+
			"then create another. %sIt lives on %s, which refuses to delete a project environment while any app "+
			"config names it (412 41200008), also a config that `galaxias_app_config` emptied on destroy, and has no "+
			"route that deletes one app config alone (its only delete route removes the configs of every app). So the "+
			"replacement would first empty the values of the app configs that use this project environment, then fail, "+
			"and leave it in place. Nothing was changed.\n\n"+
			"To keep it, set %s back to %s. To bind the project anew, declare another `galaxias_project_environment` "+
			"(a new resource address) and point the app configs and deployments at its id; then stop managing this one "+
			"without destroying it: replace its resource block with a `removed` block (`removed { from = <address> "+
			"lifecycle { destroy = false } }`) and apply. It stays on the server.",
			p, state, plan, m.why, flavorName(traits.Flavor), p, state))
	return false
}

// peRefAttribute is a required id of another record that a project
// environment binds (peReplaced instead of RequiresReplace).
func peRefAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Required: true,
		MarkdownDescription: desc + " Changing it replaces the resource; on the public re-implementation, which " +
			"cannot delete a project environment that an app config has named, a change is an error at plan time.",
		Validators:    []validator.Int64{int64validator.AtLeast(1)},
		PlanModifiers: []planmodifier.Int64{peReplaced{}},
	}
}
