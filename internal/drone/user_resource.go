package drone

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// UserLogin is what Drone accepts as a login.
var UserLogin = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// userResource: import with the login. The token of an imported machine user
// stays unknown to Terraform: Drone never returns it again.
var userResource = &crud[userModel]{
	API:        droneAPI,
	Name:       "user",
	Schema:     userSchema(),
	Label:      (*userModel).label,
	Identified: (*userModel).identified,
	Validators: []resource.ConfigValidator{inactiveAdmin{}},
	CheckPlan:  checkUser,
	Identity:   tfx.Identity{"login"},
	Import: func(_ context.Context, _ request, id string, m *userModel) error {
		p, err := tfx.SplitID(id, "login")
		if err != nil {
			return err
		}
		m.ID, m.Login = types.StringValue(p[0]), types.StringValue(p[0])
		return nil
	},
	// Create creates the user, then deactivates it if asked: Drone creates
	// users active.
	Create: func(ctx context.Context, o request, m *userModel) error {
		c := o.Client
		out, err := c.Users.Create(ctx, drone.User{Login: m.Login.ValueString(), Admin: m.Admin.ValueBool(), Machine: m.Machine.ValueBool()})
		if err != nil || m.Active.ValueBool() {
			return created(m, recorded(c, out), err)
		}
		patched, err := c.Users.Update(ctx, out.Login, m.toAPI(c))
		if err != nil {
			return created(m, recorded(c, out), err)
		}
		patched.Token = out.Token // returned only at creation
		return created(m, recorded(c, patched), nil)
	},
	Read: func(ctx context.Context, o request, m *userModel) error {
		out, err := o.Client.Users.Get(ctx, m.login())
		return got(m, recorded(o.Client, out), err)
	},
	Update: func(ctx context.Context, o request, m, _ *userModel) error {
		out, err := o.Client.Users.Update(ctx, m.login(), m.toAPI(o.Client))
		return got(m, recorded(o.Client, out), err)
	},
	Delete: func(ctx context.Context, o request, m *userModel) error {
		return o.Client.Users.Delete(ctx, m.login())
	},
}

type userModel struct {
	ID      types.String `tfsdk:"id"`
	Login   types.String `tfsdk:"login"`
	Admin   types.Bool   `tfsdk:"admin"`
	Active  types.Bool   `tfsdk:"active"`
	Machine types.Bool   `tfsdk:"machine"`
	Token   types.String `tfsdk:"token"`
}

// login addresses the user by id, the login as Drone stores it (Drone may
// adopt the SCM's spelling), or by the configured login before creation.
func (m *userModel) login() string {
	if id := m.ID.ValueString(); id != "" && !m.ID.IsUnknown() {
		return id
	}
	return m.Login.ValueString()
}

func (m *userModel) label() string { return `Drone user "` + m.Login.ValueString() + `"` }

func (m *userModel) identified() bool { return m.ID.ValueString() != "" }

// toAPI is everything Drone's user update accepts; Drone 0.8 takes only
// active (its admins come from the server's settings).
func (m *userModel) toAPI(c *conn) drone.UserPatch {
	p := drone.UserPatch{Active: m.Active.ValueBoolPointer()}
	if c.Traits.UserAdminAndMachine {
		p.Admin = m.Admin.ValueBoolPointer()
	}
	return p
}

// recorded returns a user as the resource records it: on Drone 0.8, whose
// users have no stored admin flag and no machine accounts, both are false.
func recorded(c *conn, u *drone.User) *drone.User {
	if u != nil && !c.Traits.UserAdminAndMachine {
		u.Admin, u.Machine = false, false
	}
	return u
}

func (m *userModel) planned() *drone.User {
	return &drone.User{Login: m.Login.ValueString(), Admin: m.Admin.ValueBool(), Active: true, Machine: m.Machine.ValueBool()}
}

func (m *userModel) fromAPI(out *drone.User) {
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

// checkUser rejects admin and machine users on a server that cannot manage
// them (Drone 0.8 takes its admins from DRONE_ADMIN and has no machine users).
func checkUser(_ context.Context, o request, m, _ *userModel) {
	c, diags := o.Client, o.Diags
	if c.Traits.UserAdminAndMachine {
		return
	}
	for _, a := range []struct {
		name, why string
		v         types.Bool
	}{
		{"admin", "takes its administrators from the server's DRONE_ADMIN setting", m.Admin},
		{"machine", "has no machine users", m.Machine},
	} {
		if a.v.ValueBool() {
			diags.AddAttributeError(path.Root(a.name), a.name+" cannot be managed on "+c.Info.Name(),
				fmt.Sprintf("%s %s: remove %s from the configuration (or set it to false). It needs Drone ≥ 1.0.",
					c.Info.Name(), a.why, a.name))
		}
	}
}

func userSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A Drone user account. Needs a Drone system admin token. Machine users (`machine = " +
			"true`) are robot accounts for automation: Drone returns their API token once, at creation, and the " +
			"provider keeps it in state (`token`, sensitive).\n\nOn Drone 0.8 only `login` and `active` can be managed: " +
			"0.8 takes its administrators from the server's `DRONE_ADMIN` setting and has no machine users, so " +
			"`admin = true` or `machine = true` is a plan-time error there, and both are `false` in state.",
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
