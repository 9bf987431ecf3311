package drone

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var (
	_ resource.ResourceWithImportState      = (*userResource)(nil)
	_ resource.ResourceWithConfigValidators = (*userResource)(nil)
)

// The model implements restObject (checked here: the linter does not follow type
// arguments of embedded generic types).
var _ restObject[userModel, userAPI] = (*userModel)(nil)

var _ createFollowUp = (*userModel)(nil)

// UserLogin is what Drone accepts as a login.
var UserLogin = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func newUserResource() resource.Resource { return &userResource{} }

type userResource struct {
	restCRUD[userModel, userAPI, *userModel]
}

type userModel struct {
	ID      types.String `tfsdk:"id"`
	Login   types.String `tfsdk:"login"`
	Admin   types.Bool   `tfsdk:"admin"`
	Active  types.Bool   `tfsdk:"active"`
	Machine types.Bool   `tfsdk:"machine"`
	Token   types.String `tfsdk:"token"`
}

// userAPI is the JSON of a Drone user; token is there only in the answer to
// the creation of a machine user.
type userAPI struct {
	Login   string `json:"login"`
	Admin   bool   `json:"admin"`
	Active  bool   `json:"active"`
	Machine bool   `json:"machine"`
	Token   string `json:"token,omitempty"`
}

// userPatch is everything Drone's user update accepts.
type userPatch struct {
	Admin  bool `json:"admin"`
	Active bool `json:"active"`
}

// routes addresses the user by id, the login as Drone stores it (Drone may
// adopt the SCM's spelling), or by the configured login before creation.
func (m *userModel) routes() (collection, item string) {
	login := m.Login.ValueString()
	if id := m.ID.ValueString(); id != "" && !m.ID.IsUnknown() {
		login = id
	}
	return "/api/users", Path("api", "users", login)
}

func (m *userModel) label() string { return `user "` + m.Login.ValueString() + `"` }

func (m *userModel) request(_ context.Context, _ tfsdk.Config, prior *userModel, _ *diag.Diagnostics) any {
	if prior != nil {
		return userPatch{Admin: m.Admin.ValueBool(), Active: m.Active.ValueBool()}
	}
	return userAPI{Login: m.Login.ValueString(), Admin: m.Admin.ValueBool(), Machine: m.Machine.ValueBool()}
}

// followUp deactivates a user created inactive: Drone creates users active.
func (m *userModel) followUp() any {
	if m.Active.ValueBool() {
		return nil
	}
	return userPatch{Admin: m.Admin.ValueBool(), Active: false}
}

func (m *userModel) load(out *userAPI) {
	// Drone may adopt the SCM's spelling of a login: keep the configured one
	// when they differ only in case, and address the user by Drone's.
	if !strings.EqualFold(m.Login.ValueString(), out.Login) {
		m.Login = types.StringValue(out.Login)
	}
	m.ID = types.StringValue(out.Login)
	m.Admin = types.BoolValue(out.Admin)
	m.Active = types.BoolValue(out.Active)
	m.Machine = types.BoolValue(out.Machine)
	// The token comes only with the creation of a machine user: keep it.
	switch {
	case out.Token != "":
		m.Token = types.StringValue(out.Token)
	case m.Token.IsUnknown():
		m.Token = types.StringNull()
	}
}

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (r *userResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Drone user account. Needs a Drone system admin token. Machine users (`machine = " +
			"true`) are robot accounts for automation: Drone returns their API token once, at creation, and the " +
			"provider keeps it in state (`token`, sensitive).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The login, as Drone stores it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"login": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Login, as in the SCM for a human user. Changing it replaces the user.",
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 50),
					tfx.Regex(UserLogin, "letters, digits, '_' or '-'"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"admin": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Drone system administrator. Default `false`.",
			},
			"active": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the account may log in and use the API. Default `true`. Drone takes " +
					"admin rights away from inactive users, so `active = false` cannot go with `admin = true`.",
			},
			"machine": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Machine (robot) account, not tied to an SCM user. Default `false`. Drone " +
					"cannot change it: changing it replaces the user.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"token": schema.StringAttribute{
				Computed: true, Sensitive: true,
				MarkdownDescription: "API token of a machine user, as returned by Drone when it created the user. " +
					"Drone returns it only then: it is null for human users and for imported users, and it is " +
					"kept unchanged on refresh.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *userResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{inactiveAdmin{}}
}

// inactiveAdmin rejects admin = true with active = false: Drone would drop
// the admin flag and the plan would never converge.
type inactiveAdmin struct{}

func (inactiveAdmin) Description(context.Context) string {
	return "admin = true needs active = true"
}

func (v inactiveAdmin) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (inactiveAdmin) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var admin, active types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("admin"), &admin)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("active"), &active)...)
	if admin.ValueBool() && !active.IsNull() && !active.IsUnknown() && !active.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("admin"), "Inactive user cannot be admin",
			"Drone removes admin rights from inactive users: with active = false, admin must be false.")
	}
}

// ImportState takes the login. The token of an imported machine user stays
// unknown to Terraform: Drone never returns it again.
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importAttrs(ctx, req, resp, func(p []string) map[string]string {
		return map[string]string{"id": p[0], "login": p[0]}
	}, "login")
}
