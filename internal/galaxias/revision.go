package galaxias

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ValuesRevision is the revision of Helm values: the SHA-256 (hex) of their
// normalised form, so it changes exactly when the data changes, not when key
// order, quoting, comments or whitespace do. Text that is not YAML (only
// Galaxias can hold such, edited outside Terraform) gets the hash of the raw
// text, prefixed so that it never equals a revision of valid values.
func ValuesRevision(text string) string {
	norm, err := NormalizeYAML(text)
	if err != nil {
		sum := sha256.Sum256([]byte(text))
		return "raw-" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// valuesRevisionPlanModifier plans an app config's revision from the planned
// values: known at plan time whenever the values are, unknown otherwise.
type valuesRevisionPlanModifier struct{}

func (valuesRevisionPlanModifier) Description(context.Context) string {
	return "the revision of the planned values, known when they are"
}

func (m valuesRevisionPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (valuesRevisionPlanModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
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
}

// configRevisionPlanModifier keeps a deployment's config_revision when the
// configuration stops setting it (or never did, as after an import by
// app_id/project_environment_id): dropping the reference to the app config
// is not a change, and rolls nothing out.
type configRevisionPlanModifier struct{}

func (configRevisionPlanModifier) Description(context.Context) string {
	return "unset in the configuration: keeps the value in state"
}

func (m configRevisionPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (configRevisionPlanModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue // null on create
	}
}
