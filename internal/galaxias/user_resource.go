package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

type userModel struct {
	ID                types.Int64  `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Email             types.String `tfsdk:"email"`
	Role              types.String `tfsdk:"role"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	Token             types.String `tfsdk:"token"`
}

func (m *userModel) fromAPI(u *client.User) {
	m.ID = types.Int64Value(u.ID)
	m.Name = types.StringValue(u.Name)
	m.Email = types.StringValue(u.Email)
	m.Role = types.StringValue(u.Role)
	m.PasswordWO = types.StringNull()
}

// password reads the write-only password from the configuration.
func (m *userModel) password(ctx context.Context, o op) string {
	var pw types.String
	o.diags.Append(o.config.GetAttribute(ctx, path.Root("password_wo"), &pw)...)
	return pw.ValueString()
}

// login logs in as the user: the token it gets is the user's only valid one.
func (m *userModel) login(ctx context.Context, o op, password string) error {
	res, err := o.c.LoginAs(ctx, m.Name.ValueString(), password)
	if err != nil {
		return err
	}
	m.Token = types.StringValue(res.Token)
	return nil
}

var roles = []string{client.RoleAdmin, client.RoleSystemToolsAdmin, client.RoleDeveloper, client.RoleDeployer}

var userSpec = &spec[userModel]{
	name: "user",
	schema: schema.Schema{
		MarkdownDescription: "A Galaxias user, meant as a service account for pipelines: its computed `token` is " +
			"the value a pipeline's `galaxias_api_token` secret needs (for example a write-only `drone_secret`).\n\n" +
			"The token comes from logging in as the user, at creation and whenever `password_wo_version` changes. " +
			"**A login rotates the token**: Galaxias accepts only the newest token of a user, so nobody and " +
			"nothing else may log in as this account, or the pipeline's token stops working (the next " +
			"`password_wo_version` bump issues a new one). Managing users needs the `admin` role. Import with the " +
			"numeric id; an imported user has no token in state until `password_wo_version` changes.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("The user's id."),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Login name, unique. Changing it replaces the user.",
				Validators:          []validator.String{nameValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"email": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "E-mail address. Updates in place.",
				Validators: []validator.String{stringvalidator.RegexMatches(
					emailRE, "must be an e-mail address such as ci@example.com")},
			},
			"role": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(client.RoleDeployer),
				MarkdownDescription: "`admin`, `system_tools_admin`, `developer` or `deployer` (default: a " +
					"`deployer` may read and deploy). Updates in place.",
				Validators: []validator.String{stringvalidator.OneOf(roles...)},
			},
			"password_wo": schema.StringAttribute{
				Required: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "Password, write-only (Terraform 1.11+): never stored. Sent at creation and " +
					"when `password_wo_version` changes.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(8)},
			},
			"password_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Change it to set `password_wo` as the new password and log in again, " +
					"which rotates `token`.",
			},
			"token": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "The user's API token, from the provider's login as the user. Sensitive.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	},
	// A new password version logs in again, so the token is known only
	// after apply (keeping the prior one in the plan made the apply fail as
	// an inconsistent result).
	modifyPlan: func(ctx context.Context, _ *client.Client, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
		if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
			return
		}
		var planned, prior types.Int64
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("password_wo_version"), &planned)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("password_wo_version"), &prior)...)
		if !resp.Diagnostics.HasError() && !planned.Equal(prior) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("token"), types.StringUnknown())...)
		}
	},
	create: func(ctx context.Context, o op, m *userModel) error {
		pw := m.password(ctx, o)
		in := client.UserInput{Name: m.Name.ValueString(), Email: m.Email.ValueString(), Password: pw, Role: m.Role.ValueString()}
		u, err := o.c.CreateUser(ctx, in)
		if err != nil {
			return err
		}
		m.fromAPI(u)
		if err := m.login(ctx, o, pw); err != nil {
			m.Token = types.StringNull()
			return &partialError{err}
		}
		return nil
	},
	read: func(ctx context.Context, o op, m *userModel) error {
		return apply(o.c.GetUser(ctx, m.ID.ValueInt64()))(m.fromAPI) // the token stays as it is
	},
	update: func(ctx context.Context, o op, m, prior *userModel) error {
		id := prior.ID.ValueInt64()
		m.Token = prior.Token
		if !m.Email.Equal(prior.Email) {
			if _, err := o.c.UpdateUser(ctx, id, client.UserInput{Email: m.Email.ValueString()}); err != nil {
				return err
			}
		}
		if !m.Role.Equal(prior.Role) {
			if _, err := o.c.SetUserRole(ctx, id, m.Role.ValueString()); err != nil {
				return err
			}
		}
		if !m.PasswordWOVersion.Equal(prior.PasswordWOVersion) {
			pw := m.password(ctx, o)
			// The old password is not known here: the re-implementation, which
			// needs it, refuses with client.UnsupportedError.
			if _, err := o.c.SetUserPassword(ctx, id, "", pw); err != nil {
				return err
			}
			if err := m.login(ctx, o, pw); err != nil {
				return err
			}
		}
		return apply(o.c.GetUser(ctx, id))(m.fromAPI)
	},
	delete: func(ctx context.Context, o op, m *userModel) error {
		return o.c.DeleteUser(ctx, m.ID.ValueInt64())
	},
}
