package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// The attribute plan modifiers of the galaxias_* resources, all in this
// file. Each is built by a function named, as the framework names its own
// (stringplanmodifier.UseStateForUnknown), for what it does to the plan.
// The plan logic of a resource that ties several attributes together, its
// tfx.CRUD.ModifyPlan, is here too, named plan<Resource> (planDeployment).
// What only refuses a plan is the resource's CheckPlan, named check<What>,
// next to the resource (checkNewUser, descriptionLimit's checks).

// changeByDialect is the plan modifier of an attribute whose change depends
// on the dialect of the server holding the record, as recorded in private
// state (see saveDialect): decide gets each planned change of a resource
// in state and returns whether the change replaces the resource; it adds an
// error where the change can be neither made nor replaced.
type changeByDialect struct {
	description string
	// fromNull: a first value where state has none (after an import) is
	// not a change the server must make; the update handles it.
	fromNull bool
	decide   func(ctx context.Context, ch attrChange, diags *diag.Diagnostics) (replace bool)
}

// attrChange is a planned change of one attribute of a resource in state.
type attrChange struct {
	Path        path.Path
	Plan, State attr.Value
	// Traits of the recorded server; Known is false when none is recorded
	// (a record that no refresh has read since an older provider made it).
	Traits client.Traits
	Known  bool
	// Planned and Prior are the whole plan and state, for the other
	// attributes.
	Planned tfsdk.Plan
	Prior   tfsdk.State
}

var (
	_ planmodifier.String = changeByDialect{}
	_ planmodifier.Int64  = changeByDialect{}
)

func (m changeByDialect) Description(context.Context) string         { return m.description }
func (m changeByDialect) MarkdownDescription(context.Context) string { return m.description }

func (m changeByDialect) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.RequiresReplace = m.modify(ctx, req.Path, req.PlanValue, req.StateValue, req.Plan, req.State, req.Private, &resp.Diagnostics)
}

func (m changeByDialect) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	resp.RequiresReplace = m.modify(ctx, req.Path, req.PlanValue, req.StateValue, req.Plan, req.State, req.Private, &resp.Diagnostics)
}

func (m changeByDialect) modify(ctx context.Context, p path.Path, plan, state attr.Value, planned tfsdk.Plan, prior tfsdk.State,
	private privateGetter, diags *diag.Diagnostics) bool {
	if prior.Raw.IsNull() || planned.Raw.IsNull() || plan.Equal(state) || m.fromNull && state.IsNull() {
		return false // a create, a destroy, or no change
	}
	traits, known := savedTraits(ctx, private)
	return m.decide(ctx, attrChange{Path: p, Plan: plan, State: state, Traits: traits, Known: known,
		Planned: planned, Prior: prior}, diags)
}

// fixedAttr describes an attribute that some Galaxias servers cannot
// change in place.
type fixedAttr struct {
	can    func(client.Traits) bool // the server changes it in place
	what   string                   // why it cannot, e.g. "`PUT /v1/projects/{id}` ignores `name`"
	advice string                   // what to do instead
	// fromNull: see changeByDialect.
	fromNull bool
}

// refuseChangeWhereFixed: where the record's server cannot change the
// attribute, a change is a plan-time error that names the attribute, the
// server and what to do. Where it can, or where no server is recorded yet,
// nothing happens, and the update checks the answer instead (checkKept).
func refuseChangeWhereFixed(f fixedAttr) changeByDialect {
	return changeByDialect{
		description: "A plan-time error where the server cannot change it (" + f.what + ").",
		fromNull:    f.fromNull,
		decide: func(_ context.Context, ch attrChange, diags *diag.Diagnostics) bool {
			if !ch.Known || f.can(ch.Traits) || ch.Plan.IsUnknown() {
				return false // an unknown value: the update checks the answer
			}
			diags.AddAttributeError(ch.Path, "This Galaxias server cannot change "+ch.Path.String(),
				fmt.Sprintf("The record lives on %s, where %s: the change from %s to %s would be lost. %s",
					dialectName(ch.Traits.Dialect), f.what, ch.State, ch.Plan, f.advice))
			return false
		},
	}
}

// replaceUserWhereFixed: where the record's server cannot change a user
// attribute in place, the change replaces the user if the server frees
// deleted users' names, or if the name changes too (the new user has a new
// name). Else it is an error at plan time: the replacement could only fail,
// after the user was deleted for good.
func replaceUserWhereFixed(f fixedAttr) changeByDialect {
	return changeByDialect{
		description: "Replaces the user where the server cannot change it in place (" + f.what + ") and frees " +
			"deleted users' names; a plan-time error where it does not (unless the name changes too).",
		fromNull: f.fromNull,
		decide: func(ctx context.Context, ch attrChange, diags *diag.Diagnostics) bool {
			if !ch.Known || f.can(ch.Traits) {
				return false
			}
			if ch.Traits.UserNamesReusable {
				return true
			}
			var newName, oldName types.String
			diags.Append(ch.Planned.GetAttribute(ctx, path.Root("name"), &newName)...)
			diags.Append(ch.Prior.GetAttribute(ctx, path.Root("name"), &oldName)...)
			if newName.IsUnknown() || !newName.Equal(oldName) {
				return true // a new user with a new name: possible
			}
			if ch.Plan.IsUnknown() {
				return false // known only at apply: the update refuses a change it cannot make
			}
			diags.AddAttributeError(ch.Path, "This Galaxias server cannot change "+ch.Path.String()+" of a user, nor replace the user",
				fmt.Sprintf("The user %s lives on %s, where %s. Replacing the user would delete it and then fail to create it "+
					"again: that server %s. %s", oldName, dialectName(ch.Traits.Dialect), f.what, nameStaysTaken, f.advice))
			return false
		},
	}
}

// replaceProjectEnvironment is the plan modifier of the attributes of a
// galaxias_project_environment whose change replaces it: project_id,
// environment_id (inPlace nil, why ""), and name where the server cannot
// rename a binding (inPlace reports a server that can; why says why a new
// name replaces the binding elsewhere).
//
// Replacing means deleting, and the public re-implementation refuses to
// delete a project environment while any app config row names it (412
// 41200008), also a config that galaxias_app_config emptied on destroy,
// and has no route that deletes one config alone. A replacement there
// would first replace (so empty) the app configs that follow the binding's
// id, then fail. So where the server recorded in private state has that
// trait, such a change is an error at plan time, and nothing is sent.
func replaceProjectEnvironment(inPlace func(client.Traits) bool, why string) changeByDialect {
	return changeByDialect{
		description: "Replaces the project environment where its server can delete it; a plan-time error where the " +
			"server refuses to delete a project environment that an app config has named.",
		decide: func(_ context.Context, ch attrChange, diags *diag.Diagnostics) bool {
			if !ch.Known {
				// No server recorded yet (a state of an older provider): the
				// references replace; a name updates, and the update checks
				// the answer.
				return inPlace == nil
			}
			if inPlace != nil && inPlace(ch.Traits) {
				return false
			}
			if !ch.Traits.ProjectEnvDeleteNeedsNoConfigs {
				return true
			}
			if ch.Plan.IsUnknown() {
				// Known only at apply: Terraform plans again with the value
				// before it applies this resource, and that plan refuses a change.
				return false
			}
			diags.AddAttributeError(ch.Path, "This Galaxias server cannot replace a project environment",
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
					ch.Path, ch.State, ch.Plan, why, dialectName(ch.Traits.Dialect), ch.Path, ch.State))
			return false
		},
	}
}

// stringModifier is a plan modifier of a string attribute given by its
// function.
type stringModifier struct {
	description string
	modify      func(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse)
}

func (m stringModifier) Description(context.Context) string         { return m.description }
func (m stringModifier) MarkdownDescription(context.Context) string { return m.description }
func (m stringModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	m.modify(ctx, req, resp)
}

// planValuesRevision plans an app config's revision from the planned
// values: known at plan time whenever the values are, unknown otherwise.
func planValuesRevision() planmodifier.String {
	return stringModifier{"the revision of the planned values, known when they are",
		func(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
			if req.Plan.Raw.IsNull() { // destroy
				return
			}
			var values types.String
			resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("values"), &values)...)
			switch {
			case resp.Diagnostics.HasError():
			case values.IsUnknown():
				resp.PlanValue = types.StringUnknown()
			case values.IsNull():
				resp.PlanValue = types.StringNull()
			default:
				resp.PlanValue = types.StringValue(ValuesRevision(values.ValueString()))
			}
		}}
}

// keepConfigRevisionWhenUnset keeps a deployment's config_revision when the
// configuration stops setting it (or never did, as after an import by
// app_id/project_environment_id): dropping the reference to the app config
// is not a change, and rolls nothing out.
func keepConfigRevisionWhenUnset() planmodifier.String {
	return stringModifier{"unset in the configuration: keeps the value in state",
		func(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
			if req.ConfigValue.IsNull() {
				resp.PlanValue = req.StateValue // null on create
			}
		}}
}

// keepEquivalentYAML keeps the prior text when the configuration holds the
// same YAML data written differently, so reformatting is not a diff.
func keepEquivalentYAML() planmodifier.String {
	return stringModifier{"YAML that differs only in formatting is not a change",
		func(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
			if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
				return
			}
			if sameYAML(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
				resp.PlanValue = req.StateValue
			}
		}}
}

// unknownTokenOnRelogin plans a user's token as unknown when the apply logs
// in again as the user, which issues a new token: a new password version,
// or a new role where the server reads the role from the token (or may:
// before any refresh has recorded the server). Keeping the prior token in
// such a plan made the apply fail with an inconsistent result.
func unknownTokenOnRelogin() planmodifier.String {
	return stringModifier{"Unknown when the apply logs in again as the user.",
		func(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
			if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
				return
			}
			var planned, prior userModel
			resp.Diagnostics.Append(req.Plan.Get(ctx, &planned)...)
			resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
			if resp.Diagnostics.HasError() {
				return
			}
			traits, known := savedTraits(ctx, req.Private)
			if !planned.PasswordWOVersion.Equal(prior.PasswordWOVersion) ||
				!planned.Role.Equal(prior.Role) && (!known || roleInToken(traits)) {
				resp.PlanValue = types.StringUnknown()
			}
		}}
}

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
