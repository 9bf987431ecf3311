package drone

import (
	"context"
	"regexp"

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

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// SecretName is what Drone accepts as a secret name.
var SecretName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// secretFields are the attributes shared by drone_secret and drone_orgsecret.
type secretFields struct {
	Name                   types.String `tfsdk:"name"`
	Value                  types.String `tfsdk:"value"`
	ValueWO                types.String `tfsdk:"value_wo"`
	ValueWOVersion         types.Int64  `tfsdk:"value_wo_version"`
	AllowOnPullRequest     types.Bool   `tfsdk:"allow_on_pull_request"`
	AllowPushOnPullRequest types.Bool   `tfsdk:"allow_push_on_pull_request"`
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
		"allow_on_pull_request": flag("Expose the secret to pull-request builds (Drone `pull_request`; on Drone 0.8 " +
			"the `pull_request` event). Default `false`."),
		"allow_push_on_pull_request": flag("Expose the secret to pull-request builds for pushing images, e.g. to a " +
			"registry (Drone `pull_request_push`). Default `false`. Drone 1.x only: Drone 0.8 has no such setting, " +
			"and `true` is an error there."),
	}
}

func secretConfigValidators() []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("value"), path.MatchRoot("value_wo")),
	}
}

// value returns the value to send: on create (prior == nil) always; on
// update only when it changed: from `value`, or from the write-only
// `value_wo` (read from the configuration, never from the plan) when its
// version changed.
func (f *secretFields) value(ctx context.Context, config tfsdk.Config, prior *secretFields, diags *diag.Diagnostics) *string {
	switch {
	case !f.Value.IsNull():
		if prior == nil || !prior.Value.Equal(f.Value) {
			return f.Value.ValueStringPointer()
		}
	case prior == nil || !prior.ValueWOVersion.Equal(f.ValueWOVersion) || !prior.Value.IsNull():
		var wo types.String
		diags.Append(config.GetAttribute(ctx, path.Root("value_wo"), &wo)...)
		if !wo.IsNull() && !wo.IsUnknown() {
			return wo.ValueStringPointer()
		}
	}
	return nil
}

// toAPI is the secret to send, its value included when it is to be sent
// (prior is nil on create).
func (f *secretFields) toAPI(ctx context.Context, config tfsdk.Config, prior *secretFields, diags *diag.Diagnostics) client.SecretInput {
	return client.SecretInput{Secret: *f.planned(), Value: f.value(ctx, config, prior, diags)}
}

// planned is the secret as create asks for it, without its value.
func (f *secretFields) planned() *client.Secret {
	return &client.Secret{
		Name:            f.Name.ValueString(),
		PullRequest:     f.AllowOnPullRequest.ValueBool(),
		PullRequestPush: f.AllowPushOnPullRequest.ValueBool(),
	}
}

// fromAPI copies the flags Drone returned; the value is never returned.
func (f *secretFields) fromAPI(s *client.Secret) {
	f.Name = types.StringValue(s.Name)
	f.AllowOnPullRequest = types.BoolValue(s.PullRequest)
	f.AllowPushOnPullRequest = types.BoolValue(s.PullRequestPush)
	f.ValueWO = types.StringNull() // write-only: never in state
}

// checkPullRequestPush rejects allow_push_on_pull_request on a server
// without it (Drone 0.8).
func (f *secretFields) checkPullRequestPush(c *conn, diags *diag.Diagnostics) {
	if !c.Traits.SecretPullRequestPush && f.AllowPushOnPullRequest.ValueBool() {
		diags.AddAttributeError(path.Root("allow_push_on_pull_request"), "allow_push_on_pull_request is not available on "+c.Info.Name(),
			c.Info.Name()+" secrets have no pull_request_push setting (it needs Drone ≥ 1.0). Remove "+
				"allow_push_on_pull_request or set it to false; on Drone 0.8 a secret is exposed to pull requests by "+
				"allow_on_pull_request (the pull_request event).")
	}
}

// secretModelOf is the model of drone_secret or drone_orgsecret (M): each
// embeds secretFields and names the scope of its secrets.
type secretModelOf[M any] interface {
	*M
	answered[client.Secret]
	scope() client.SecretScope
	toAPI(ctx context.Context, config tfsdk.Config, prior *secretFields, diags *diag.Diagnostics) client.SecretInput
	fields() *secretFields
}

func (f *secretFields) fields() *secretFields { return f }

// withSecretOps gives s the operations drone_secret and drone_orgsecret
// share, on the secrets api picks from the server's dialect.
func withSecretOps[M any, P secretModelOf[M]](s *crud[M], api func(*conn) client.SecretAPI) *crud[M] {
	s.Create = func(ctx context.Context, o request, m *M) error {
		in := P(m).toAPI(ctx, o.Config, nil, o.Diags)
		if o.Diags.HasError() {
			return tfx.ErrReported
		}
		out, err := api(o.Client).Create(ctx, P(m).scope(), in)
		return created[client.Secret](P(m), out, err)
	}
	s.Read = func(ctx context.Context, o request, m *M) error {
		out, err := api(o.Client).Get(ctx, P(m).scope(), P(m).fields().Name.ValueString())
		return got[client.Secret](P(m), out, err)
	}
	s.Update = func(ctx context.Context, o request, m, prior *M) error {
		in := P(m).toAPI(ctx, o.Config, P(prior).fields(), o.Diags)
		if o.Diags.HasError() {
			return tfx.ErrReported
		}
		out, err := api(o.Client).Update(ctx, P(m).scope(), in)
		return got[client.Secret](P(m), out, err)
	}
	s.Delete = func(ctx context.Context, o request, m *M) error {
		return api(o.Client).Delete(ctx, P(m).scope(), P(m).fields().Name.ValueString())
	}
	return s
}
