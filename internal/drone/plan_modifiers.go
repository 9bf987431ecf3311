package drone

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

// The attribute plan modifiers of the drone_* resources, all in this file.
// Each is built by a function named, as the framework names its own
// (stringplanmodifier.RequiresReplaceIf), for what it does to the plan.
// The plan logic of a resource that ties several attributes together, its
// tfx.CRUD.ModifyPlan, is here too, named plan<What> (planSecretEvents).
// What only refuses a plan is the resource's CheckPlan, named check<What>,
// next to the resource (checkRepo, checkSecret, checkUser).

// replaceWhenCronRenamed: Drone slugifies a cron job's name, so only a
// change of the slug replaces the job.
func replaceWhenCronRenamed() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = CronSlug(req.PlanValue.ValueString()) != CronSlug(req.StateValue.ValueString())
		},
		"Changing the name (other than its spelling) replaces the job.",
		"Changing the name (other than its spelling) replaces the job.")
}

// planSecretEvents plans the event list and allow_on_pull_request
// together. On Drone 0.8 the events, when not configured, follow
// allow_on_pull_request; configured, they set allow_on_pull_request (which
// must then agree). On 1.x the events are null.
func planSecretEvents(ctx context.Context, c *conn, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if c == nil {
		return // the provider is not configured yet: the server's dialect is unknown
	}
	var events types.Set
	var pr types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("events"), &events)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("allow_on_pull_request"), &pr)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !c.Traits.SecretEvents {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("events"), types.SetNull(types.StringType))...)
		return
	}
	switch {
	case events.IsUnknown():
	case events.IsNull():
		var planned types.Bool
		resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("allow_on_pull_request"), &planned)...)
		if !planned.IsUnknown() {
			def := stringSet(client.DefaultSecretEvents08(planned.ValueBool()))
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("events"), def)...)
		}
	default:
		hasPR := slices.Contains(setStrings(ctx, events, &resp.Diagnostics), client.EventPullRequest)
		if pr.IsNull() {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("allow_on_pull_request"), hasPR)...)
		} else if !pr.IsUnknown() && pr.ValueBool() != hasPR {
			resp.Diagnostics.AddAttributeError(path.Root("allow_on_pull_request"), "allow_on_pull_request and events disagree",
				fmt.Sprintf("On %s a secret is exposed to pull requests by the pull_request event: events %s it, "+
					"allow_on_pull_request is %v. Leave allow_on_pull_request out, or make them agree.",
					c.Info.Name(), map[bool]string{true: "has", false: "lacks"}[hasPR], pr.ValueBool()))
		}
	}
}

// replaceWhenImagesEmptied: Drone 0.8 ignores an empty image list in a
// patch, so unsetting images replaces the secret. (On Drone 1.x images are
// always null.)
func replaceWhenImagesEmptied() planmodifier.Set {
	return setplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.SetRequest, resp *setplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = req.PlanValue.IsNull() && !req.StateValue.IsNull()
		},
		"Unsetting images replaces the secret: Drone 0.8 cannot empty an image list in place.",
		"Unsetting `images` replaces the secret: Drone 0.8 cannot empty an image list in place.",
	)
}
