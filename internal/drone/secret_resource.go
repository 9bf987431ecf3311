package drone

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var (
	_ resource.ResourceWithImportState      = (*secretResource)(nil)
	_ resource.ResourceWithConfigValidators = (*secretResource)(nil)
)

// SecretName is what Drone accepts as a secret name.
var SecretName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func newSecretResource() resource.Resource { return &secretResource{} }

type secretResource struct {
	restCRUD[secretModel, secretAPI, *secretModel]
}

var _ restObject[secretModel, secretAPI] = (*secretModel)(nil)

// secretFields are the attributes shared by drone_secret and drone_orgsecret.
type secretFields struct {
	Name                   types.String `tfsdk:"name"`
	Value                  types.String `tfsdk:"value"`
	ValueWO                types.String `tfsdk:"value_wo"`
	ValueWOVersion         types.Int64  `tfsdk:"value_wo_version"`
	AllowOnPullRequest     types.Bool   `tfsdk:"allow_on_pull_request"`
	AllowPushOnPullRequest types.Bool   `tfsdk:"allow_push_on_pull_request"`
}

type secretModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	secretFields
}

// secretAPI is the JSON of a Drone secret. The flags are always sent, false
// included (drone-go omits false values, so it cannot turn a flag off).
type secretAPI struct {
	Name            string  `json:"name,omitempty"`
	Data            *string `json:"data,omitempty"`
	PullRequest     bool    `json:"pull_request"`
	PullRequestPush bool    `json:"pull_request_push"`
}

// secretAttributes returns the schema attributes shared by both secret types.
func secretAttributes() map[string]schema.Attribute {
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "Secret name: letters, digits, `.`, `_` and `-`. Changing it replaces the secret.",
			Validators:          []validator.String{tfx.Regex(SecretName, "letters, digits, '.', '_' or '-'")},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"value": schema.StringAttribute{
			Optional: true, Sensitive: true,
			MarkdownDescription: "Secret value, stored (sensitive) in Terraform state. Exactly one of `value` and " +
				"`value_wo` is required. Drone never returns secret values, so a change made outside Terraform is " +
				"not detected.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"value_wo": schema.StringAttribute{
			Optional: true, Sensitive: true, WriteOnly: true,
			MarkdownDescription: "Write-only secret value (Terraform 1.11 or later): sent to Drone, never stored in " +
				"state or plan. Change `value_wo_version` to send a new value.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"value_wo_version": schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: "Version of `value_wo`. The value is sent at creation and whenever this number changes.",
			Validators: []validator.Int64{
				int64validator.AlsoRequires(path.MatchRoot("value_wo")),
			},
		},
		"allow_on_pull_request": flag("Expose the secret to pull-request builds (Drone `pull_request`). Default `false`."),
		"allow_push_on_pull_request": flag("Expose the secret to pull-request builds for pushing images, e.g. to a " +
			"registry (Drone `pull_request_push`). Default `false`."),
	}
}

func secretConfigValidators() []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("value"), path.MatchRoot("value_wo")),
	}
}

// body builds the API body. The value is sent on create, and on update only
// when it changed: from `value`, or from the write-only `value_wo` (read from
// the configuration, never from the plan) when its version changed.
func (f *secretFields) body(ctx context.Context, config tfsdk.Config, prior *secretFields, diags *diag.Diagnostics) secretAPI {
	b := secretAPI{
		Name:            f.Name.ValueString(),
		PullRequest:     f.AllowOnPullRequest.ValueBool(),
		PullRequestPush: f.AllowPushOnPullRequest.ValueBool(),
	}
	switch {
	case !f.Value.IsNull():
		if prior == nil || !prior.Value.Equal(f.Value) {
			b.Data = f.Value.ValueStringPointer()
		}
	case prior == nil || !prior.ValueWOVersion.Equal(f.ValueWOVersion) || !prior.Value.IsNull():
		var wo types.String
		diags.Append(config.GetAttribute(ctx, path.Root("value_wo"), &wo)...)
		if !wo.IsNull() && !wo.IsUnknown() {
			b.Data = wo.ValueStringPointer()
		}
	}
	return b
}

// fromAPI copies the flags Drone returned; the value is never returned.
func (f *secretFields) fromAPI(s *secretAPI) {
	f.Name = types.StringValue(s.Name)
	f.AllowOnPullRequest = types.BoolValue(s.PullRequest)
	f.AllowPushOnPullRequest = types.BoolValue(s.PullRequestPush)
	f.ValueWO = types.StringNull() // write-only: never in state
}

func (r *secretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_secret"
}

func (r *secretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := secretAttributes()
	attrs["id"] = schema.StringAttribute{
		Computed: true, MarkdownDescription: "`owner/repo/name`.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["repository"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Repository slug `owner/name`. Changing it replaces the secret.",
		Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A secret of one Drone repository, for example `docker_password`. Give the value with " +
			"`value` (kept in state, marked sensitive) or, on Terraform 1.11 and later, with the write-only " +
			"`value_wo` and `value_wo_version` (never kept in state).\n\n" +
			"Import with `owner/repo/name`. Drone never returns secret values, so an imported secret has no value " +
			"in state: the first plan after the import shows an in-place update of `value` (shown as " +
			"`(sensitive value)`) or of `value_wo_version`, and applying it writes the configured value to Drone.",
		Attributes: attrs,
	}
}

func (r *secretResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return secretConfigValidators()
}

func (m *secretModel) routes() (collection, item string) {
	owner, repo, _ := strings.Cut(m.Repository.ValueString(), "/")
	collection = Path("api", "repos", owner, repo, "secrets")
	return collection, collection + Path(m.Name.ValueString())
}

func (m *secretModel) label() string {
	return `secret "` + m.Repository.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *secretModel) request(ctx context.Context, config tfsdk.Config, prior *secretModel, diags *diag.Diagnostics) any {
	if prior == nil {
		return m.body(ctx, config, nil, diags)
	}
	return m.body(ctx, config, &prior.secretFields, diags)
}

func (m *secretModel) load(out *secretAPI) {
	m.fromAPI(out)
	m.ID = types.StringValue(m.Repository.ValueString() + "/" + m.Name.ValueString())
}

// ImportState takes owner/repo/name. Drone never returns secret values, so
// the imported state has no value: the next plan shows an in-place update that
// writes the configured value.
func (r *secretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := tfx.SplitID(req.ID, "owner", "repo", "name")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repository"), parts[0]+"/"+parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), parts[2])...)
}
